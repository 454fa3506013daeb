#include "event_log.h"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include <xxhash.h>

#include "ids.h"

namespace mwp {

namespace keys {
std::string log(uint32_t partition) {
  return "mwp:log:" + std::to_string(partition);
}
std::string sequence(uint32_t partition) {
  return "mwp:seq:" + std::to_string(partition);
}
std::string dedupBucket(int64_t bucket) {
  // Not "mwp:dedup:<eventId>", the per-id keys of earlier releases: those expire by themselves.
  return "mwp:dedup:bucket:" + std::to_string(bucket);
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
                      'source', ARGV[5], 'frame', ARGV[6], 'frameBytes', ARGV[7],
                      'rule', ARGV[9], 'reasonZh', ARGV[10])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], 'reason', ARGV[3], 'source', ARGV[5], 'rule', ARGV[9],
             'reasonZh', ARGV[10], 'entry', id)
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return id
)lua";

RedisCommand refusalQuery(const std::string& eventId) {
  return {"HMGET", keys::refusal(eventId), "reason", "source", "rule", "reasonZh"};
}

std::optional<Refusal> parseRefusal(const RedisReply& reply) {
  if (reply.elements.size() != 4 || reply.elements[0].isNil()) return std::nullopt;
  // A nil rule or reasonZh (kept by a bus before the rules register) reads as "".
  return Refusal{reply.elements[0].str, reply.elements[1].str, reply.elements[2].str,
                 reply.elements[3].str};
}

