// Redis itself killed (kill -9) while the bus's batch calls are in flight, and restarted from its
// append-only file: every event the bus acknowledged is in the log exactly once. And what the
// durability of ops/redis/durability.conf promises after a burst, read from INFO persistence.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "bus_client.h"
#include "config_files.h"
#include "test_env.h"

namespace mwp {
namespace {

double acknowledgedSoFar(test::BusThread& bus) {
  return test::samples(bus.registry, "mwp_bus_events_total")["ack"];
}

// The "KEY:VALUE" line of an INFO section.
std::string infoField(Redis& redis, const std::string& section, const std::string& key) {
  std::string info = redis.command({"INFO", section}).str;
  auto at = info.find("\r\n" + key + ":");
  if (at == std::string::npos) return "";
  at += key.size() + 3;
  return info.substr(at, info.find("\r\n", at) - at);
}

// What ops/redis/durability.conf sets `directive` to.
std::string durabilitySetting(const std::string& directive) {
  std::istringstream conf(readTextFile(MWP_REDIS_DURABILITY_CONF, "Redis's durability settings"));
  for (std::string line; std::getline(conf, line);) {
    if (line.rfind(directive + " ", 0) == 0) return line.substr(directive.size() + 1);
  }
  return "";
}

TEST(RedisCrash, KillNineInTheMiddleOfABatchLosesNothingAcknowledged) {
  constexpr uint32_t kPartitions = 4;
  // Rounds long enough that a kill after the first acknowledgements lands while the bus's later
  // batches are still in Redis's hands: a batch is one call now, and 4,000 events took as little
  // as a few milliseconds, so the kills came after the round was stored.
  constexpr int kRounds = 3, kMaxRounds = 10, kEventsARound = 20000;
  // Written and fsynced before each answer. With the default `everysec` Redis answers writes it
  // holds back while its once-a-second fsync runs (milliseconds on this disk): a kill landing
  // then loses them — Redis's window, stated in the README — and this test would fail for it
  // about once in a hundred kills. What it checks is the bus's part: that nothing Redis has
  // written is answered wrongly, lost or stored twice across the kill and the retries.
  test::OwnRedis redis({"--appendfsync", "always"});
  test::BusThread bus(kPartitions, test::loggedInAs(redis.endpoint(), "bus"), {});

  zmq::context_t context;
  PublisherOptions options;
  options.replyTimeout = std::chrono::milliseconds(500);
  options.attempts = 60;
  options.window = 2048;  // several of the bus's batches in flight at once
  Publisher publisher(context, bus.ingest, options);

  std::vector<IngestResult> results;
  int kills = 0;
  auto faults = [&] { return test::samples(bus.registry, "mwp_bus_redis_faults_total")[""]; };
  // At least kRounds; more (up to kMaxRounds) while no kill has yet caught a call in Redis's hands,
  // which depends on this machine's timing.
  int rounds = 0;
  for (int round = 0; round < kRounds || (faults() == 0 && round < kMaxRounds); ++round) {
    ++rounds;
    auto frames = test::numberedFrames("round" + std::to_string(round) + "-", kEventsARound);
    // The killer: kill -9 once the round's first acknowledgements are out, while the rest of
    // the round's batches are in Redis's hands; Redis then restarts from its append-only file.
    double before = acknowledgedSoFar(bus);
    std::thread killer([&] {
      while (acknowledgedSoFar(bus) < before + 1) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      redis.process().kill9();
      ++kills;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      redis.process().start();
    });
    auto got = publisher.publish(frames);
    killer.join();
    results.insert(results.end(), got.begin(), got.end());
  }
  ASSERT_EQ(kills, rounds);
  EXPECT_GT(faults(), 0)
      << "the bus never lost a call to Redis: the kills came too late to test anything";

  // The log as the restarted Redis read it back from its append-only file.
  Redis log(redis.endpoint());
  test::untilAvailable([&] { return log.command({"PING"}); });
  test::expectEachStoredOnce(redis.endpoint(), results, rounds * kEventsARound, kPartitions);

  // Sent again, each is answered as stored before, and nothing more is stored.
  auto again = publisher.publish(test::numberedFrames("round1-", kEventsARound));
  for (const auto& r : again) {
    EXPECT_EQ(r.status, msg::IngestReply::Status::DUPLICATE) << r.eventId;
  }
  test::expectEachStoredOnce(redis.endpoint(), results, rounds * kEventsARound, kPartitions);
}

// The acknowledgement's promise, from the policy every Redis of mwp runs with (the tests' own
// Redis servers include ops/redis/durability.conf as ops/run.sh does). With `always` Redis writes
// and fsyncs the append-only file before it answers, so no write ever waited for a slow fsync:
// aof_delayed_fsync must be 0. With `everysec` Redis holds writes back while its background fsync
// runs and answers them anyway (what a kill -9 of Redis then takes); aof_delayed_fsync counts the
// holds that reached 2 s. That is up to the disk, so it is reported, not asserted.
TEST(RedisCrash, AfterABurstTheAppendOnlyFileIsAsTheDurabilityPolicySays) {
  std::string policy = durabilitySetting("appendfsync");
  ASSERT_FALSE(policy.empty()) << MWP_REDIS_DURABILITY_CONF << " sets no appendfsync";
  test::OwnRedis redis;
  Redis admin(redis.endpoint());
  ASSERT_EQ(admin.command({"CONFIG", "GET", "appendfsync"}).elements.at(1).str, policy)
      << "the tests' Redis does not run as ops/redis/durability.conf says";
  ASSERT_EQ(infoField(admin, "persistence", "aof_enabled"), "1");

  test::BusThread bus(4, test::loggedInAs(redis.endpoint(), "bus"), {});
  zmq::context_t context;
  Publisher publisher(context, bus.ingest);
  constexpr int kBurst = 20000;
  auto results = publisher.publish(test::numberedFrames("burst-", kBurst));
  ASSERT_EQ(std::count_if(
                results.begin(), results.end(),
                [](const IngestResult& r) { return r.status == msg::IngestReply::Status::ACK; }),
            kBurst);

  std::string delayed = infoField(admin, "persistence", "aof_delayed_fsync");
  EXPECT_EQ(infoField(admin, "persistence", "aof_last_write_status"), "ok");
  RecordProperty("aof_delayed_fsync", delayed);
  std::cout << "appendfsync " << policy << ": aof_delayed_fsync " << delayed << " after " << kBurst
            << " events\n";
  if (policy == "always") {
    EXPECT_EQ(delayed, "0") << "an acknowledged write waited for an fsync that was slow";
  }
}

}  // namespace
}  // namespace mwp
