#include "rate_limiter.h"

#include <cstdio>

namespace mwp::gateway {
namespace {

// KEYS: the key's bucket   ARGV: the rate (tokens a second, also the burst)
// Returns 0 when a token was taken, else the whole seconds until one is there. The bucket is a
// hash {tokens, at (µs, Redis's TIME)}; it expires once it would be full again anyway. Numbers are
// written with %.17g/%.0f: Lua's tostring keeps 14 digits, too few for microseconds since 1970.
constexpr const char* kTakeTokenScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local rate = tonumber(ARGV[1])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or rate
local at = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + rate * math.max(0, now - at) / 1000000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(1000 * (rate - tokens) / rate) + 1000)
return wait
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
      rate_(rate) {}

int RateLimiter::wait(const std::string& key) {
  auto r = redis_.take();
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.17g", rate_);
  auto reply = r->command(r->scriptCommand(kTakeToken, {rate_keys::bucketOf(key)}, {rate}));
  if (reply.isError()) throw RedisUnavailable("rate limit not read: " + reply.str);
  return static_cast<int>(reply.integer);
}

}  // namespace mwp::gateway
