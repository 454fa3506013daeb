// A Redis client pointed at Sentinel, against real processes on 127.0.0.1: a primary, its replica
// and three Sentinels (redis-server in sentinel mode), started for each test on free ports. It
// finds the primary, follows a failover, and never takes a demoted primary's -READONLY for an
// answer; the bus, acknowledging only what a replica has, stops acknowledging without one; and a
// service whose commits the replica never had re-applies them from the log after the failover.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <httplib.h>

#include "admin_server.h"
#include "audit_log.h"
#include "bus_client.h"
#include "child_process.h"
#include "event_log.h"
#include "redis.h"
#include "service_harness.h"
#include "snapshot.h"
#include "test_env.h"

namespace mwp {
namespace {

using namespace std::chrono_literals;

const char* const kRedisServer = "/usr/bin/redis-server";

using test::untilAvailable;

class SentinelGroup : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mwp-sentinel-" + std::to_string(::getpid()) + "-" + std::to_string(freeTcpPort()));
    std::filesystem::create_directories(dir_);
    primary_ = std::make_unique<test::OwnRedis>();
    primaryPort_ = primary_->port();
    replica_ = std::make_unique<test::OwnRedis>(
        std::vector<std::string>{"--replicaof", "127.0.0.1", std::to_string(primaryPort_)},
        replicaModule_);
    replicaPort_ = replica_->port();
    for (int i = 0; i < 3; ++i) {
      int port = freeTcpPort();
      std::string conf = (dir_ / ("sentinel-" + std::to_string(i) + ".conf")).string();
      std::ofstream(conf) << "port " << port << "\nbind 127.0.0.1\n"
                          << "sentinel monitor mwp 127.0.0.1 " << primaryPort_ << " 2\n"
                          << "sentinel down-after-milliseconds mwp 1000\n"
                          << "sentinel failover-timeout mwp 10000\n";
      if (!test::redisSecrets().empty()) {
        // The Sentinels log in to the servers as their user, and answer only with their password.
        std::ofstream(conf, std::ios::app)
            << "sentinel auth-user mwp sentinel\n"
            << "sentinel auth-pass mwp " << test::redisPassword("sentinel") << "\n"
            << "requirepass " << sentinelsPassword() << "\n"
            << "sentinel sentinel-pass " << sentinelsPassword() << "\n";
      }
      sentinels_.push_back(std::make_unique<ChildProcess>(
          kRedisServer, std::map<std::string, std::string>{},
          std::vector<std::string>{conf, "--sentinel"}, (dir_ / "sentinels.log").string()));
      sentinels_.back()->start();
      sentinelAddresses_.push_back({"127.0.0.1", port});
    }
    // Ready when the replica has caught up and every Sentinel knows the replica and the others.
    untilAvailable([&] {
      Redis replica(serverAt(replicaPort_), 1s);
      auto info = replica.command({"INFO", "replication"});
      if (info.str.find("master_link_status:up") == std::string::npos)
        throw RedisUnavailable("replica not in sync yet");
      for (const auto& s : sentinelAddresses_) {
        Redis sentinel(sentinelAt(s.port), 1s);
        auto replicas = sentinel.command({"SENTINEL", "replicas", "mwp"});
        auto others = sentinel.command({"SENTINEL", "sentinels", "mwp"});
        if (replicas.elements.size() != 1 || others.elements.size() != 2)
          throw RedisUnavailable("Sentinels still discovering");
      }
      return 0;
    });
  }

