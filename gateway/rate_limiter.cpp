#include "rate_limiter.h"

#include <algorithm>
#include <cstdio>

namespace mwp::gateway {
namespace {

// KEYS: the key's bucket   ARGV: the rate (tokens a second, also the burst), the tokens wanted
// Returns {tokens taken (at most the wanted, at least 1 when any is there), 0} or {0, the whole
// seconds until one is there}. The bucket is a hash {tokens, at (µs, Redis's TIME)}; it expires
// once it would be full again anyway. Numbers are written with %.17g/%.0f: Lua's tostring keeps
// 14 digits, too few for microseconds since 1970.
constexpr const char* kTakeTokenScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local rate = tonumber(ARGV[1])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or rate
local at = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + rate * math.max(0, now - at) / 1000000)
local wanted = tonumber(ARGV[2])
local taken = math.min(wanted, math.floor(tokens))
local wait = 0
if taken >= 1 then
  tokens = tokens - taken
else
  taken = 0
  wait = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(1000 * (rate - tokens) / rate) + 1000)
return {taken, wait}
)lua";

constexpr size_t kTakeToken = 0;  // the script's handle: the only one each connection has

}  // namespace

std::string rate_keys::bucketOf(const std::string& keyName) {
  return "mwp:gateway:rate:" + keyName;
}

RateLimiter::RateLimiter(RedisEndpoint redis, double rate)
    : redis_([redis] {
        auto connection = std::make_unique<Redis>(redis, std::chrono::seconds(2));
        connection->addScript(kTakeTokenScript);
        return connection;
      }),
      rate_(rate),
      leaseSize_(leaseSize(rate)) {}

int RateLimiter::leaseSize(double rate) {
  return std::clamp(static_cast<int>(rate / 100), 1, 32);
}

bool RateLimiter::spendLeased(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = leases_.find(key);
  if (it == leases_.end() || it->second.tokens == 0) return false;
  if (std::chrono::steady_clock::now() >= it->second.until) {
    it->second.tokens = 0;
    return false;
  }
  --it->second.tokens;
  return true;
}

int RateLimiter::wait(const std::string& key) {
  if (spendLeased(key)) return 0;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.17g", rate_);
  RedisReply reply;
  {
    auto r = redis_.take();
    reply = r->command(r->scriptCommand(kTakeToken, {rate_keys::bucketOf(key)},
                                        {rate, std::to_string(leaseSize_)}));
  }
  if (reply.isError()) throw RedisUnavailable("rate limit not read: " + reply.str);
  if (reply.elements.size() != 2) throw RedisUnavailable("rate limit not read: odd reply");
  auto taken = static_cast<int>(reply.elements[0].integer);
  if (taken == 0) return std::max(1, static_cast<int>(reply.elements[1].integer));
  if (taken > 1) {
    // One for this request, the rest kept; at most leaseSize − 1 held, however many threads
    // took a lease at once (a surplus is dropped: under-admission, never over).
    std::lock_guard lock(mutex_);
    auto& lease = leases_[key];
    lease.tokens = std::min(lease.tokens + taken - 1, leaseSize_ - 1);
    lease.until = std::chrono::steady_clock::now() + kLeaseLife;
  }
  return 0;
}

}  // namespace mwp::gateway
