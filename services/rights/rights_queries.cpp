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

// The JSON of the records of type T under these state keys, in order and comma-separated,
// skipping any that vanished.
template <typename T>
std::string recordsJson(Redis& redis, const std::vector<std::string>& keys) {
  std::vector<RedisCommand> gets;
  for (const auto& k : keys) gets.push_back({"GET", serviceKey(kService, k)});
  std::string json;
  if (gets.empty()) return json;
  capnp::JsonCodec codec;
  for (const auto& reply : redis.pipeline(gets)) {
    if (reply.isNil()) continue;
    if (!json.empty()) json += ',';
    FrameReader reader(reply.str);
    json += codec.encode(reader.root<T>()).cStr();
  }
  return json;
}

// One page of an index (a sorted set of state keys), lowest score first, and the next page's
// token ("" on the last page).
struct Page {
  std::vector<std::string> members;
  std::string next;
};

Page pageOf(Redis& redis, const std::string& index, msg::ListQuery::Reader query) {
  uint32_t size = query.getPageSize() ? std::min(query.getPageSize(), kMaxPage) : kDefaultPage;
  uint64_t offset = 0;
  if (query.getPageToken().size() > 0) offset = std::stoull(query.getPageToken().cStr());
  auto found = redis.command({"ZRANGE", serviceKey(kService, index), std::to_string(offset),
                              std::to_string(offset + size)});
  Page page;
  for (size_t i = 0; i < found.elements.size() && i < size; ++i)
    page.members.push_back(found.elements[i].str);
  if (found.elements.size() > size) page.next = std::to_string(offset + size);
  return page;
}

std::string pageJson(const std::string& name, const std::string& items, const Page& page) {
  return "{\"" + name + "\":[" + items + "],\"nextPageToken\":\"" + page.next + "\"}";
}

std::string jsonText(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Warnings under index members "<record key>#<warningId>", each with its projectId and status.
std::string warningsJson(Redis& redis, const std::vector<std::string>& members) {
  std::vector<RedisCommand> gets;
  for (const auto& m : members) gets.push_back({"GET", serviceKey(kService, m.substr(0, m.rfind('#')))});
  if (gets.empty()) return "";
  auto replies = redis.pipeline(gets);
  capnp::JsonCodec codec;
  std::string json;
  for (size_t i = 0; i < members.size(); ++i) {
    if (replies[i].isNil()) continue;
    std::string id = members[i].substr(members[i].rfind('#') + 1);
    FrameReader reader(replies[i].str);
    bool enrolment = members[i].find(":worker:") != std::string::npos;
    auto list = enrolment ? reader.root<msg::ProjectWorker>().getWarnings()
                          : reader.root<msg::WageProject>().getWarnings();
    std::string projectId = enrolment ? reader.root<msg::ProjectWorker>().getProjectId().cStr()
                                      : reader.root<msg::WageProject>().getProjectId().cStr();
    for (auto w : list) {
      if (id != w.getWarningId().cStr()) continue;
      std::string one = codec.encode(w).cStr();
      one.pop_back();
      if (!json.empty()) json += ',';
      json += one + ",\"projectId\":" + jsonText(projectId) + ",\"status\":\"" +
              (w.getClearedOn().size() > 0 ? "cleared" : "open") + "\"}";
    }
  }
  return json;
}

// "<first>|<second>", either part possibly empty.
std::pair<std::string, std::string> split(const std::string& filter) {
  auto bar = filter.find('|');
  if (bar == std::string::npos) return {filter, ""};
  return {filter.substr(0, bar), filter.substr(bar + 1)};
}

std::string areaOrAll(const std::string& area) {
  return area.empty() ? "all" : area;
}

}  // namespace

WorkerSection RightsQueries::workerSection(Redis& redis, const std::string& workerId) {
  WorkerSection section{std::nullopt, {serviceKey(kService, "worker:" + workerId)}};
  auto stored = redis.command({"GET", section.keysRead[0]});
  if (stored.isNil()) return section;
  FrameReader reader(stored.str);
  auto read = [&](capnp::List<capnp::Text>::Reader list) {
    std::vector<std::string> keys;
    for (auto k : list) {
      keys.emplace_back(k.cStr());
      section.keysRead.push_back(serviceKey(kService, keys.back()));
    }
    return keys;
  };
  auto cases = read(reader.root<msg::WorkerCases>().getCases());
  auto projects = read(reader.root<msg::WorkerCases>().getProjects());
  section.json = "{\"cases\":[" + recordsJson<msg::RightsCase>(redis, cases) + "],\"projects\":[" +
                 recordsJson<msg::ProjectWorker>(redis, projects) + "]}";
  return section;
}

std::optional<std::string> RightsQueries::list(Redis& redis, msg::ListQuery::Reader query) {
  std::string name = query.getName().cStr();
  auto [first, second] = split(query.getFilter().cStr());
  if (name == "cases") {
    if (first != "open" && first != "overdue") return std::nullopt;
    Page page = pageOf(redis, caseIndex(first, areaOrAll(second)), query);
    return pageJson("cases", recordsJson<msg::RightsCase>(redis, page.members), page);
  }
  if (name == "projects") {
    Page page = pageOf(redis, projectIndex(areaOrAll(first)), query);
    return pageJson("projects", recordsJson<msg::WageProject>(redis, page.members), page);
  }
  if (name == "warnings") {
    if (first != "open" && first != "cleared") return std::nullopt;
    Page page = pageOf(redis, warningIndex(first, areaOrAll(second)), query);
    return pageJson("warnings", warningsJson(redis, page.members), page);
  }
  if (name == "project") {
    // The ledger: the project's record and every worker enrolled on it.
    std::string project = recordsJson<msg::WageProject>(redis, {projectKey(first)});
    if (project.empty()) return std::nullopt;
    auto workers = redis.command({"ZRANGE", serviceKey(kService, projectWorkersIndex(first)), "0", "-1"});
    std::vector<std::string> keys;
    for (const auto& w : workers.elements) keys.push_back(w.str);
    return "{\"project\":" + project + ",\"workers\":[" +
           recordsJson<msg::ProjectWorker>(redis, keys) + "]}";
  }
  return std::nullopt;
}

}  // namespace mwp::rights