  void TearDown() override {
    sentinels_.clear();
    primary_.reset();
    replica_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string sentinelsPassword() {
    return test::redisSecrets().empty() ? "" : test::redisPassword("sentinels");
  }
  // A Sentinel, with its password; a server of the group, as its admin.
  static RedisEndpoint sentinelAt(int port) {
    RedisEndpoint endpoint;
    endpoint.port = port;
    endpoint.password = sentinelsPassword();
    return endpoint;
  }
  static RedisEndpoint serverAt(int port) {
    RedisEndpoint endpoint;
    endpoint.port = port;
    return test::loggedInAs(endpoint, "admin");
  }

  RedisEndpoint throughSentinels(const std::string& user = "admin") const {
    RedisEndpoint endpoint = test::loggedInAs({}, user);
    endpoint.sentinelPassword = sentinelsPassword();
    endpoint.port = 1;  // never used: the Sentinels name the primary
    endpoint.sentinels = sentinelAddresses_;
    endpoint.primaryName = "mwp";
    return endpoint;
  }

  std::string at(int port) const { return "127.0.0.1:" + std::to_string(port); }

  std::filesystem::path dir_;
  test::LogModule replicaModule_ = test::LogModule::kLoaded;
  int primaryPort_ = 0, replicaPort_ = 0;
  std::unique_ptr<test::OwnRedis> primary_, replica_;
  std::vector<std::unique_ptr<ChildProcess>> sentinels_;
  std::vector<RedisAddress> sentinelAddresses_;
};

TEST_F(SentinelGroup, AClientFindsThePrimaryAndFollowsAForcedFailover) {
  Redis redis(throughSentinels());
  EXPECT_EQ(redis.command({"SET", "before", "1"}).str, "OK");
  EXPECT_EQ(redis.address(), at(primaryPort_));

  Redis sentinel(sentinelAt(sentinelAddresses_[0].port));
  ASSERT_EQ(sentinel.command({"SENTINEL", "FAILOVER", "mwp"}).str, "OK");

  // Once promoted, the replica takes the writes; until then a call is unavailable, not an error
  // reply taken for an answer.
  untilAvailable([&] {
    auto set = redis.command({"SET", "after", "1"});
    EXPECT_FALSE(set.isError()) << set.str;
    if (redis.address() != at(replicaPort_)) throw RedisUnavailable("still on the old primary");
    return set;
  });
  EXPECT_EQ(redis.command({"GET", "before"}).str, "1") << "what the old primary had, replicated";
}

TEST_F(SentinelGroup, AClientWithoutTheSentinelsPasswordIsNotToldThePrimary) {
  ASSERT_FALSE(test::redisSecrets().empty()) << "run the tests with ops/test.sh";
  RedisEndpoint stranger = throughSentinels();
  stranger.sentinelPassword.clear();
  try {
    Redis(stranger, 300ms).command({"PING"});
    ADD_FAILURE() << "the Sentinels named the primary to a client without their password";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("NOAUTH"), std::string::npos) << e.what();
  }
  stranger.sentinelPassword = "a guess";
  try {
    Redis(stranger, 300ms).command({"PING"});
    ADD_FAILURE() << "a wrong Sentinel password was let in";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("refused the Sentinels' password"), std::string::npos)
        << e.what();
    EXPECT_EQ(std::string(e.what()).find("a guess"), std::string::npos) << "the password shown";
  }
  // And an attacker on the network cannot fail the group over.
  RedisEndpoint anonymous = sentinelAt(sentinelAddresses_[0].port);
  anonymous.password.clear();
  auto failover = Redis(anonymous).command({"SENTINEL", "FAILOVER", "mwp"});
  EXPECT_TRUE(failover.isError() && failover.str.rfind("NOAUTH", 0) == 0) << failover.str;
}

TEST_F(SentinelGroup, AClientFollowsThePrimaryKilledByKillNine) {
  Redis redis(throughSentinels(), 2s);
  EXPECT_EQ(redis.command({"SET", "before", "1"}).str, "OK");
  primary_->process().kill9();
  // Sentinel sees it down after a second, agrees, and promotes the replica.
  auto set = untilAvailable([&] { return redis.command({"SET", "after", "1"}); }, 60s);
  EXPECT_EQ(set.str, "OK");
  EXPECT_EQ(redis.address(), at(replicaPort_));
}

