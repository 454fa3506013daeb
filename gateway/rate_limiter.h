// Each API key's rate of requests: a token bucket per key, `rate` requests a second with bursts of
// as many, kept in the gateway's Redis so that every gateway instance behind the proxy draws from
// the same bucket (N instances do not give a key N times its rate). The bucket is read, refilled
// and drawn from in one script, by Redis's clock, so two instances never both take the last token
// and their clocks need not agree. Thread-safe: each call takes a connection of its own pool.
//
// A busy key would cost a round trip to Redis for every request, so an instance takes a lease of
// a few tokens at a time (leaseSize(rate): 1 for rates under 200/s, at most 1% of a second's rate
// and at most 32) and admits from it until it is spent. Every token is drawn from the one bucket,
// so a key's budget stays one budget; what an instance holds unspent is its only over-admission:
// over any span, a key gets at most leaseSize(rate) − 1 requests per instance beyond what the
// bucket allows. A lease unspent after kLeaseLife is dropped (those tokens are lost to the key,
// never added), so a quiet key's tokens are not kept for a later burst.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "pool.h"
#include "redis.h"

namespace mwp::gateway {

namespace rate_keys {
std::string bucketOf(const std::string& keyName);  // "mwp:gateway:rate:<key name>"
}

class RateLimiter {
 public:
  static constexpr std::chrono::milliseconds kLeaseLife{1000};

  // The tokens one instance takes from the bucket at a time.
  static int leaseSize(double rate);

  RateLimiter(RedisEndpoint redis, double rate);

  // 0 when the key's request may go ahead (it is counted); otherwise the whole seconds to wait.
  // Throws RedisUnavailable when the bucket cannot be read: the request is then refused (503),
  // not let through uncounted — failing closed, so a Redis outage cannot lift every limit.
  int wait(const std::string& key);

 private:
  struct Lease {
    int tokens = 0;  // taken from the bucket, not yet spent
    std::chrono::steady_clock::time_point until;
  };
  bool spendLeased(const std::string& key);

  Pool<Redis> redis_;
  const double rate_;
  const int leaseSize_;
  std::mutex mutex_;
  std::map<std::string, Lease> leases_;  // by key name: one per configured key at most
};

}  // namespace mwp::gateway
