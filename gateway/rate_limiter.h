// Each API key's rate of requests: a token bucket per key, `rate` requests a second with bursts of
// as many. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace mwp::gateway {

class RateLimiter {
 public:
  explicit RateLimiter(double rate) : rate_(rate) {}

  // 0 when the key's request may go ahead (it is counted); otherwise the whole seconds to wait.
  int wait(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  const double rate_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace mwp::gateway
