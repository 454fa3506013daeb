#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace mwp::gateway {

int RateLimiter::wait(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto& b = buckets_.try_emplace(key, Bucket{rate_, now}).first->second;
  b.tokens = std::min(rate_, b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count());
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

}  // namespace mwp::gateway
