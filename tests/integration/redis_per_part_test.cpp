// Each part of mwp on its own Redis, by configuration: here the bus's log on the test Redis and
// the employment service's state on a second redis-server. The service follows the log in the
// first and commits its state, verdicts and cursors into the second; nothing of either crosses.
#include <gtest/gtest.h>


#include "bus_client.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

std::vector<std::string> keysLike(Redis& redis, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto page = redis.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    cursor = page.elements.at(0).str;
    for (const auto& k : page.elements.at(1).elements) keys.push_back(k.str);
  } while (cursor != "0");
  return keys;
}

TEST(RedisPerPart, AServiceFollowsTheBussLogAndKeepsItsStateInItsOwnRedis) {
  test::flushRedis();
  test::OwnRedis stateRedis;
  int statePort = stateRedis.port();
  Redis state(stateRedis.endpoint());

  test::BusThread bus(4);
  test::RunningService employment(MWP_EMPLOYMENT_BINARY, "employment", bus,
                                  {{"MWP_EMPLOYMENT_REDIS_PORT", std::to_string(statePort)}});
  zmq::context_t context;
  Publisher publisher(context, bus.ingest);
  // The fixture's workerRegistered, of worker 510703199005121230.
  auto registered = test::withEventId(test::fixtureLines()[0], "own-redis-1");
  auto stored = publisher.publish(test::frameOf(registered));
  ASSERT_EQ(stored.status, msg::IngestReply::Status::ACK) << stored.reason;
  employment.waitForVerdict("own-redis-1");

  Redis log(test::testRedis());
  EXPECT_FALSE(keysLike(log, "mwp:log:*").empty()) << "the log is in the bus's Redis";
  EXPECT_TRUE(keysLike(log, "mwp:svc:employment:*").empty()) << "no state in the bus's Redis";
  EXPECT_TRUE(keysLike(log, "mwp:verdict:employment:*").empty());
  EXPECT_TRUE(keysLike(log, "mwp:cursor:employment:*").empty());
  EXPECT_TRUE(keysLike(state, "mwp:log:*").empty()) << "no log in the service's Redis";
  EXPECT_FALSE(state.command({"GET", "mwp:svc:employment:worker:510703199005121230"}).isNil());
  EXPECT_FALSE(state.command({"GET", "mwp:verdict:employment:own-redis-1"}).isNil());
  EXPECT_FALSE(keysLike(state, "mwp:cursor:employment:*").empty());
  // Its queries read the same Redis: the worker's section is there.
  EXPECT_EQ(employment.section("510703199005121230").first, "json");
}

}  // namespace
}  // namespace mwp
