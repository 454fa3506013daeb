// What the gateway writes to its Redis under load, on the suite's Redis: the audit entries of
// answers given at once (they share round trips) are each written before their caller goes on,
// and a key's rate limit, leased a few tokens at a time, stays one budget across instances.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audit_log.h"
#include "rate_limiter.h"
#include "test_env.h"

namespace mwp {
namespace {

class GatewaySharedRedis : public ::testing::Test {
 protected:
  void SetUp() override { test::flushRedis(); }
  Redis admin_{test::testRedis()};
};

TEST_F(GatewaySharedRedis, EveryAuditEntryOfConcurrentAnswersIsWrittenBeforeItsCallerGoesOn) {
  gateway::AuditLog audit(test::testRedisAs("gateway"), 0, std::chrono::milliseconds(0));
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> missing{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kThreads; ++t) {
    readers.emplace_back([&, t] {
      Redis redis(test::testRedis());
      const gateway::ApiKey key{"reader-" + std::to_string(t), gateway::Role::kIntegrator};
      for (int i = 0; i < kEach; ++i) {
        audit.record(key, {"/v1/workers/{workerId}", {"510703199005121230"}, {"employment"}},
                     1772424000);
        // Its own entry is there once record() returns, whoever wrote the batch.
        auto mine = redis.command({"XLEN", gateway::audit_keys::readsBy(key.name)});
        if (mine.integer != i + 1) ++missing;
      }
    });
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(admin_.command({"XLEN", gateway::audit_keys::kReads}).integer, kThreads * kEach);
  EXPECT_EQ(
      admin_.command({"XLEN", gateway::audit_keys::readsOf("510703199005121230")}).integer,
      kThreads * kEach);
}

TEST_F(GatewaySharedRedis, ALeasedRateLimitIsStillOneBudgetAcrossInstances) {
  constexpr double kRate = 1000;  // a second, with a burst of as many: leases of 10
  ASSERT_EQ(gateway::RateLimiter::leaseSize(kRate), 10);
  EXPECT_EQ(gateway::RateLimiter::leaseSize(50), 1) << "a small rate is counted exactly";
  EXPECT_EQ(gateway::RateLimiter::leaseSize(1e6), 32);
  gateway::RateLimiter a(test::testRedisAs("gateway"), kRate), b(test::testRedisAs("gateway"),
                                                                 kRate);
  int admitted = 0, refused = 0;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 3000; ++i) {
    int wait = (i % 2 ? a : b).wait("busy");
    wait == 0 ? ++admitted : ++refused;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The burst, what refilled meanwhile, and what each instance may hold unspent (lease − 1).
  double budget = kRate + kRate * seconds + 2 * 9 + 1;
  EXPECT_LE(admitted, budget) << "in " << seconds << " s";
  EXPECT_GE(admitted, kRate - 2 * 9) << "the leases are spent, not lost";
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace mwp
