// GET /v1/workers/{workerId}: one record of a worker from every service that keeps a section of
// it, as the caller's role may see it, audited before it goes out.
#include "http.h"

#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
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

void workerRecord(Backends& b, const HttpRequest& req, HttpResponse& res,
                  const ApiKey& key) {
  std::string workerId = req.matches[1];
  if (!isValidResidentId(workerId)) {
    throw badResidentId("workerId");
  }
  auto visibility = visibilityOf(key.role);
  std::vector<std::string> asked;
  for (const auto& s : kSectionServices) {
    if (s != "health" || visibility.healthSection) asked.push_back(s);
  }
  auto answers = workerSections(b, workerId, asked);

  JsonWriter json;
  json.beginObject().field("workerId", workerId).key("sections").beginObject();
  std::vector<std::string> unavailable;
  bool known = false;
  for (const auto& s : asked) {
    const auto& a = answers[s];
    known |= a.kind == ServiceAnswer::Kind::kJson;
    if (a.kind == ServiceAnswer::Kind::kUnavailable) unavailable.push_back(s);
    writeSection(json.key(s), a);
  }
  if (!known && unavailable.empty())
    throw Problem{404, "Unknown worker", "no service has a record of this worker"};
  json.endObject().key("unavailable").beginArray();
  for (const auto& s : unavailable) json.value(s);
  json.endArray().endObject();

  // 每次查询留痕: the read is audited before the answer goes out, or not answered.
  b.audit.recordRead(key, workerId, asked, systemClock());
  sendJson(req, res, visibleTo(key, json.take()));
}

}  // namespace

void addWorkerRoutes(Router& router, Backends& b) {
  using R = Role;
  router.get("/v1/workers/{workerId}", R"(/v1/workers/([^/]*))",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth},
             [&b](auto& req, auto& res, auto& key) { workerRecord(b, req, res, key); });
}

}  // namespace mwp::gateway
