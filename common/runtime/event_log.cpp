#include "event_log.h"

#include <cstdint>
#include <cstdio>

namespace mwp {

namespace keys {
std::string log(uint32_t partition) {
  return "mwp:log:" + std::to_string(partition);
}
std::string sequence(uint32_t partition) {
  return "mwp:seq:" + std::to_string(partition);
}
std::string dedup(const std::string& eventId) {
  return "mwp:dedup:" + eventId;
}
std::string refusal(const std::string& eventId) {
  // Not the "mwp:refused:" strings of earlier releases: a hash under their names would clash.
  return "mwp:refusal:" + eventId;
}
}  // namespace keys

// At most 100 old entries go per refusal, so one call stays short even after `kept` was lowered.
const char* const kRefusalScript = R"lua(
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[1]) + 1
if excess > 0 then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', math.min(excess, 100))) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'eventId' and fields[i + 1] ~= '' then
        local key = ARGV[8] .. fields[i + 1]
        if redis.call('HGET', key, 'entry') == entry[1] then redis.call('DEL', key) end
      end
    end
    redis.call('XDEL', KEYS[1], entry[1])
  end
end
local id = redis.call('XADD', KEYS[1], '*', 'reason', ARGV[3], 'eventId', ARGV[4],
                      'source', ARGV[5], 'frame', ARGV[6], 'frameBytes', ARGV[7])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], 'reason', ARGV[3], 'source', ARGV[5], 'entry', id)
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return id
)lua";

RedisCommand refusalQuery(const std::string& eventId) {
  return {"HMGET", keys::refusal(eventId), "reason", "source"};
}

std::optional<Refusal> parseRefusal(const RedisReply& reply) {
  if (reply.elements.size() != 2 || reply.elements[0].isNil()) return std::nullopt;
  return Refusal{reply.elements[0].str, reply.elements[1].str};
}

const char* const kIngestScript = R"lua(
local prior = redis.call('GET', KEYS[1])
if prior then return {0, prior} end
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], seq .. '-0', 'e', ARGV[1])
redis.call('SET', KEYS[1], ARGV[4] .. ':' .. seq .. ':' .. ARGV[2], 'EX', ARGV[3])
return {1, seq}
)lua";

std::optional<DedupEntry> parseDedupEntry(const std::string& text) {
  auto first = text.find(':');
  auto second = first == std::string::npos ? first : text.find(':', first + 1);
  if (second == std::string::npos) return std::nullopt;
  auto number = [](const std::string& digits) -> std::optional<uint64_t> {
    if (digits.empty() || digits.size() > 19 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoull(digits);
  };
  auto partition = number(text.substr(0, first));
  auto sequence = number(text.substr(first + 1, second - first - 1));
  if (!partition || !sequence || *partition > UINT32_MAX) return std::nullopt;
  return DedupEntry{static_cast<uint32_t>(*partition), *sequence, text.substr(second + 1)};
}

std::vector<LoggedEvent> readLog(Redis& redis, uint32_t partition, uint64_t from, size_t count) {
  auto reply = redis.command({"XRANGE", keys::log(partition), std::to_string(from) + "-0", "+",
                              "COUNT", std::to_string(count)});
  if (reply.isError()) throw RedisUnavailable("XRANGE failed: " + reply.str);
  std::vector<LoggedEvent> events;
  events.reserve(reply.elements.size());
  for (const auto& entry : reply.elements) {
    if (entry.elements.size() != 2 || entry.elements[1].elements.size() < 2) continue;
    LoggedEvent event;
    event.partition = partition;
    event.sequence = std::stoull(entry.elements[0].str);  // "<seq>-0"
    event.envelope = entry.elements[1].elements[1].str;
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<uint64_t> lastSequences(Redis& redis, uint32_t partitionCount) {
  std::vector<RedisCommand> commands;
  for (uint32_t p = 0; p < partitionCount; ++p) commands.push_back({"GET", keys::sequence(p)});
  std::vector<uint64_t> result;
  for (const auto& reply : redis.pipeline(commands)) {
    result.push_back(reply.isNil() ? 0 : std::stoull(reply.str));
  }
  return result;
}

std::string partitionTopic(uint32_t partition) {
  char buf[16];
  snprintf(buf, sizeof buf, "p.%04u.", partition);
  return buf;
}

std::optional<uint32_t> partitionOfTopic(const std::string& topic) {
  unsigned p = 0;
  if (topic.size() != 7 || sscanf(topic.c_str(), "p.%4u.", &p) != 1) return std::nullopt;
  return p;
}

}  // namespace mwp
