#include "rights_queries.h"

#include <capnp/compat/json.h>

#include <algorithm>

#include "frames.h"
#include "mwp/messages/rights.capnp.h"
#include "rights_rules.h"

namespace mwp::rights {
namespace {

constexpr const char* kService = "rights";
constexpr uint32_t kDefaultPage = 50, kMaxPage = 500;

std::string caseJson(const std::string& stored) {
  FrameReader reader(stored);
  capnp::JsonCodec codec;
  return codec.encode(reader.root<msg::RightsCase>()).cStr();
}

// The JSON of the cases under these state keys, in order, skipping any that vanished.
std::string casesJson(Redis& redis, const std::vector<std::string>& keys) {
  std::vector<RedisCommand> gets;
  for (const auto& k : keys) gets.push_back({"GET", serviceKey(kService, k)});
  std::string json;
  if (gets.empty()) return json;
  for (const auto& reply : redis.pipeline(gets)) {
    if (reply.isNil()) continue;
    if (!json.empty()) json += ',';
    json += caseJson(reply.str);
  }
  return json;
}

}  // namespace

WorkerSection RightsQueries::workerSection(Redis& redis, const std::string& workerId) {
  WorkerSection section{std::nullopt, {serviceKey(kService, "worker:" + workerId)}};
  auto stored = redis.command({"GET", section.keysRead[0]});
  if (stored.isNil()) return section;
  FrameReader reader(stored.str);
  std::vector<std::string> keys;
  for (auto k : reader.root<msg::WorkerCases>().getCases()) {
    keys.emplace_back(k.cStr());
    section.keysRead.push_back(serviceKey(kService, keys.back()));
  }
  section.json = "{\"cases\":[" + casesJson(redis, keys) + "]}";
  return section;
}

std::optional<std::string> RightsQueries::list(Redis& redis, msg::ListQuery::Reader query) {
  if (std::string(query.getName().cStr()) != "cases") return std::nullopt;
  std::string filter = query.getFilter().cStr();
  auto bar = filter.find('|');
  std::string status = filter.substr(0, bar);
  std::string area = bar == std::string::npos ? "" : filter.substr(bar + 1);
  if (status != "open" && status != "overdue") return std::nullopt;
  uint32_t size = query.getPageSize() ? std::min(query.getPageSize(), kMaxPage) : kDefaultPage;
  uint64_t offset = 0;
  if (query.getPageToken().size() > 0) offset = std::stoull(query.getPageToken().cStr());
  auto keys =
      redis.command({"ZRANGE", serviceKey(kService, caseIndex(status, area.empty() ? "all" : area)),
                     std::to_string(offset), std::to_string(offset + size)});
  std::vector<std::string> page;
  for (size_t i = 0; i < keys.elements.size() && i < size; ++i)
    page.push_back(keys.elements[i].str);
  std::string next = keys.elements.size() > size ? std::to_string(offset + size) : "";
  return "{\"cases\":[" + casesJson(redis, page) + "],\"nextPageToken\":\"" + next + "\"}";
}

}  // namespace mwp::rights
