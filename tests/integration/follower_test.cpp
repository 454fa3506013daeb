// A follower sees every stored event of its partitions exactly once, in order, whether it was
// running, started late, or stopped in the middle.
#include <gtest/gtest.h>

#include "bus_client.h"
#include "test_env.h"

namespace mwp {
namespace {

class FollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    bus_ = std::make_unique<test::BusThread>(kPartitions);
    publisher_ = std::make_unique<Publisher>(context_, bus_->ingest);
  }

  // Publishes `n` activity events with ids prefix-0 …; returns how many landed in each partition.
  std::map<uint32_t, uint64_t> publish(const std::string& prefix, int n) {
    std::vector<std::string> frames;
    for (int i = 0; i < n; ++i) {
      frames.push_back(test::frameOf(
          test::withEventId(test::fixtureLines()[41], prefix + "-" + std::to_string(i))));
    }
    std::map<uint32_t, uint64_t> perPartition;
    for (const auto& r : publisher_->publish(frames)) {
      EXPECT_EQ(r.status, msg::IngestReply::Status::ACK) << r.reason;
      perPartition[r.partition] = std::max(perPartition[r.partition], r.sequence);
    }
    return perPartition;
  }

  // Polls until `follower` has delivered `total` events or 10 s pass; checks order as it goes.
  void drain(EventFollower& follower, size_t total, std::map<uint32_t, uint64_t>& seen) {
    size_t got = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (got < total && std::chrono::steady_clock::now() < deadline) {
      for (const auto& e : follower.poll(std::chrono::milliseconds(100), 1000)) {
        ASSERT_EQ(e.sequence, seen[e.partition] + 1)
            << "partition " << e.partition << ": each sequence once, in order";
        seen[e.partition] = e.sequence;
        ++got;
      }
    }
    EXPECT_EQ(got, total);
  }

  std::map<uint32_t, uint64_t> startCursors() {
    std::map<uint32_t, uint64_t> cursors;
    for (uint32_t p = 0; p < kPartitions; ++p) cursors[p] = 0;
    return cursors;
  }

  static constexpr uint32_t kPartitions = 4;
  zmq::context_t context_;
  Redis redis_{test::testRedis()};
  std::unique_ptr<test::BusThread> bus_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(FollowerTest, ALateStarterCatchesUpFromTheLog) {
  auto stored = publish("late", 3000);
  EventFollower follower(context_, bus_->publish, redis_, startCursors());
  std::map<uint32_t, uint64_t> seen;
  drain(follower, 3000, seen);
  EXPECT_EQ(seen, stored);
  EXPECT_GT(follower.catchUpReads(), 0u);
  // Nothing more arrives: no event is delivered twice.
  EXPECT_TRUE(follower.poll(std::chrono::milliseconds(300), 1000).empty());
}

TEST_F(FollowerTest, ARunningFollowerSeesEveryEventOnce) {
  EventFollower follower(context_, bus_->publish, redis_, startCursors());
  follower.poll(std::chrono::milliseconds(200), 1000);  // connected and caught up (nothing yet)
  auto stored = publish("live", 2000);
  std::map<uint32_t, uint64_t> seen;
  drain(follower, 2000, seen);
  EXPECT_EQ(seen, stored);
}

TEST_F(FollowerTest, AStoppedFollowerResumesFromItsCursorWithoutGapsOrRepeats) {
  std::map<uint32_t, uint64_t> seen;
  {
    EventFollower follower(context_, bus_->publish, redis_, startCursors());
    publish("before", 1000);
    drain(follower, 1000, seen);
  }  // stopped: whatever is published now goes past it
  publish("while-stopped", 1500);
  EventFollower resumed(context_, bus_->publish, redis_, seen);
  drain(resumed, 1500, seen);
  publish("after", 500);
  drain(resumed, 500, seen);
  uint64_t total = 0;
  for (const auto& [p, s] : seen) total += s;
  EXPECT_EQ(total, 3000u);
}

TEST_F(FollowerTest, FollowsOnlyItsOwnPartitions) {
  auto stored = publish("own", 800);
  EventFollower follower(context_, bus_->publish, redis_, {{1, 0}, {3, 0}});
  std::map<uint32_t, uint64_t> seen;
  drain(follower, stored[1] + stored[3], seen);
  EXPECT_EQ(seen.count(0), 0u);
  EXPECT_EQ(seen.count(2), 0u);
}

}  // namespace
}  // namespace mwp
