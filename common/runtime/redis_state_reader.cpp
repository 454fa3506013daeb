#include "redis_state_reader.h"

#include "state_keys.h"

namespace mwp {
std::vector<std::optional<std::string>> RedisStateReader::getMany(
    const std::vector<std::string>& keys) const {
  std::vector<std::optional<std::string>> out;
  if (keys.empty()) return out;
  RedisCommand mget{"MGET"};
  for (const auto& key : keys) mget.push_back(serviceKey(service_, key));
  auto reply = redis_.command(mget);
  if (reply.type != RedisReply::Type::kArray) throw RedisUnavailable("MGET failed: " + reply.str);
  for (const auto& value : reply.elements) {
    out.push_back(value.isNil() ? std::nullopt : std::optional<std::string>(value.str));
  }
  return out;
}

std::vector<Scored> RedisStateReader::scoredUpTo(const std::string& set, double maxScore) const {
  auto reply = redis_.command(
      {"ZRANGEBYSCORE", serviceKey(service_, set), "-inf", scoreText(maxScore), "WITHSCORES"});
  if (reply.type != RedisReply::Type::kArray) {
    throw RedisUnavailable("ZRANGEBYSCORE failed: " + reply.str);
  }
  std::vector<Scored> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    out.push_back({reply.elements[i].str, std::stod(reply.elements[i + 1].str)});
  }
  return out;
}

size_t RedisStateReader::countUpTo(const std::string& set, double maxScore) const {
  auto reply = redis_.command({"ZCOUNT", serviceKey(service_, set), "-inf", scoreText(maxScore)});
  if (reply.type != RedisReply::Type::kInteger) throw RedisUnavailable("ZCOUNT failed: " + reply.str);
  return static_cast<size_t>(reply.integer);
}

}  // namespace mwp
