// A rate per name, kept in this process: a token bucket per name, `rate` a second with bursts of
// `burst` (by default as many as a second's). The gateway counts refused keys per client address
// with it (each instance its own: it protects the instance, and a key's own budget is the shared
// RateLimiter in Redis). Buckets that are full again are forgotten when many names are known, so
// a stream of new names (addresses) does not grow it without bound. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace mwp::gateway {

class TokenBuckets {
 public:
  explicit TokenBuckets(double rate) : TokenBuckets(rate, rate) {}
  TokenBuckets(double rate, double burst) : rate_(rate), burst_(burst) {}

  // 0 when the name's request may go ahead (it is counted); otherwise the whole seconds to wait.
  int wait(const std::string& name);
  // The same answer, without counting a request.
  int waitWithoutCounting(const std::string& name);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  static constexpr size_t kForgetAbove = 10000;  // names known before full buckets are dropped

  Bucket& refilled(const std::string& name, std::chrono::steady_clock::time_point now);
  int secondsUntilOne(const Bucket& b) const;

  const double rate_;
  const double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace mwp::gateway
