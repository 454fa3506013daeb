// Measure 20, wage payment at the source: GET /v1/projects (the projects of an area, paged),
// GET /v1/projects/{projectId} (a project's ledger: its record and every enrolled worker's months
// worked and paid, with the warnings) and GET /v1/warnings (wage warnings across projects). The
// rights service writes the answers; the gateway checks the parameters and masks resident IDs for
// the roles that may not see them, as for worker records.
#include "event_kinds.h"
#include "handlers.h"
#include "http.h"
#include "masking.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "wage_warning_rules.h"

namespace mwp::gateway {
namespace {

// The `rule` filter takes each of the eight warnings of MEASURES.md by its kind (as integrators
// and alerts name it) or by its rule in the register (wage_warning_rules.h).
std::vector<std::string> ruleChoices() {
  std::vector<std::string> choices;
  for (const auto& w : wageWarningRules()) choices.push_back(enumName(w.kind));
  for (const auto& w : wageWarningRules()) choices.push_back(w.rule.id);
  return choices;
}

// The kind the rights service filters by: a register id is mapped to its kind here, as a warning
// stored before register ids were kept has none to match ("" for any).
std::string ruleParam(const HttpRequest& req) {
  static const std::vector<std::string> choices = ruleChoices();
  std::string rule = choiceParam(req, "rule", "", choices);
  if (rule.empty()) return rule;
  return enumName(*wageWarningKindNamed(rule));
}

const char* const kLedgerRoute = "/v1/projects/{projectId}";

void projectLedger(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  std::string projectId = req.matches[1];
  if (projectId.empty() || projectId.size() > 64 || projectId.find('|') != std::string::npos) {
    throw badParameter("projectId", "不是项目编号（1–64 个字符）",
                       "not a project id (1–64 characters)");
  }
  capnp::MallocMessageBuilder query;
  auto list = query.initRoot<msg::Query>().initList();
  list.setName("project");
  list.setFilter(projectId);
  auto answer = b.services.ask(query, b.options.deadline, {"rights"})["rights"];
  if (answer.kind == ServiceAnswer::Kind::kNotFound)
    throw Problem{404, "Unknown project", "no project is registered under this id"};
  if (answer.kind != ServiceAnswer::Kind::kJson)
    throw Problem{503, "Service unavailable", "the rights service did not answer in time"};
  // The ledger names every enrolled worker: each is audited before it goes out, as in listings.
  if (auto shown = residentIdsIn(answer.text); !shown.empty())
    b.audit.record(key, {kLedgerRoute, shown, {"rights"}, 200}, systemClock());
  sendJson(req, res, shownTo(b, key, answer.text));
}

}  // namespace

void addProjectRoutes(Router& router, Backends& b) {
  using R = Role;
  const std::vector<Role> roles{R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth};
  router.get("/v1/projects", R"(/v1/projects)", roles, [&b](auto& req, auto& res, auto& key) {
    std::string warning = choiceParam(req, "warning", "", {"open", "red", "yellow"});
    sendListing(b, req, res, key, "/v1/projects", "rights", "projects",
                areaParam(req, b.catalogue) + "|" + warning);
  });
  router.get(kLedgerRoute, R"(/v1/projects/([^/]*))", roles,
             [&b](auto& req, auto& res, auto& key) { projectLedger(b, req, res, key); });
  router.get("/v1/warnings", R"(/v1/warnings)", roles, [&b](auto& req, auto& res, auto& key) {
    std::string status = choiceParam(req, "status", "open", {"open", "cleared"});
    std::string level = choiceParam(req, "level", "", {"yellow", "red"});
    std::string rule = ruleParam(req);
    sendListing(b, req, res, key, "/v1/warnings", "rights", "warnings",
                status + "|" + areaParam(req, b.catalogue) + "|" + level + "|" + rule);
  });
}

}  // namespace mwp::gateway
