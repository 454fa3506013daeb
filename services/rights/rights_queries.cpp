#include "rights_queries.h"

#include <capnp/compat/json.h>

#include <algorithm>
#include <map>

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
    json += (json.empty() ? "" : ",") + caseJson(reply.str);
  }
  return json;
}

}  // namespace

std::optional<std::string> RightsQueries::workerSection(Redis& redis, const std::string& workerId) {
  auto stored = redis.command({"GET", serviceKey(kService, "worker:" + workerId)});
  if (stored.isNil()) return std::nullopt;
  FrameReader reader(stored.str);
  std::vector<std::string> keys;
  for (auto k : reader.root<msg::WorkerCases>().getCases()) keys.emplace_back(k.cStr());
  return "{\"cases\":[" + casesJson(redis, keys) + "]}";
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

std::vector<IndicatorValue> medianDaysToClose(Redis& redis, int64_t) {
  std::vector<IndicatorValue> out;
  std::string prefix = serviceKey(kService, "close_days:");
  auto keys = redis.command({"KEYS", prefix + "*"});  // one key a year: a handful
  for (const auto& key : keys.elements) {
    int year = std::stoi(key.str.substr(prefix.size()));
    std::map<std::string, std::map<int, int64_t>> histogram;  // area → days → cases
    auto fields = redis.command({"HGETALL", key.str});
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      const std::string& field = fields.elements[i].str;
      auto bar = field.find('|');
      int days = std::stoi(field.substr(bar + 1));
      int64_t n = std::stoll(fields.elements[i + 1].str);
      histogram[field.substr(0, bar)][days] += n;
      histogram["all"][days] += n;
    }
    for (const auto& [area, counts] : histogram) {
      int64_t total = 0;
      for (const auto& [d, n] : counts) total += n;
      // The lower median: the day by which half the cases were closed.
      int64_t seen = 0;
      for (const auto& [d, n] : counts) {
        seen += n;
        if (2 * seen >= total) {
          out.push_back({21, "median_days_to_close", area, year, static_cast<double>(d)});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace mwp::rights
