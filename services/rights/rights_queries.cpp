#include "rights_queries.h"

#include <capnp/compat/json.h>

#include <algorithm>
#include <functional>

#include "event_kinds.h"
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

std::string jsonText(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// An item of a listing from one member of an index and the record it names, or nullopt to leave
// it out (a filter).
using Render =
    std::function<std::optional<std::string>(const std::string& member, const std::string& stored)>;

// The state key an index member names: the member itself, or for warnings "<key>#<warningId>" its
// key.
std::string recordOf(const std::string& member) {
  auto hash = member.rfind('#');
  return hash == std::string::npos ? member : member.substr(0, hash);
}

// A page of `name`: the index's members from the page token on, lowest score first, a page's worth
// read at a time and rendered. A filter may leave members out: at most kScanPages pages' worth are
// read for one answer, so a page may hold fewer items than asked, and the token goes on from the
// last member read ("" once the index is read to its end).
std::string listing(Redis& redis, const std::string& name, const std::string& index,
                    msg::ListQuery::Reader query, const Render& render) {
  constexpr int kScanPages = 20;
  uint32_t size = query.getPageSize() ? std::min(query.getPageSize(), kMaxPage) : kDefaultPage;
  uint64_t offset = 0;
  if (query.getPageToken().size() > 0) offset = std::stoull(query.getPageToken().cStr());
  std::string items, next;
  uint32_t count = 0;
  for (int scan = 0; scan < kScanPages && count < size; ++scan) {
    auto found = redis.command({"ZRANGE", serviceKey(kService, index), std::to_string(offset),
                                std::to_string(offset + size - 1)});
    if (found.elements.empty()) break;
    std::vector<RedisCommand> gets;
    for (const auto& m : found.elements)
      gets.push_back({"GET", serviceKey(kService, recordOf(m.str))});
    auto records = redis.pipeline(gets);
    size_t used = 0;
    for (; used < found.elements.size() && count < size; ++used) {
      if (records[used].isNil()) continue;
      auto item = render(found.elements[used].str, records[used].str);
      if (!item) continue;
      items += (count++ ? "," : "") + *item;
    }
    offset += used;
    next = std::to_string(offset);
    if (found.elements.size() < size && used == found.elements.size()) next.clear();
  }
  if (!next.empty()) {
    // Read to the end exactly: say so rather than hand out a token to an empty page.
    auto rest = redis.command({"ZRANGE", serviceKey(kService, index), next, next});
    if (rest.elements.empty()) next.clear();
  }
  return "{\"" + name + "\":[" + items + "],\"nextPageToken\":\"" + next + "\"}";
}

template <typename T>
Render asJson() {
  return [](const std::string&, const std::string& stored) -> std::optional<std::string> {
    FrameReader reader(stored);
    capnp::JsonCodec codec;
    return std::string(codec.encode(reader.root<T>()).cStr());
  };
}

// A warning with its projectId and status, when it passes the filter (level by name, rule by its
// kind, "" for any). The gateway maps a register id to its kind: a warning stored before register
// ids were kept has an empty `rule`.
std::optional<std::string> warningJson(const std::string& member, const std::string& stored,
                                       const std::string& level, const std::string& rule) {
  std::string id = member.substr(member.rfind('#') + 1);
  FrameReader reader(stored);
  bool enrolment = member.find(":worker:") != std::string::npos;
  auto list = enrolment ? reader.root<msg::ProjectWorker>().getWarnings()
                        : reader.root<msg::WageProject>().getWarnings();
  std::string projectId = enrolment ? reader.root<msg::ProjectWorker>().getProjectId().cStr()
                                    : reader.root<msg::WageProject>().getProjectId().cStr();
  for (auto w : list) {
    if (id != w.getWarningId().cStr()) continue;
    if ((!level.empty() && enumName(w.getLevel()) != level) ||
        (!rule.empty() && enumName(w.getKind()) != rule))
      return std::nullopt;
    capnp::JsonCodec codec;
    std::string json = codec.encode(w).cStr();
    json.pop_back();
    return json + ",\"projectId\":" + jsonText(projectId) + ",\"status\":\"" +
           (w.getClearedOn().size() > 0 ? "cleared" : "open") + "\"}";
  }
  return std::nullopt;
}

// A project, when it has the open warnings asked for: "" any project, "open" any open warning,
// "red" or "yellow" one of that level.
std::optional<std::string> projectJson(const std::string& stored, const std::string& warning) {
  FrameReader reader(stored);
  auto p = reader.root<msg::WageProject>();
  bool keep = warning.empty() || (warning == "open" && p.getOpenRed() + p.getOpenYellow() > 0) ||
              (warning == "red" && p.getOpenRed() > 0) ||
              (warning == "yellow" && p.getOpenYellow() > 0);
  if (!keep) return std::nullopt;
  capnp::JsonCodec codec;
  return std::string(codec.encode(p).cStr());
}

// The parts of a filter "a|b|…", as many as asked (missing ones empty).
std::vector<std::string> parts(const std::string& filter, size_t count) {
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t i = 0; i < count; ++i) {
    if (from > filter.size()) {
      out.emplace_back();
      continue;
    }
    auto bar = filter.find('|', from);
    out.push_back(filter.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
    from = bar == std::string::npos ? filter.size() + 1 : bar + 1;
  }
  return out;
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
  std::string name = query.getName().cStr(), filter = query.getFilter().cStr();
  if (name == "cases") {
    auto f = parts(filter, 2);  // status|area
    if (f[0] != "open" && f[0] != "overdue") return std::nullopt;
    return listing(redis, "cases", caseIndex(f[0], areaOrAll(f[1])), query,
                   asJson<msg::RightsCase>());
  }
  if (name == "projects") {
    auto f = parts(filter, 2);  // area|warning
    return listing(redis, "projects", projectIndex(areaOrAll(f[0])), query,
                   [warning = f[1]](const std::string&, const std::string& stored) {
                     return projectJson(stored, warning);
                   });
  }
  if (name == "warnings") {
    auto f = parts(filter, 4);  // status|area|level|rule
    if (f[0] != "open" && f[0] != "cleared") return std::nullopt;
    return listing(
        redis, "warnings", warningIndex(f[0], areaOrAll(f[1])), query,
        [level = f[2], rule = f[3]](const std::string& member, const std::string& stored) {
          return warningJson(member, stored, level, rule);
        });
  }
  if (name == "project") {
    // The ledger: the project's record and every worker enrolled on it.
    std::string project = recordsJson<msg::WageProject>(redis, {projectKey(filter)});
    if (project.empty()) return std::nullopt;
    auto workers =
        redis.command({"ZRANGE", serviceKey(kService, projectWorkersIndex(filter)), "0", "-1"});
    std::vector<std::string> keys;
    for (const auto& w : workers.elements) keys.push_back(w.str);
    return "{\"project\":" + project + ",\"workers\":[" +
           recordsJson<msg::ProjectWorker>(redis, keys) + "]}";
  }
  return std::nullopt;
}

}  // namespace mwp::rights