// KEYS: the window's de-duplication buckets, oldest first (the last takes new ids); then, for each
//       partition of the batch, its sequence key and its log.
// ARGV: the number of buckets, the seconds the newest must live; then, for each partition, its
//       number, its count of events n, and n × (eventId, digest, envelope).
// Returns, per event in ARGV's order, its sequence (an integer) when stored now, or the original's
// "partition:sequence:digest" (a string). The ids of the whole batch are looked up in the older
// buckets with one HMGET each; the newest is claimed with HSETNX, which also finds an id met
// earlier in the same batch. Redis replicates and logs a function by its effects (the XADD, the
// HSETNX…), so the append-only file replays without the library. Every check comes before the
// first write, so no error can leave half a batch.
const char* const kLogFunctions = R"lua(#!lua name=mwp_log_2
local function store_batch(keys, args)
  local buckets = tonumber(args[1])
  local newest = keys[buckets]
  local ids, groups, at = {}, {}, 3
  while at <= #args do
    local n = tonumber(args[at + 1])
    groups[#groups + 1] = {partition = args[at], first = at + 2, n = n}
    for i = 0, n - 1 do ids[#ids + 1] = args[at + 2 + 3 * i] end
    at = at + 2 + 3 * n
  end
  local before = {}
  for b = 1, buckets - 1 do
    local found = redis.call('HMGET', keys[b], unpack(ids))
    for i = 1, #ids do
      if found[i] and not before[i] then before[i] = found[i] end
    end
  end
  local out, k = {}, 0
  for g, group in ipairs(groups) do
    local seqKey, logKey = keys[buckets + 2 * g - 1], keys[buckets + 2 * g]
    local last = tonumber(redis.call('GET', seqKey) or '0')
    local seq, envelopes = last, {}
    for i = 0, group.n - 1 do
      k = k + 1
      local arg = group.first + 3 * i
      if before[k] then
        out[k] = before[k]
      else
        local place = group.partition .. ':' .. string.format('%d', seq + 1) .. ':' .. args[arg + 1]
        if redis.call('HSETNX', newest, args[arg], place) == 1 then
          seq = seq + 1
          envelopes[#envelopes + 1] = args[arg + 2]
          out[k] = seq
        else
          out[k] = redis.call('HGET', newest, args[arg])
        end
      end
    end
    if seq > last then
      redis.call('SET', seqKey, string.format('%d', seq))
      redis.call('XADD', logKey, string.format('%d', last + 1) .. '-0', 'e', table.concat(envelopes))
    end
  end
  redis.call('EXPIRE', newest, args[2])
  return out
end
redis.register_function('mwp_store_batch_2', store_batch)
)lua";

const char* const kStoreBatchCommand = "mwp.store_batch";

namespace {
constexpr const char* kStoreBatch = "mwp_store_batch_2";
}

std::vector<std::string> DedupWindow::bucketKeys(int64_t now) const {
  int64_t span = bucketSeconds();
  std::vector<std::string> keys;
  for (int64_t b = (now - seconds) / span; b <= now / span; ++b) keys.push_back(keys::dedupBucket(b));
  return keys;
}

int64_t DedupWindow::newestBucketSeconds(int64_t now) const {
  int64_t span = bucketSeconds();
  return (now / span + 1) * span + seconds - now;
}

std::optional<DedupEntry> findStored(Redis& redis, const DedupWindow& window,
                                     const std::string& eventId, int64_t now) {
  // Also the bucket after, should this clock be behind the bus's when a bucket begins.
  constexpr int64_t kClockSkewSeconds = 60;
  std::vector<RedisCommand> lookups;
  for (const auto& key : window.bucketKeys(now)) lookups.push_back({"HGET", key, eventId});
  auto ahead = window.bucketKeys(now + kClockSkewSeconds).back();
  if (ahead != lookups.back()[1]) lookups.push_back({"HGET", ahead, eventId});
  for (const auto& found : redis.pipeline(lookups)) {
    if (found.type == RedisReply::Type::kString) return parseDedupEntry(found.str);
  }
  return std::nullopt;
}

void RecordBatchCall::add(uint32_t partition, std::string_view eventId, std::string_view digest,
                          std::string_view envelope) {
  auto group = std::find_if(partitions_.begin(), partitions_.end(),
                            [&](const auto& g) { return g.first == partition; });
  if (group == partitions_.end()) group = partitions_.insert(partitions_.end(), {partition, {}});
  group->second.push_back({eventId, digest, envelope, count_++});
}

void RecordBatchCall::appendTo(RedisPipeline& pipeline, BatchStore store) const {
  auto buckets = window_.bucketKeys(now_);
  size_t bytes = pipeline.bytes().size() + 64 * (buckets.size() + 4 * partitions_.size());
  for (const auto& [partition, events] : partitions_) {
    for (const auto& e : events) bytes += e.eventId.size() + e.digest.size() + e.envelope.size() + 48;
  }
  pipeline.reserve(bytes);
  // FCALL names the function; the module's command is the function, with the same arguments.
  bool fcall = store == BatchStore::kFunction;
  pipeline.begin((fcall ? 3 : 2) + buckets.size() + 4 * partitions_.size() + 2 + 3 * count_);
  if (fcall) {
    pipeline.argument("FCALL");
    pipeline.argument(kStoreBatch);
  } else {
    pipeline.argument(kStoreBatchCommand);
  }
  pipeline.argument(std::to_string(buckets.size() + 2 * partitions_.size()));
  for (const auto& key : buckets) pipeline.argument(key);
  for (const auto& [partition, events] : partitions_) {
    pipeline.argument(keys::sequence(partition));
    pipeline.argument(keys::log(partition));
  }
  pipeline.argument(std::to_string(buckets.size()));
  pipeline.argument(std::to_string(window_.newestBucketSeconds(now_)));
  for (const auto& [partition, events] : partitions_) {
    pipeline.argument(std::to_string(partition));
    pipeline.argument(std::to_string(events.size()));
    for (const auto& e : events) {
      pipeline.argument(e.eventId);
      pipeline.argument(e.digest);
      pipeline.argument(e.envelope);
    }
  }
}

std::vector<RecordBatchCall::Outcome> RecordBatchCall::outcomes(const RedisReply& reply) const {
  if (reply.isError()) throw RedisUnavailable("storing a batch failed: " + reply.str);
  if (reply.elements.size() != count_) {
    throw RedisUnavailable("storing a batch: " + std::to_string(reply.elements.size()) +
                           " answers for " + std::to_string(count_) + " events");
  }
  std::vector<Outcome> result(count_);
  size_t k = 0;
  for (const auto& [partition, events] : partitions_) {
    for (const auto& e : events) {
      const RedisReply& r = reply.elements[k++];
      Outcome& o = result[e.added];
      if (r.type == RedisReply::Type::kInteger) {
        o.stored = static_cast<uint64_t>(r.integer);
      } else {
        o.before = parseDedupEntry(r.str);
      }
    }
  }
  return result;
}

std::string envelopeDigest(std::string_view canonical) {
  return hex64(XXH3_64bits(canonical.data(), canonical.size()));
}

void envelopeDigest(std::string_view canonical, char (&out)[16]) {
  hex64(XXH3_64bits(canonical.data(), canonical.size()), out);
}

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

std::vector<std::string> splitRecordBatch(std::string_view entry) {
  // A flat message starts with its segment table: the count of segments less one, then each
  // segment's size in 8-byte words, all 32-bit little-endian, padded to a whole word.
  auto word32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(entry[at + i]);
    return v;
  };
  std::vector<std::string> envelopes;
  for (size_t at = 0; at < entry.size();) {
    if (entry.size() - at < 8) throw std::invalid_argument("a record batch ends inside a message");
    uint64_t segments = uint64_t{word32(at)} + 1;
    uint64_t table = (segments / 2 + 1) * 8;
    if (segments > 512 || entry.size() - at < table)
      throw std::invalid_argument("a record batch holds an unreadable segment table");
    uint64_t bytes = table;
    for (uint64_t s = 0; s < segments; ++s) bytes += uint64_t{word32(at + 4 + 4 * s)} * 8;
    if (bytes > entry.size() - at)
      throw std::invalid_argument("a record batch ends inside a message");
    envelopes.emplace_back(entry.substr(at, bytes));
    at += bytes;
  }
  return envelopes;
}

std::vector<LoggedEvent> readLog(Redis& redis, uint32_t partition, uint64_t from, size_t count) {
  // The entry that holds `from` may begin before it: the last entry at or before it, then those
  // after it, a page of entries at a time.
  const std::string log = keys::log(partition);
  const size_t page = std::clamp<size_t>(count, 1, 128);
  std::string after = std::to_string(from) + "-0";
  auto replies = redis.pipeline({{"XREVRANGE", log, after, "-", "COUNT", "1"},
                                 {"XRANGE", log, "(" + after, "+", "COUNT", std::to_string(page)}});
  std::vector<LoggedEvent> events;
  auto take = [&](const RedisReply& reply) {
    if (reply.isError()) throw RedisUnavailable("reading the log failed: " + reply.str);
    for (const auto& entry : reply.elements) {
      if (entry.elements.size() != 2 || entry.elements[1].elements.size() < 2) continue;
      after = entry.elements[0].str;
      uint64_t sequence = std::stoull(after);  // "<first seq>-0"
      for (auto& envelope : splitRecordBatch(entry.elements[1].elements[1].str)) {
        if (sequence >= from && events.size() < count)
          events.push_back({partition, sequence, std::move(envelope)});
        ++sequence;
      }
    }
    return reply.elements.size();
  };
  take(replies[0]);
  for (size_t got = take(replies[1]); got == page && events.size() < count;) {
    got = take(redis.command({"XRANGE", log, "(" + after, "+", "COUNT", std::to_string(page)}));
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
