#include "token_buckets.h"

#include <algorithm>
#include <cmath>

namespace mwp::gateway {

TokenBuckets::Bucket& TokenBuckets::refilled(const std::string& name,
                                           std::chrono::steady_clock::time_point now) {
  if (buckets_.size() > kForgetAbove && !buckets_.count(name)) {
    std::erase_if(buckets_, [&](const auto& entry) {
      const Bucket& b = entry.second;
      return b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count() >= burst_;
    });
  }
  auto& b = buckets_.try_emplace(name, Bucket{burst_, now}).first->second;
  b.tokens = std::min(burst_, b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count());
  b.at = now;
  return b;
}

int TokenBuckets::secondsUntilOne(const Bucket& b) const {
  if (b.tokens >= 1) return 0;
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

int TokenBuckets::wait(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& b = refilled(name, std::chrono::steady_clock::now());
  int wait = secondsUntilOne(b);
  if (wait == 0) b.tokens -= 1;
  return wait;
}

int TokenBuckets::waitWithoutCounting(const std::string& name) {
  std::lock_guard lock(mutex_);
  return secondsUntilOne(refilled(name, std::chrono::steady_clock::now()));
}

}  // namespace mwp::gateway
