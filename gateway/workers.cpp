// GET /v1/workers/{workerId}: one record of a worker from every service that keeps a section of
// it, as the caller's role may see it, audited before it goes out — a lookup that finds nobody
// too. {workerId} is a resident ID or a listing's workerRef; roles that see IDs masked may use
// only the workerRef (worker_refs.h says why).
#include "http.h"

#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
#include "masking.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "rules.h"
#include "services.h"

namespace mwp::gateway {
namespace {

// Services that keep a section of a worker's record (outreach keeps none).
const std::vector<std::string> kSectionServices = [] {
  std::vector<std::string> names;
  for (const auto& s : kServices) {
    if (s.keepsWorkerSection) names.emplace_back(s.name);
  }
  return names;
}();

void writeSection(JsonWriter& json, const ServiceAnswer& a) {
  json.beginObject();
  switch (a.kind) {
    case ServiceAnswer::Kind::kJson:
      json.field("status", "ok").key("data").raw(a.text);
      break;
    case ServiceAnswer::Kind::kNotFound:
      json.field("status", "none");
      break;
    case ServiceAnswer::Kind::kError:
      json.field("status", "error").field("detail", a.text);
      break;
    default:
      json.field("status", "unavailable");
  }
  json.endObject();
}

// The sections of these services: those kept from before, and the others asked now.
std::map<std::string, ServiceAnswer> workerSections(Backends& b, const std::string& workerId,
                                                    const std::vector<std::string>& of) {
  auto ticket = b.sections.ticket();
  std::map<std::string, ServiceAnswer> answers;
  std::vector<std::string> toAsk;
  for (const auto& s : of) {
    if (auto kept = b.sections.find(s, workerId)) {
      answers[s] = std::move(*kept);
    } else {
      toAsk.push_back(s);
    }
  }
  if (toAsk.empty()) return answers;
  capnp::MallocMessageBuilder query;
  query.initRoot<msg::Query>().setWorkerSection(workerId);
  for (auto& [s, answer] : b.services.ask(query, b.options.deadline, toAsk)) {
    b.sections.keep(ticket, s, workerId, answer);
    answers[s] = std::move(answer);
  }
  return answers;
}

constexpr const char* kRecordRoute = "/v1/workers/{workerId}";

// The resident ID that {workerId} names, if `key`'s role may look it up that way.
std::string workerIdOf(const Backends& b, const std::string& asked, const ApiKey& key) {
  if (isValidResidentId(asked)) {
    if (!visibilityOf(key.role).fullResidentIds) {
      throw Problem{403, "Look workers up by workerRef",
                    "workerId: 此角色只能用名单给出的 workerRef 查询 / this role looks workers up "
                    "by the workerRef a listing gives, not by resident ID"};
    }
    return asked;
  }
  if (auto worker = b.refs.workerOf(asked)) return *worker;
  throw badParameter("workerId", "不是 18 位、校验码正确的身份证号，也不是名单给出的 workerRef",
                     "neither a resident ID with a valid GB 11643 check character nor the "
                     "workerRef of a listing");
}

void workerRecord(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  std::string asked = req.matches[1];
  std::string workerId = workerIdOf(b, asked, key);
  auto visibility = visibilityOf(key.role);
  AuditRecord audited{kRecordRoute, {workerId}, {}, 200};
  for (const auto& s : kSectionServices) {
    if (s != "health" || visibility.healthSection) audited.sections.push_back(s);
  }
  auto answers = workerSections(b, workerId, audited.sections);

  JsonWriter json;
  json.beginObject().field("workerId", workerId).key("sections").beginObject();
  std::vector<std::string> unavailable;
  bool known = false;
  for (const auto& s : audited.sections) {
    const auto& a = answers[s];
    known |= a.kind == ServiceAnswer::Kind::kJson;
    if (a.kind == ServiceAnswer::Kind::kUnavailable) unavailable.push_back(s);
    writeSection(json.key(s), a);
  }
  // 每次查询留痕: the lookup is audited before the answer goes out, or not answered — a miss
  // too, since a miss tells the caller something (that this is not the ID of a known worker).
  if (!known && unavailable.empty()) {
    audited.status = 404;
    b.audit.record(key, audited, systemClock());
    if (asked == workerId) b.lookupMisses.Add({{"key", key.name}}).Increment();
    throw Problem{404, "Unknown worker", "no service has a record of this worker"};
  }
  json.endObject().key("unavailable").beginArray();
  for (const auto& s : unavailable) json.value(s);
  json.endArray().endObject();
  b.audit.record(key, audited, systemClock());
  sendJson(req, res, shownTo(b, key, json.take()));
}

}  // namespace

std::string shownTo(const Backends& b, const ApiKey& key, const std::string& json) {
  if (visibilityOf(key.role).fullResidentIds) return json;
  return maskResidentIds(b.refs.withRefs(json));
}

void addWorkerRoutes(Router& router, Backends& b) {
  using R = Role;
  router.get("/v1/workers/{workerId}", R"(/v1/workers/([^/]*))",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth},
             [&b](auto& req, auto& res, auto& key) { workerRecord(b, req, res, key); });
}

}  // namespace mwp::gateway
