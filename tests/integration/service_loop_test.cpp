// The shared service loop against a real bus and Redis, with a small rule set standing in for a
// service: fairs counted once per fairId (a refusal otherwise), and a derived event per
// certificate (fair_rules.h).
#include "service_loop.h"

#include <gtest/gtest.h>

#include "bus.h"
#include "event_log.h"
#include "fair_rules.h"
#include "frames.h"
#include "loop_adapters.h"
#include "test_env.h"

namespace mwp {
namespace {

class ServiceLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    bus_ = std::make_unique<test::BusThread>(kPartitions);
    publisher_ = std::make_unique<Publisher>(context_, bus_->ingest);
  }

  std::unique_ptr<ServiceLoop> makeLoop(std::vector<uint32_t> partitions,
                                        const std::string& name = "fairs", size_t maxBatch = 256) {
    ServiceLoopOptions options;
    options.service = name;
    options.maxBatch = maxBatch;
    options.partitions = std::move(partitions);
    options.idlePoll = std::chrono::milliseconds(50);
    auto ports = redisAndBusPorts(context_, bus_->publish, std::nullopt, redis_, redis_, *publisher_, name,
                                  options.partitions);
    return std::make_unique<ServiceLoop>(options, std::move(ports), rules_, test::fixtureNow,
                                         registry_);
  }

  std::string fair(const std::string& eventId, const std::string& fairId) {
    return test::fairFrame(eventId, fairId);
  }

  void publishAll(const std::vector<std::string>& frames) {
    for (const auto& r : publisher_->publish(frames)) {
      ASSERT_NE(r.status, msg::IngestReply::Status::NACK) << r.reason;
    }
  }

  // Runs the loops until each has applied everything stored in its partitions.
  void runUntilCaughtUp(std::vector<ServiceLoop*> loops) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      for (auto* loop : loops) loop->runOnce();
      auto last = lastSequences(redis_, kPartitions);
      bool done = true;
      for (uint32_t p = 0; p < kPartitions; ++p) {
        bool owned = false;
        for (auto* loop : loops) {
          auto cursor = redis_.command({"GET", loop->cursorKey(p)});
          if (!cursor.isNil() && std::stoull(cursor.str) == last[p]) owned = true;
        }
        if (last[p] > 0 && !owned) done = false;
      }
      if (done) return;
    }
    FAIL() << "the loops did not catch up";
  }

  int64_t fairsCounted(ServiceLoop& loop) {
    auto reply = redis_.command({"HGET", loop.stateKey("fairs"), "all"});
    return reply.isNil() ? 0 : std::stoll(reply.str);
  }

  // How many times an eventId is stored in the log.
  int storedCopies(const std::string& eventId) {
    int copies = 0;
    for (uint32_t p = 0; p < kPartitions; ++p) {
      for (const auto& e : readLog(redis_, p, 1, 100000)) {
        FrameReader reader(e.envelope);
        if (eventId == reader.root<msg::Envelope>().getEventId().cStr()) ++copies;
      }
    }
    return copies;
  }

  static constexpr uint32_t kPartitions = 4;
  zmq::context_t context_;
  Redis redis_{test::testRedis()};
  prometheus::Registry registry_;
  test::FairRules rules_;
  std::unique_ptr<test::BusThread> bus_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(ServiceLoopTest, AppliesEachEventOnceAndRecordsVerdicts) {
  auto loop = makeLoop({0, 1, 2, 3});
  publishAll({fair("e1", "F1"), fair("e2", "F2"), fair("e3", "F1")});
  runUntilCaughtUp({loop.get()});
  EXPECT_EQ(fairsCounted(*loop), 2);
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("e1")}).str, "applied");
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("e3")}).str, test::kFairRefused);
}

TEST_F(ServiceLoopTest, AnEventTheRulesCannotApplyIsRefusedAndTheServiceGoesOn) {
  auto loop = makeLoop({0, 1, 2, 3});
  publishAll({fair("e1", "BOOM"), fair("e2", "F2")});
  runUntilCaughtUp({loop.get()});
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("e1")}).str,
            R"j({"status":"refused","rule":"service.defect",)j"
            R"j("reason":"cannot be applied (logged as a defect)",)j"
            R"j("reasonZh":"无法应用（已作为缺陷记录日志）"})j");
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("e2")}).str, "applied");
  EXPECT_EQ(fairsCounted(*loop), 1);
}

TEST_F(ServiceLoopTest, KindsTheServiceDoesNotOwnGetNoVerdict) {
  auto loop = makeLoop({0, 1, 2, 3});
  publishAll({test::frameOf(test::fixtureLines()[0])});  // workerRegistered
  runUntilCaughtUp({loop.get()});
  EXPECT_TRUE(redis_.command({"GET", loop->verdictKey("fixture-01-workerRegistered")}).isNil());
}

TEST_F(ServiceLoopTest, ARestartResumesWithoutRepeatingOrSkipping) {
  {
    auto loop = makeLoop({0, 1, 2, 3});
    std::vector<std::string> frames;
    for (int i = 0; i < 300; ++i)
      frames.push_back(fair("a" + std::to_string(i), "A" + std::to_string(i)));
    publishAll(frames);
    runUntilCaughtUp({loop.get()});
  }
  std::vector<std::string> frames;
  for (int i = 0; i < 200; ++i)
    frames.push_back(fair("b" + std::to_string(i), "B" + std::to_string(i)));
  publishAll(frames);
  auto restarted = makeLoop({0, 1, 2, 3});
  runUntilCaughtUp({restarted.get()});
  EXPECT_EQ(fairsCounted(*restarted), 500);
}

