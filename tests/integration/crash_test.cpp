// kill -9 of the bus during a stream of 10,000 events loses none that was acknowledged, and
// stores none twice: the publisher re-sends what went unanswered and the bus de-duplicates.
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

  std::vector<std::string> frames;
  for (int i = 0; i < kEvents; ++i) {
    frames.push_back(
        test::frameOf(test::withEventId(test::fixtureLines()[41], "crash-" + std::to_string(i))));
  }

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

  Redis redis(test::testRedis());
  std::map<std::string, int> copies;
  int64_t stored = 0;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    uint64_t expected = 1;
    for (const auto& e : readLog(redis, p, 1, 1000000)) {
      EXPECT_EQ(e.sequence, expected++) << "no holes in partition " << p;
      FrameReader reader(e.envelope);
      ++copies[reader.root<msg::Envelope>().getEventId().cStr()];
      ++stored;
    }
  }
  int acknowledged = 0;
  for (const auto& r : results) {
    ASSERT_NE(r.status, msg::IngestReply::Status::NACK) << r.eventId << ": " << r.reason;
    EXPECT_EQ(copies[r.eventId], 1)
        << r.eventId << " acknowledged but stored " << copies[r.eventId] << " times";
    ++acknowledged;
  }
  EXPECT_EQ(acknowledged, kEvents);
  EXPECT_EQ(stored, kEvents);
  std::cout << "kills: " << kills << ", acknowledged: " << acknowledged << ", stored: " << stored
            << "\n";
  bus.stop();
}

}  // namespace
}  // namespace mwp
