// Every process's admin port, and the Redis client's recovery from a lost connection.
#include <gtest/gtest.h>
#include <httplib.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>

#include "admin_server.h"
#include "redis.h"
#include "test_env.h"

namespace mwp {
namespace {

TEST(AdminServer, ServesMetricsLivenessAndReadiness) {
  prometheus::Registry registry;
  prometheus::BuildCounter()
      .Name("mwp_test_total")
      .Help("a test counter")
      .Register(registry)
      .Add({{"kind", "x"}})
      .Increment(3);
  std::atomic<bool> ready{false};
  AdminServer admin("127.0.0.1", 0, registry, [&] { return ready.load(); });
  httplib::Client client("127.0.0.1", admin.port());

  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("mwp_test_total{kind=\"x\"} 3"), std::string::npos) << metrics->body;
  EXPECT_EQ(client.Get("/livez")->status, 200);
  EXPECT_EQ(client.Get("/readyz")->status, 503);
  ready = true;
  EXPECT_EQ(client.Get("/readyz")->status, 200);
  EXPECT_EQ(client.Get("/nothing")->status, 404);
}

TEST(Redis, ALostConnectionFailsOneCallAndTheNextReconnects) {
  Redis redis(test::testRedis());
  size_t script = redis.addScript("return 'loaded'");
  ASSERT_EQ(redis.command({"CLIENT", "SETNAME", "victim"}).str, "OK");
  Redis killer(test::testRedis());
  killer.command({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"});
  // The first call on the dead context fails: its outcome is unknown, so it is not retried here.
  EXPECT_THROW(redis.command({"PING"}), RedisUnavailable);
  EXPECT_FALSE(redis.connected());
  // The next call connects afresh, scripts loaded again.
  EXPECT_EQ(redis.command({"PING"}).str, "PONG");
  EXPECT_EQ(redis.pipeline({redis.scriptCommand(script, {}, {})})[0].str, "loaded");
}

TEST(Redis, SentPipelinesRunBeforeTheyAreCollectedAndTheirRepliesComeInOrder) {
  Redis redis(test::testRedis());
  Redis observer(test::testRedis());
  observer.command({"DEL", "sent:counter"});
  auto first = redis.send({{"SET", "sent:counter", "1"}, {"INCR", "sent:counter"}});
  auto second = redis.send({{"GET", "sent:counter"}});
  EXPECT_EQ(redis.oldestSent(), first);
  // Redis executes what was sent without waiting for the sender to read the replies.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (observer.command({"GET", "sent:counter"}).str != "2" &&
         std::chrono::steady_clock::now() < deadline) {
  }
  EXPECT_EQ(observer.command({"GET", "sent:counter"}).str, "2");
  // Until every reply is collected, the connection takes no plain command.
  EXPECT_THROW(redis.command({"PING"}), std::logic_error);
  auto replies = redis.collect();
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].str, "OK");
  EXPECT_EQ(replies[1].integer, 2);
  EXPECT_EQ(redis.oldestSent(), second);
  EXPECT_EQ(redis.collect().at(0).str, "2");
  EXPECT_FALSE(redis.awaitingReplies());
  EXPECT_THROW(redis.collect(), std::logic_error);
  EXPECT_EQ(redis.command({"PING"}).str, "PONG");
}

TEST(Redis, PipelinesSentOnALostConnectionFailOnCollect) {
  Redis redis(test::testRedis());
  ASSERT_EQ(redis.command({"CLIENT", "SETNAME", "victim"}).str, "OK");
  Redis killer(test::testRedis());
  redis.send({{"BLPOP", "sent:nothing", "5"}});  // its reply can only come after five seconds
  redis.send({{"PING"}});
  killer.command({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"});
  EXPECT_THROW(redis.collect(), RedisUnavailable);
  // Both pipelines are gone with the connection: neither can be collected any more.
  EXPECT_FALSE(redis.oldestSent());
  EXPECT_EQ(redis.command({"PING"}).str, "PONG");
}

TEST(Redis, AnUnreachableServerIsReportedAfterTheDeadline) {
  RedisEndpoint nowhere;
  nowhere.port = std::stoi(test::freeEndpoint().substr(16));
  Redis redis(nowhere, std::chrono::milliseconds(300));
  EXPECT_THROW(redis.command({"PING"}), RedisUnavailable);
}

}  // namespace
}  // namespace mwp