TEST_F(SentinelGroup, AReplicasReadOnlyReplyIsUnavailableNotAnAnswer) {
  Redis replica(serverAt(replicaPort_));
  try {
    replica.command({"SET", "k", "v"});
    FAIL() << "a write to a replica was answered";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("READONLY"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(replica.connected()) << "dropped, so the next call looks for the primary again";
  // The same inside a transaction: the queued write's -READONLY, not EXEC's -EXECABORT, decides.
  EXPECT_THROW(replica.pipeline({{"MULTI"}, {"SET", "k", "v"}, {"EXEC"}}), RedisUnavailable);
}

TEST_F(SentinelGroup, TheBusAcknowledgesOnlyWhatAReplicaHasAndSaysWhyItStopped) {
  test::BusThread bus(4, throughSentinels("bus"), [](bus::BusOptions& options) {
    options.ackReplicas = 1;
    options.replicaWait = 300ms;
  });
  AdminServer admin("127.0.0.1", 0, bus.registry, [&bus] { return bus.bus().notReadyBecause(); });
  httplib::Client adminClient("127.0.0.1", admin.port());
  zmq::context_t context;
  PublisherOptions quick;
  quick.replyTimeout = 500ms;
  quick.attempts = 2;
  Publisher publisher(context, bus.ingest, quick);
  auto line = test::fixtureLines()[0];

  auto first = publisher.publish(test::frameOf(test::withEventId(line, "replicated-1")));
  EXPECT_EQ(first.status, msg::IngestReply::Status::ACK) << first.reason;
  EXPECT_EQ(adminClient.Get("/readyz")->status, 200);

  // The replica stops (SIGSTOP: its connection stays open, it confirms nothing).
  replica_->process().pause();
  std::string second = test::frameOf(test::withEventId(line, "replicated-2"));
  EXPECT_THROW(publisher.publish(second), BusUnreachable) << "acknowledged with no replica";
  auto ready = adminClient.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("0 of 1 replicas confirmed"), std::string::npos) << ready->body;

  // Back: the event stored on the primary meanwhile is confirmed now, and answered as stored.
  replica_->process().resume();
  auto again = untilAvailable([&] {
    try {
      return publisher.publish(second);
    } catch (const BusUnreachable& e) {
      throw RedisUnavailable(e.what());
    }
  });
  EXPECT_NE(again.status, msg::IngestReply::Status::NACK) << again.reason;
  EXPECT_EQ(adminClient.Get("/readyz")->status, 200);
  Redis primary(serverAt(primaryPort_));
  EXPECT_TRUE(findStored(primary, DedupWindow{}, "replicated-2", systemClock()));
}

// A replica started without the log's module: it replicates the module's effects (plain commands),
// and once promoted the bus, asking again at its new connection, stores with the Function.
class SentinelGroupWithAReplicaWithoutTheModule : public SentinelGroup {
 protected:
  SentinelGroupWithAReplicaWithoutTheModule() { replicaModule_ = test::LogModule::kNotLoaded; }
};

TEST_F(SentinelGroupWithAReplicaWithoutTheModule, TheBusStoresWithTheFunctionOnceFailedOverToIt) {
  test::BusThread bus(4, throughSentinels("bus"), {});
  zmq::context_t context;
  PublisherOptions patient;
  patient.replyTimeout = 500ms;
  patient.attempts = 60;  // through the failover
  Publisher publisher(context, bus.ingest, patient);
  auto line = test::fixtureLines()[0];
  std::string first = test::frameOf(test::withEventId(line, "before-failover"));
  auto stored = publisher.publish(first);
  ASSERT_EQ(stored.status, msg::IngestReply::Status::ACK) << stored.reason;
  auto callsOf = [&](int port, const std::string& command) {
    std::string stats = Redis(serverAt(port)).command({"INFO", "commandstats"}).str;
    return stats.find("cmdstat_" + command + ":calls=") != std::string::npos;
  };
  EXPECT_TRUE(callsOf(primaryPort_, "mwp.store_batch"));

  primary_->process().kill9();
  // Sent while the primary dies: stored there and replicated before the kill (then a duplicate
  // on the promoted replica), or stored only there.
  auto during = publisher.publish(test::frameOf(test::withEventId(line, "during-failover")));
  EXPECT_NE(during.status, msg::IngestReply::Status::NACK) << during.reason;
  auto after = publisher.publish(test::frameOf(test::withEventId(line, "after-failover")));
  EXPECT_EQ(after.status, msg::IngestReply::Status::ACK) << after.reason;
  auto again = publisher.publish(first);
  EXPECT_EQ(again.status, msg::IngestReply::Status::DUPLICATE) << "its dedup entry replicated";
  EXPECT_EQ(again.sequence, stored.sequence);
  EXPECT_TRUE(callsOf(replicaPort_, "fcall"));
  EXPECT_FALSE(callsOf(replicaPort_, "mwp.store_batch"));
  Redis promoted(serverAt(replicaPort_));
  EXPECT_EQ(readLog(promoted, stored.partition, stored.sequence, 1).size(), 1u)
      << "the module's record batch, replicated as an XADD";
}

TEST_F(SentinelGroup, AReadWhoseAuditNoReplicaHasIsNotServed) {
  gateway::AuditLog audit(throughSentinels("gateway"), 1, 300ms);
  gateway::ApiKey reader{"integrator-1", gateway::Role::kIntegrator};
  const std::string worker = "510703199005121230";
  EXPECT_NO_THROW(
      audit.record(reader, {"/v1/workers/{workerId}", {worker}, {"employment"}}, 1772424000));
  replica_->process().pause();
  try {
    audit.record(reader, {"/v1/workers/{workerId}", {worker}, {"employment"}}, 1772424001);
    ADD_FAILURE() << "a read was let through with its audit on the primary alone";
  } catch (const RedisUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("not replicated"), std::string::npos) << e.what();
  }
  replica_->process().resume();
  EXPECT_NO_THROW(untilAvailable([&] {
    audit.record(reader, {"/v1/workers/{workerId}", {worker}, {"employment"}}, 1772424002);
    return 0;
  }));
}

