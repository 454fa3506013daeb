// The gateway's section cache against the test Redis: a kept section goes as soon as a service
// announces a write to a key it was read from, an answer older than such a write is never kept,
// and nothing is kept while the announcements cannot be followed.
#include "section_cache.h"

#include <gtest/gtest.h>

#include <thread>

#include "service_loop.h"
#include "test_env.h"

namespace mwp {
namespace {

using gateway::SectionCache;
using gateway::ServiceAnswer;

constexpr const char* kWorker = "510722198803040026";
const std::string kKey = std::string("mwp:svc:housing:worker:") + kWorker;

ServiceAnswer section(const std::string& json, std::vector<std::string> keysRead) {
  return ServiceAnswer{ServiceAnswer::Kind::kJson, json, std::move(keysRead)};
}

// Polls `done` for up to five seconds.
template <typename Done>
bool eventually(Done done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class SectionCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    ASSERT_TRUE(eventually([&] { return cache_.following(); }));
  }

  // Announces a write the way a service's commit does, and waits until the cache has taken it.
  void announce(const std::string& keys) {
    auto before = cache_.ticket();
    redis_.command({"PUBLISH", keys::kStateChanges, keys});
    ASSERT_TRUE(eventually([&] { return cache_.ticket() > before; }));
  }

  Redis redis_{test::testRedis()};
  prometheus::Registry registry_;
  SectionCache cache_{{test::testRedis()}, 3, registry_};
};

TEST_F(SectionCacheTest, ASectionIsKeptUntilAKeyItWasReadFromIsWritten) {
  auto caseKey = std::string("mwp:svc:rights:case:LD-1");
  cache_.keep(cache_.ticket(), "rights", kWorker,
              section(R"({"cases":[]})", {"mwp:svc:rights:worker:1", caseKey}));
  announce("mwp:svc:rights:worker:2\nmwp:svc:rights:case:LD-2");
  auto kept = cache_.find("rights", kWorker);
  ASSERT_TRUE(kept) << "writes to other keys leave it";
  EXPECT_EQ(kept->text, R"({"cases":[]})");
  EXPECT_EQ(kept->kind, ServiceAnswer::Kind::kJson);

  announce("mwp:svc:rights:worker:3\n" + caseKey);
  EXPECT_FALSE(cache_.find("rights", kWorker)) << "a write to any key it was read from drops it";
}

TEST_F(SectionCacheTest, AnAnswerReadBeforeAWriteToItsKeysIsNotKept) {
  auto asked = cache_.ticket();
  announce(kKey);  // the service committed while the answer was on its way
  cache_.keep(asked, "housing", kWorker, section("{}", {kKey}));
  EXPECT_FALSE(cache_.find("housing", kWorker));

  cache_.keep(cache_.ticket(), "housing", kWorker, section("{}", {kKey}));
  EXPECT_TRUE(cache_.find("housing", kWorker)) << "asked after the write: kept";
}

TEST_F(SectionCacheTest, NoRecordIsKeptButErrorsAndSilenceAreNot) {
  cache_.keep(cache_.ticket(), "health", kWorker,
              ServiceAnswer{ServiceAnswer::Kind::kNotFound, "", {"mwp:svc:health:worker:1"}});
  auto kept = cache_.find("health", kWorker);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->kind, ServiceAnswer::Kind::kNotFound);
  cache_.keep(cache_.ticket(), "housing", kWorker,
              ServiceAnswer{ServiceAnswer::Kind::kError, "cannot answer now", {}});
  cache_.keep(cache_.ticket(), "rights", kWorker,
              ServiceAnswer{ServiceAnswer::Kind::kUnavailable, "", {}});
  EXPECT_FALSE(cache_.find("housing", kWorker));
  EXPECT_FALSE(cache_.find("rights", kWorker));
}

TEST_F(SectionCacheTest, TheLeastRecentlyUsedGoesFirstPastTheCapacity) {
  for (const char* service : {"employment", "housing", "education"})
    cache_.keep(cache_.ticket(), service, kWorker, section(service, {std::string("k:") + service}));
  ASSERT_TRUE(cache_.find("employment", kWorker));  // used again: housing is now the oldest
  cache_.keep(cache_.ticket(), "health", kWorker, section("health", {"k:health"}));
  EXPECT_TRUE(cache_.find("employment", kWorker));
  EXPECT_FALSE(cache_.find("housing", kWorker));
  EXPECT_TRUE(cache_.find("education", kWorker));
  EXPECT_TRUE(cache_.find("health", kWorker));
  announce("k:housing");  // an announcement for a section no longer kept changes nothing
  EXPECT_TRUE(cache_.find("education", kWorker));
}

TEST_F(SectionCacheTest, ALostSubscriptionDropsEverythingUntilFollowingAgain) {
  auto asked = cache_.ticket();
  cache_.keep(asked, "housing", kWorker, section("{}", {kKey}));
  ASSERT_TRUE(cache_.find("housing", kWorker));
  // Redis drops the subscriber: announcements made meanwhile would be missed.
  redis_.command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(eventually([&] { return !cache_.find("housing", kWorker); }));
  ASSERT_TRUE(eventually([&] { return cache_.following(); }));
  cache_.keep(asked, "housing", kWorker, section("{}", {kKey}));
  EXPECT_FALSE(cache_.find("housing", kWorker)) << "asked before the subscription came back";
  cache_.keep(cache_.ticket(), "housing", kWorker, section("{}", {kKey}));
  EXPECT_TRUE(cache_.find("housing", kWorker));
}

TEST(SectionCacheOfTwoRedis, AWriteAnnouncedOnEitherDropsTheSectionAndBothMustBeFollowed) {
  // A service whose state lives on a Redis of its own announces its commits there.
  test::OwnRedis second;
  RedisEndpoint secondEndpoint = second.endpoint();
  Redis other(secondEndpoint);
  prometheus::Registry registry;
  SectionCache cache({test::testRedis(), secondEndpoint, test::testRedis()}, 3, registry);
  ASSERT_TRUE(eventually([&] { return cache.following(); }));
  cache.keep(cache.ticket(), "housing", kWorker, section("{}", {kKey}));
  ASSERT_TRUE(cache.find("housing", kWorker));
  other.command({"PUBLISH", keys::kStateChanges, kKey});
  EXPECT_TRUE(eventually([&] { return !cache.find("housing", kWorker); }))
      << "announced on the second Redis";
  // One of the two not followed: nothing is kept, though the other still is.
  second.process().kill9();
  ASSERT_TRUE(eventually([&] { return !cache.following(); }));
  cache.keep(cache.ticket(), "housing", kWorker, section("{}", {kKey}));
  EXPECT_FALSE(cache.find("housing", kWorker));
}

TEST(SectionCacheOff, ACapacityOfZeroKeepsNothing) {
  prometheus::Registry registry;
  SectionCache cache({test::testRedis()}, 0, registry);
  cache.keep(cache.ticket(), "housing", kWorker, section("{}", {kKey}));
  EXPECT_FALSE(cache.find("housing", kWorker));
  EXPECT_FALSE(cache.following());
}

}  // namespace
}  // namespace mwp
