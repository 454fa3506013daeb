#include "employment_queries.h"

#include <algorithm>

#include "employment_rules.h"
#include "frames.h"
#include "ids.h"
#include "log.h"

namespace mwp::employment {

namespace {
constexpr const char* kService = "employment";
}

std::optional<std::string> EmploymentQueries::list(Redis& redis, msg::ListQuery::Reader query) {
  std::string name = query.getName().cStr();
  if (name == "names") return names(redis, query.getFilter().cStr());
  if (name != "registry") return WorkerRecordQueries::list(redis, query);
  std::string filter = query.getFilter().cStr();
  auto bar = filter.find('|');
  std::string area = filter.substr(0, bar);
  bool stale = bar != std::string::npos && filter.substr(bar + 1) == "true";
  uint32_t size = std::clamp<uint32_t>(query.getPageSize() ? query.getPageSize() : 50, 1, 500);
  uint64_t offset = query.getPageToken().size() ? std::stoull(query.getPageToken().cStr()) : 0;
  std::string max =
      stale ? std::to_string(chinaDayOf(systemClock()) - kStaleAfterDays - 1) : "+inf";
  auto ids = redis.command({"ZRANGEBYSCORE",
                            serviceKey(kService, updatedIndex(area.empty() ? "all" : area)), "-inf",
                            max, "LIMIT", std::to_string(offset), std::to_string(size + 1)});
  std::string json;
  for (size_t i = 0; i < ids.elements.size() && i < size; ++i) {
    const std::string& id = ids.elements[i].str;
    auto stored = redis.command({"GET", serviceKey(kService, "worker:" + id)});
    if (stored.isNil()) continue;
    FrameReader reader(stored.str);
    auto profile = reader.root<msg::EmploymentRecord>().getProfile();
    json += std::string(json.empty() ? "" : ",") + "{\"workerId\":" + jsonQuote(id) +
            ",\"name\":" + jsonQuote(profile.getName().cStr()) +
            ",\"area\":" + jsonQuote(profile.getArea().cStr()) +
            ",\"updatedOn\":" + jsonQuote(profile.getUpdatedOn().cStr()) + "}";
  }
  std::string next = ids.elements.size() > size ? std::to_string(offset + size) : "";
  return "{\"workers\":[" + json + "],\"nextPageToken\":\"" + next + "\"}";
}

std::string EmploymentQueries::names(Redis& redis, const std::string& workerIds) {
  std::vector<std::string> ids;
  for (size_t from = 0; from < workerIds.size();) {
    auto comma = std::min(workerIds.find(',', from), workerIds.size());
    ids.push_back(workerIds.substr(from, comma - from));
    from = comma + 1;
  }
  std::vector<RedisCommand> gets;
  for (const auto& id : ids) gets.push_back({"GET", serviceKey(kService, "worker:" + id)});
  auto stored = redis.pipeline(gets);
  capnp::MallocMessageBuilder message;
  std::vector<std::pair<std::string, std::string>> known;
  for (size_t i = 0; i < ids.size() && i < stored.size(); ++i) {
    if (stored[i].type != RedisReply::Type::kString) continue;
    FrameReader reader(stored[i].str);
    auto profile = reader.root<msg::EmploymentRecord>().getProfile();
    if (profile.getRegistered()) known.emplace_back(ids[i], profile.getName().cStr());
  }
  auto list = message.initRoot<msg::WorkerNames>().initNames(static_cast<unsigned>(known.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    list[i].setWorkerId(known[i].first);
    list[i].setName(known[i].second);
  }
  capnp::JsonCodec codec;
  return codec.encode(message.getRoot<msg::WorkerNames>().asReader()).cStr();
}

}  // namespace mwp::employment
