// The service loop over its ports in memory (loop_fakes.h): the store executes reads ahead and
// transactions in the orders a real Redis allows but rarely shows, and loses confirmations on
// demand. The rules are fair_rules.h's: a fair counted twice means a batch missed a write.
#include "service_loop.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "fair_rules.h"
#include "loop_fakes.h"
#include "test_env.h"

namespace mwp {
namespace {

using Reads = test::FakeStore::Reads;
using Commits = test::FakeStore::Commits;

class LoopOverFakes : public ::testing::Test {
 protected:
  // Every event its own batch and transaction unless said otherwise: the most overlap.
  void makeLoop(size_t maxBatch = 1) {
    ServiceLoopOptions options;
    options.service = "fairs";
    options.partitions = {0, 1};
    options.maxBatch = maxBatch;
    auto events = std::make_unique<test::FakeEvents>();
    auto store = std::make_unique<test::FakeStore>();
    auto sender = std::make_unique<test::FakeSender>(*store);
    events_ = events.get(), store_ = store.get(), sender_ = sender.get();
    store_->reads = reads_;
    store_->commits = commits_;
    loop_ = std::make_unique<ServiceLoop>(
        options, LoopPorts{std::move(events), std::move(store), std::move(sender)}, rules_,
        test::fixtureNow, registry_);
  }

  // Rounds until every event is committed, each fault handled as run() does (less the wait).
  void runUntilCaughtUp() {
    for (int round = 0; round < 1000; ++round) {
      try {
        loop_->runOnce();
      } catch (const RedisUnavailable&) {
        ++faults_;
        loop_->abandon();
        continue;
      }
      if (store_->cursorOf[0] == events_->announced(0) &&
          store_->cursorOf[1] == events_->announced(1) && !events_->ready()) {
        return;
      }
    }
    FAIL() << "the loop did not catch up";
  }

  // run() until `done` holds after a transaction lands; its exit code. Fails the test, and
  // stops, if it is not done after 1000 polls.
  int runUntil(const std::function<bool()>& done) {
    std::atomic<bool> stop{false};
    store_->onLanded = [&] { stop = stop || done(); };
    int polls = 0;
    events_->onPoll = [&] {
      if (++polls < 1000) return;
      ADD_FAILURE() << "the loop was still running";
      stop = true;
    };
    return loop_->run(stop);
  }

  int64_t fairsCounted() { return store_->counters["fairs/all"]; }