// A service does not wait for a replica before committing (ARCHITECTURE.md: its state is a
// function of the log), so a failover can lose its last commits — but only state and cursor
// together, in one transaction: the service finds its cursor back where the new primary has it
// and applies the rest of the log again. Its state must then equal a clean replay.
TEST_F(SentinelGroup, CommitsTheReplicaNeverHadAreAppliedAgainAfterAFailover) {
  test::flushRedis();  // the bus's log, on the test Redis
  test::BusThread bus(4);
  std::string sentinels;
  for (const auto& s : sentinelAddresses_) sentinels += (sentinels.empty() ? "" : ",") + at(s.port);
  std::map<std::string, std::string> throughTheSentinels = {
      {"MWP_EMPLOYMENT_REDIS_SENTINELS", sentinels}, {"MWP_EMPLOYMENT_REDIS_PRIMARY", "mwp"}};
  if (!test::redisSecrets().empty())
    throughTheSentinels.emplace("MWP_EMPLOYMENT_REDIS_SENTINEL_PASSWORD_FILE",
                                test::passwordFile("sentinels"));
  test::RunningService employment(MWP_EMPLOYMENT_BINARY, "employment", bus, throughTheSentinels);
  zmq::context_t context;
  Publisher publisher(context, bus.ingest);
  // One worker's events: one partition, applied in this order.
  auto publishBatch = [&](const std::string& prefix) {
    std::vector<std::string> frames;
    for (int i = 0; i < 5; ++i)
      frames.push_back(
          test::frameOf(test::withEventId(test::fixtureLines()[0], prefix + std::to_string(i))));
    for (const auto& r : publisher.publish(frames))
      ASSERT_EQ(r.status, msg::IngestReply::Status::ACK) << r.reason;
    employment.waitForVerdict(prefix + "4");
  };
  publishBatch("replicated-");
  Redis primary(serverAt(primaryPort_)), replica(serverAt(replicaPort_));
  ASSERT_EQ(primary.command({"WAIT", "1", "5000"}).integer, 1);

  // The replica stops applying what the primary streams to it (its writes wait), while it still
  // answers the Sentinels; the service commits the next batch on the primary alone.
  ASSERT_EQ(replica.command({"CLIENT", "PAUSE", "30000", "WRITE"}).str, "OK");
  publishBatch("unreplicated-");
  std::string verdict = "mwp:verdict:employment:unreplicated-4";
  ASSERT_FALSE(primary.command({"GET", verdict}).isNil());
  ASSERT_TRUE(replica.command({"GET", verdict}).isNil()) << "the replica had the commit already";

  // The primary dies; once the replica has dropped its link (and with it the writes it had not
  // applied), it is let go, and the Sentinels promote it.
  primary_->process().kill9();
  untilAvailable([&] {
    if (replica.command({"INFO", "replication"}).str.find("master_link_status:down") ==
        std::string::npos)
      throw RedisUnavailable("the replica still holds its link");
    return 0;
  });
  replica.command({"CLIENT", "UNPAUSE"});
  untilAvailable(
      [&] {
        if (replica.command({"ROLE"}).elements.at(0).str != "master")
          throw RedisUnavailable("not promoted yet");
        return 0;
      },
      60s);
  ASSERT_TRUE(replica.command({"GET", verdict}).isNil()) << "the commit came through after all";

  // The service's next call to the old primary fails; it resumes from the new one's cursor.
  publishBatch("after-failover-");
  employment.waitForVerdict("unreplicated-4");

  // A clean replay: the same log, applied by a fresh service into a Redis of its own.
  test::OwnRedis freshRedis;
  test::RunningService replay(MWP_EMPLOYMENT_BINARY, "employment", bus,
                              {{"MWP_EMPLOYMENT_REDIS_PORT", std::to_string(freshRedis.port())}});
  replay.waitForVerdict("after-failover-4");
  Redis fresh(freshRedis.endpoint());
  auto after = local::snapshotService(replica, "employment", bus.partitionCount);
  auto clean = local::snapshotService(fresh, "employment", bus.partitionCount);
  EXPECT_EQ(after.size(), clean.size());
  for (const auto& [key, value] : clean) {
    auto it = after.find(key);
    EXPECT_TRUE(it != after.end() && it->second == value) << "differs from a clean replay: " << key;
  }
}

TEST(RedisAddresses, ParsesHostPortListsAndNamesABadEntry) {
  auto parsed = parseRedisAddresses("10.0.0.1:26379,sentinel-b:26380");
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].host, "10.0.0.1");
  EXPECT_EQ(parsed[1].port, 26380);
  for (const char* bad : {"", "host", "host:", ":26379", "host:0", "host:70000", "a:1,,b:2", "h:2x"}) {
    try {
      parseRedisAddresses(bad);
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("host:port"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace mwp
