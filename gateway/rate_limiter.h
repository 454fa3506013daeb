// Each API key's rate of requests: a token bucket per key, `rate` requests a second with bursts of
// as many, kept in the gateway's Redis so that every gateway instance behind the proxy draws from
// the same bucket (N instances do not give a key N times its rate). The bucket is read, refilled
// and drawn from in one script, by Redis's clock, so two instances never both take the last token
// and their clocks need not agree. Thread-safe: each call takes a connection of its own pool.
#pragma once

#include <string>

#include "pool.h"
#include "redis.h"

namespace mwp::gateway {

namespace rate_keys {
std::string bucketOf(const std::string& keyName);  // "mwp:gateway:rate:<key name>"
}

class RateLimiter {
 public:
  RateLimiter(RedisEndpoint redis, double rate);

  // 0 when the key's request may go ahead (it is counted); otherwise the whole seconds to wait.
  // Throws RedisUnavailable when the bucket cannot be read: the request is then refused (503),
  // not let through uncounted — failing closed, so a Redis outage cannot lift every limit.
  int wait(const std::string& key);

 private:
  Pool<Redis> redis_;
  const double rate_;
};

}  // namespace mwp::gateway