  Reads reads_ = Reads::kWhenSent;
  Commits commits_ = Commits::kWhenConfirmed;
  prometheus::Registry registry_;
  test::FairRules rules_;
  test::FakeEvents* events_ = nullptr;
  test::FakeStore* store_ = nullptr;
  test::FakeSender* sender_ = nullptr;
  std::unique_ptr<ServiceLoop> loop_;
  int faults_ = 0;
};

// The read-through invariant. Reads ahead execute as soon as they are sent, transactions only
// when the loop waits for them (what CLIENT PAUSE WRITE does to Redis), so:
//   r1 is applied, its transaction not executed; r2's reads were taken before it;
//   r2 is applied while r1 is unconfirmed, and must see r1's write from r1's overlay;
//   r3's reads were taken while r1 was still unexecuted, and r3 is applied after r1 is
//   confirmed: it must see r1's write from the overlay of a confirmed commit.
TEST_F(LoopOverFakes, ABatchSeesTheWritesOfCommitsItsReadsPredate) {
  makeLoop();
  for (const char* id : {"r1", "r2", "r3"}) events_->append(0, test::fairFrame(id, "R"));
  events_->append(0, test::fairFrame("r4", "Q"));
  runUntilCaughtUp();
  EXPECT_EQ(store_->verdicts["r1"], "applied");
  EXPECT_EQ(store_->verdicts["r2"], test::kFairRefused) << "r1 in flight unseen";
  EXPECT_EQ(store_->verdicts["r3"], test::kFairRefused) << "r1 confirmed unseen";
  EXPECT_EQ(store_->verdicts["r4"], "applied");
  EXPECT_EQ(fairsCounted(), 2);
}

// Whatever order the store executes reads and transactions in, each fair counts once.
class LoopInEveryOrder : public LoopOverFakes,
                         public ::testing::WithParamInterface<std::tuple<Reads, Commits>> {};

TEST_P(LoopInEveryOrder, EachFairCountsOnceAndEveryEventHasItsVerdict) {
  std::tie(reads_, commits_) = GetParam();
  makeLoop(2);
  // Two partitions; in each, a fair comes again three events (a batch and a half) later.
  for (int i = 0; i < 30; ++i) {
    events_->append(i % 2, test::fairFrame("f" + std::to_string(i), "F" + std::to_string(i % 3)));
  }
  runUntilCaughtUp();
  EXPECT_EQ(fairsCounted(), 3);
  EXPECT_EQ(store_->verdicts.size(), 30u);
  EXPECT_EQ(store_->tally.applied, 3);
  EXPECT_EQ(store_->tally.refused, 27);
}

INSTANTIATE_TEST_SUITE_P(
    , LoopInEveryOrder,
    ::testing::Combine(::testing::Values(Reads::kWhenSent, Reads::kWhenCollected),
                       ::testing::Values(Commits::kWhenSent, Commits::kWhenConfirmed)),
    [](const auto& info) {
      return std::string(std::get<0>(info.param) == Reads::kWhenSent ? "ReadsWhenSent"
                                                                     : "ReadsWhenCollected") +
             (std::get<1>(info.param) == Commits::kWhenSent ? "CommitsWhenSent"
                                                            : "CommitsWhenConfirmed");
    });

// Confirmations lost: the loop cannot tell a transaction that landed from one that did not. In
// both cases each event's effects land once: its fair counted once, its verdict, its place in
// the durable tally, its derived event stored by the bus; and no derived event is sent before the
// transaction that holds it has landed (FakeSender checks every send).
class LoopWithLostConfirmations : public LoopOverFakes,
                                  public ::testing::WithParamInterface<bool> {};

TEST_P(LoopWithLostConfirmations, NeitherLoseNorDoubleAnEventsEffects) {
  bool landed = GetParam();
  makeLoop(2);
  std::vector<std::string> certificates;
  for (int i = 0; i < 12; ++i) {
    std::string id = "e" + std::to_string(i);
    if (i % 3 == 0) {
      events_->append(i % 2, test::frameOf(test::withEventId(test::fixtureLines()[8], id)));
      certificates.push_back(id);
    } else {
      events_->append(i % 2, test::fairFrame(id, "F" + std::to_string(i % 4)));
    }
  }
  for (int n : {1, 3, 4, 6}) store_->loseConfirmation(n, landed);
  runUntilCaughtUp();
  loop_->runOnce();  // the derived events of the last commit, if its round ended in a fault

  EXPECT_EQ(faults_, 4);
  EXPECT_EQ(fairsCounted(), 4);  // F0 … F3
  EXPECT_EQ(store_->verdicts.size(), 12u);
  EXPECT_EQ(store_->tally.applied + store_->tally.refused + store_->tally.ignored, 12)
      << "the durable tally counts each event of the log once";
  std::set<std::string> expected;
  for (const auto& id : certificates) expected.insert("subsidy:" + id);
  EXPECT_EQ(sender_->stored, expected);
  EXPECT_TRUE(store_->outboxFrames.empty()) << "sent but never trimmed";
}

INSTANTIATE_TEST_SUITE_P(, LoopWithLostConfirmations, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Landed" : "NotLanded"; });

// The error tiers of run(). A fault heals: counted, logged, retried from the last commit.
TEST_F(LoopOverFakes, AFaultOfRedisOrTheBusIsCountedAndRetried) {
  makeLoop();
  events_->append(0, test::fairFrame("a", "A"));
  events_->append(1, test::frameOf(test::withEventId(test::fixtureLines()[8], "c")));
  store_->failures.failOnce("confirmCommit",
                            std::make_exception_ptr(RedisUnavailable("connection lost")));
  events_->failures.failOnce("poll", std::make_exception_ptr(zmq::error_t(ETERM)));
  sender_->failures.failOnce("send", std::make_exception_ptr(BusUnreachable("no answer")));
  EXPECT_EQ(runUntil([&] { return store_->cursorOf[0] == 1 && store_->cursorOf[1] == 1; }), 0);
  EXPECT_EQ(test::samples(registry_, "mwp_service_faults_total")["fairs"], 3);
  EXPECT_EQ(store_->verdicts["a"], "applied");
  EXPECT_EQ(fairsCounted(), 1);
}

// A defect does not heal: the loop stops with a line that says why, for the supervisor to
// restart the process, instead of repeating the defect forever.
TEST_F(LoopOverFakes, ALogicErrorStopsTheLoop) {
  makeLoop();
  events_->append(0, test::fairFrame("a", "A"));
  store_->failures.failOnce("sendCommit",
                            std::make_exception_ptr(std::logic_error("a call out of order")));
  testing::internal::CaptureStderr();
  int code = runUntil([] { return true; });  // something landed: the loop went on
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, ServiceLoop::kDefectExitCode);
  EXPECT_NE(log.find(R"("level":"error")"), std::string::npos) << log;
  EXPECT_NE(log.find("a call out of order"), std::string::npos) << log;
  EXPECT_EQ(test::samples(registry_, "mwp_service_faults_total")["fairs"], 0);
  EXPECT_FALSE(loop_->healthy());
}

TEST_F(LoopOverFakes, ACorruptCursorStopsTheLoopNamingTheKey) {
  makeLoop();
  store_->failures.failOnce(
      "cursors", std::make_exception_ptr(CorruptState("mwp:cursor:fairs:1", "not a number")));
  events_->append(0, test::fairFrame("a", "A"));
  testing::internal::CaptureStderr();
  int code = runUntil([] { return true; });  // something landed: the loop went on
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, ServiceLoop::kDefectExitCode);
  EXPECT_NE(log.find(R"("key":"mwp:cursor:fairs:1")"), std::string::npos) << log;
  EXPECT_EQ(events_->resumed, 0) << "resumed from a cursor it could not read";
}

}  // namespace
}  // namespace mwp

namespace mwp {
namespace {

// What GET /v1/events/{id} shows of a verdict: a word, or the JSON of a refusal, a note, or an
// applied event naming only the rule it was counted under (gateway/openapi.json's three forms).
TEST(StoredVerdict, KeepsTheRuleOfAnAppliedEventEvenWithoutANote) {
  EXPECT_EQ(storedVerdict(Verdict{}), "applied");
  EXPECT_EQ(storedVerdict(appliedUnder(RuleId{"housing.public_rental.completed_share"}).verdict),
            R"({"status":"applied","rule":"housing.public_rental.completed_share"})");
  EXPECT_EQ(storedVerdict(Verdict{true, "r", "n", "注"}),
            R"({"status":"applied","rule":"r","note":"n","noteZh":"注"})");
  EXPECT_EQ(storedVerdict(Verdict{false, "r", "why", "因"}),
            R"({"status":"refused","rule":"r","reason":"why","reasonZh":"因"})");
}

}  // namespace
}  // namespace mwp
