// A bus killed (kill -9) during a stream, or its Redis connection killed again and again, loses
// no event that was acknowledged and stores none twice: the publisher re-sends what went
// unanswered and the bus de-duplicates.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "bus_client.h"
#include "event_log.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

TEST(BusCrash, KillNineDuringAStreamLosesNothingAcknowledged) {
  test::flushRedis();
  constexpr uint32_t kPartitions = 4;
  constexpr int kEvents = 10000;
  std::string ingest = test::freeEndpoint(), publish = test::freeEndpoint();
  auto bus = test::busProcess(ingest, publish, kPartitions);
  bus.start();

  auto frames = test::numberedFrames("crash-", kEvents);

  // The killer: a kill -9 in the middle of the 5th and of the 13th chunk of 500, each followed
  // by a restart. The publisher cannot tell a dead bus from a slow one: it re-sends.
  std::atomic<int> chunksDone{0};
  int kills = 0;
  std::thread killer([&] {
    for (int when : {4, 12}) {
      while (chunksDone < when) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      bus.kill9();
      ++kills;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      bus.start();
    }
  });

  zmq::context_t context;
  PublisherOptions options;
  options.replyTimeout = std::chrono::milliseconds(500);
  options.attempts = 40;
  options.window = 256;
  Publisher publisher(context, ingest, options);
  std::vector<IngestResult> results;
  // Sent in chunks so the kills land in the middle of the stream.
  for (int start = 0; start < kEvents; start += 500) {
    std::vector<std::string> chunk(frames.begin() + start, frames.begin() + start + 500);
    auto got = publisher.publish(chunk);
    results.insert(results.end(), got.begin(), got.end());
    ++chunksDone;
  }
  killer.join();
  EXPECT_EQ(kills, 2);

  test::expectEachStoredOnce(test::testRedis(), results, kEvents, kPartitions);
  bus.stop();
}

// The bus keeps one batch's pipeline in flight while it checks the next. Its Redis connection
// killed again and again mid-stream: each batch whose storing was not confirmed is retried or
// left unanswered (the publisher re-sends), and nothing is stored twice or lost.
TEST(BusCrash, RedisConnectionsKilledDuringAStreamLoseNothingAcknowledged) {
  test::flushRedis();
  constexpr uint32_t kPartitions = 4;
  constexpr int kEvents = 6000;
  test::BusThread bus(kPartitions);
  auto frames = test::numberedFrames("conn-", kEvents);
  std::atomic<bool> sending{true};
  std::thread killer([&] {
    Redis redis(test::testRedis());
    while (sending) {
      redis.command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
  });
  zmq::context_t context;
  PublisherOptions options;
  options.replyTimeout = std::chrono::milliseconds(500);
  options.attempts = 40;
  Publisher publisher(context, bus.ingest, options);
  std::vector<IngestResult> results;
  for (int start = 0; start < kEvents; start += 500) {
    std::vector<std::string> chunk(frames.begin() + start, frames.begin() + start + 500);
    auto got = publisher.publish(chunk);
    results.insert(results.end(), got.begin(), got.end());
  }
  sending = false;
  killer.join();
  test::expectEachStoredOnce(test::testRedis(), results, kEvents, kPartitions);
  EXPECT_GT(test::samples(bus.registry, "mwp_bus_redis_faults_total")[""], 0)
      << "the connection was never lost: the test proved nothing";
  // Every stored event is announced, also those whose first answer was lost with a connection
  // and which were answered as duplicates: heartbeats carry this sequence to the followers.
  Redis redis(test::testRedis());
  auto last = lastSequences(redis, kPartitions);
  auto announced = test::samples(bus.registry, "mwp_bus_partition_sequence");
  for (uint32_t p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(announced[std::to_string(p)], static_cast<double>(last[p])) << "partition " << p;
  }
}

}  // namespace
}  // namespace mwp
