#include "snapshot.h"

#include <algorithm>

#include "state_keys.h"

namespace mwp::local {

namespace {

constexpr size_t kChunk = 1000;  // keys per pipeline

// Equal content, equal text: fields and members sorted, lengths before bytes so that no value
// can be mistaken for two. A service's hashes are its counters (StateTx::add), and a counter
// counted up and down again to 0 is one never counted: HINCRBY leaves the field, so a run whose
// order took a count back (measure 11's phases) would otherwise differ from one that never made it.
std::string canonical(const std::string& type, RedisReply value) {
  std::string out = type + ":";
  auto add = [&out](const std::string& s) { out += std::to_string(s.size()) + ":" + s; };
  if (type == "string") {
    add(value.str);
  } else if (type == "hash") {
    std::vector<std::pair<std::string, std::string>> fields;
    for (size_t i = 0; i + 1 < value.elements.size(); i += 2) {
      if (value.elements[i + 1].str == "0") continue;
      fields.emplace_back(value.elements[i].str, value.elements[i + 1].str);
    }
    std::sort(fields.begin(), fields.end());
    for (const auto& [f, v] : fields) add(f), add(v);
  } else if (type == "set") {
    std::vector<std::string> members;
    for (auto& e : value.elements) members.push_back(std::move(e.str));
    std::sort(members.begin(), members.end());
    for (const auto& m : members) add(m);
  } else {  // list and zset: already in their order
    for (const auto& e : value.elements) add(e.str);
  }
  return out;
}

RedisCommand readCommand(const std::string& type, const std::string& key) {
  if (type == "string") return {"GET", key};
  if (type == "hash") return {"HGETALL", key};
  if (type == "set") return {"SMEMBERS", key};
  if (type == "zset") return {"ZRANGE", key, "0", "-1", "WITHSCORES"};
  if (type == "list") return {"LRANGE", key, "0", "-1"};
  return {"TYPE", key};  // a type the services do not use: compared by its type alone
}

}  // namespace

std::vector<std::string> scanKeys(Redis& redis, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    cursor = reply.elements[0].str;
    for (auto& k : reply.elements[1].elements) keys.push_back(std::move(k.str));
  } while (cursor != "0");
  return keys;
}

std::map<std::string, std::string> snapshotService(Redis& redis, const std::string& service,
                                                   uint32_t partitions) {
  auto keys = scanKeys(redis, serviceKey(service, "*"));
  auto verdicts = scanKeys(redis, keys::verdict(service, "*"));
  keys.insert(keys.end(), verdicts.begin(), verdicts.end());
  for (uint32_t p = 0; p < partitions; ++p) {
    keys.push_back(keys::cursor(service, p));
    keys.push_back(keys::outbox(service, p));
  }
  keys.push_back(keys::tally(service));
  std::map<std::string, std::string> snapshot;
  for (size_t start = 0; start < keys.size(); start += kChunk) {
    size_t end = std::min(keys.size(), start + kChunk);
    std::vector<RedisCommand> types;
    for (size_t i = start; i < end; ++i) types.push_back({"TYPE", keys[i]});
    auto typeReplies = redis.pipeline(types);
    std::vector<RedisCommand> reads;
    for (size_t i = start; i < end; ++i)
      reads.push_back(readCommand(typeReplies[i - start].str, keys[i]));
    auto values = redis.pipeline(reads);
    for (size_t i = start; i < end; ++i) {
      snapshot[keys[i]] = canonical(typeReplies[i - start].str, std::move(values[i - start]));
    }
  }
  return snapshot;
}

size_t copyKeys(Redis& from, Redis& to, const std::vector<std::string>& patterns) {
  size_t copied = 0;
  for (const auto& pattern : patterns) {
    auto keys = scanKeys(from, pattern);
    for (size_t start = 0; start < keys.size(); start += kChunk) {
      size_t end = std::min(keys.size(), start + kChunk);
      std::vector<RedisCommand> reads;
      for (size_t i = start; i < end; ++i) {
        reads.push_back({"DUMP", keys[i]});
        reads.push_back({"PTTL", keys[i]});
      }
      auto replies = from.pipeline(reads);
      std::vector<RedisCommand> writes;
      for (size_t i = start; i < end; ++i) {
        const auto& dump = replies[2 * (i - start)];
        int64_t ttl = replies[2 * (i - start) + 1].integer;
        if (dump.isNil()) continue;  // expired meanwhile
        writes.push_back(
            {"RESTORE", keys[i], std::to_string(std::max<int64_t>(ttl, 0)), dump.str, "REPLACE"});
      }
      for (const auto& r : to.pipeline(writes)) {
        if (r.isError()) throw std::runtime_error("copying the log failed: " + r.str);
      }
      copied += writes.size();
    }
  }
  return copied;
}

}  // namespace mwp::local