// Catching up, three things overlap: a batch is applied while Redis executes the transaction of
// the one before and reads ahead for the one after. So a batch's reads may predate the last two
// commits, whose writes it must see all the same, or a fair would count twice. Redis holds the
// first transaction back (CLIENT PAUSE WRITE lets reads through):
//   r1 is applied and its transaction held; r2's reads were sent before it (r1 is in flight);
//   r3's reads are sent while r1 is held, and r3 is applied after r1 is confirmed.
TEST_F(ServiceLoopTest, ABatchSeesTheWritesOfCommitsItsReadsMayPredate) {
  publishAll({fair("r1", "R"), fair("r2", "R"), fair("r3", "R"), fair("r4", "Q")});
  auto loop = makeLoop({0, 1, 2, 3}, "fairs", 1);  // every event its own batch and transaction
  redis_.command({"CLIENT", "PAUSE", "500", "WRITE"});
  runUntilCaughtUp({loop.get()});
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("r1")}).str, "applied");
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("r2")}).str, test::kFairRefused);
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("r3")}).str, test::kFairRefused);
  EXPECT_EQ(redis_.command({"GET", loop->verdictKey("r4")}).str, "applied");
  EXPECT_EQ(fairsCounted(*loop), 2);
}

TEST_F(ServiceLoopTest, TwoInstancesWithDisjointPartitionsApplyEveryEventOnce) {
  auto first = makeLoop({0, 1});
  auto second = makeLoop({2, 3});
  std::vector<std::string> frames;
  for (int i = 0; i < 400; ++i)
    frames.push_back(fair("s" + std::to_string(i), "S" + std::to_string(i)));
  publishAll(frames);
  runUntilCaughtUp({first.get(), second.get()});
  EXPECT_EQ(fairsCounted(*first), 400);  // both write the same counter, each for its own events
  for (int i = 0; i < 400; ++i) {
    EXPECT_EQ(redis_.command({"GET", first->verdictKey("s" + std::to_string(i))}).str, "applied");
  }
}

TEST_F(ServiceLoopTest, DerivedEventsReachTheBusOnceEvenWhenSentAgain) {
  auto loop = makeLoop({0, 1, 2, 3});
  publishAll({test::frameOf(test::fixtureLines()[8])});  // skillCertified
  runUntilCaughtUp({loop.get()});
  runUntilCaughtUp({loop.get()});  // and the derived event it caused
  EXPECT_EQ(storedCopies("subsidy:fixture-09-skillCertified"), 1);
  EXPECT_EQ(redis_.command({"LLEN", loop->outboxKey()}).integer, 0);

  // A crash after the commit but before the outbox was emptied: the same derived event is sent
  // again on restart, and the bus keeps one copy.
  std::string frame;
  for (uint32_t p = 0; p < kPartitions && frame.empty(); ++p) {
    for (const auto& e : readLog(redis_, p, 1, 1000)) {
      FrameReader reader(e.envelope);
      if (reader.root<msg::Envelope>().isSubsidyGranted()) frame = e.envelope;
    }
  }
  ASSERT_FALSE(frame.empty());
  redis_.command({"RPUSH", loop->outboxKey(), frame});
  auto restarted = makeLoop({0, 1, 2, 3});
  restarted->runOnce();
  EXPECT_EQ(storedCopies("subsidy:fixture-09-skillCertified"), 1);
  EXPECT_EQ(redis_.command({"LLEN", loop->outboxKey()}).integer, 0);
}

// Instances of a service own disjoint partitions and each its own outbox: one instance's sends
// never trim what another committed and has not sent yet (here, left by a crash).
TEST_F(ServiceLoopTest, AnInstanceSendsAndTrimsOnlyItsOwnOutbox) {
  std::string certified = test::frameOf(test::fixtureLines()[8]);  // skillCertified
  uint32_t partition =
      bus::readFrame(certified, Catalogue::builtIn(), systemClock(), kPartitions).partition;
  std::vector<uint32_t> others;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    if (p != partition) others.push_back(p);
  }
  auto first = makeLoop(others);
  auto second = makeLoop({partition});
  EXPECT_NE(first->outboxKey(), second->outboxKey());
  second->runOnce();  // started, its outbox read

  // The first instance crashed after committing a derived event it had not sent.
  std::string cause = test::frameOf(test::withEventId(test::fixtureLines()[8], "orphan-cause"));
  FrameReader reader(cause);
  redis_.command({"RPUSH", first->outboxKey(), test::subsidyFor(reader.root<msg::Envelope>())});
  // The second commits and sends a derived event of its own.
  publishAll({certified});
  runUntilCaughtUp({second.get()});
  EXPECT_EQ(storedCopies("subsidy:fixture-09-skillCertified"), 1);

  auto restarted = makeLoop(others);
  restarted->runOnce();
  EXPECT_EQ(storedCopies("subsidy:orphan-cause"), 1) << "the crashed instance's event was lost";
  EXPECT_EQ(redis_.command({"LLEN", first->outboxKey()}).integer, 0);
  EXPECT_EQ(redis_.command({"LLEN", second->outboxKey()}).integer, 0);
}

}  // namespace
}  // namespace mwp
