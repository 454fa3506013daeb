// Measure 20, wage payment at the source: GET /v1/projects (the projects of an area, paged),
// GET /v1/projects/{projectId} (a project's ledger: its record and every enrolled worker's months
// worked and paid, with the warnings) and GET /v1/warnings (wage warnings across projects). The
// rights service writes the answers; the gateway checks the parameters and masks resident IDs for
// the roles that may not see them, as for worker records.
#include "handlers.h"
#include "http.h"
#include "masking.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "rules.h"

namespace mwp::gateway {
namespace {

// The eight warnings of MEASURES.md, as integrators and alerts name them (a warning's `kind`),
// and as the register names their rules (its `rule`): the filter `rule` takes either.
const std::vector<std::string> kRules{"noWageAccount",
                                      "noWageDeposit",
                                      "labourCostLate",
                                      "workerUnpaid",
                                      "manyUnpaid",
                                      "paidOutsideAccount",
                                      "leftUnpaid",
                                      "belowMinimumWage",
                                      rules::rights::wage_warning::no_wage_account.id,
                                      rules::rights::wage_warning::no_wage_deposit.id,
                                      rules::rights::wage_warning::labour_cost_late.id,
                                      rules::rights::wage_warning::worker_unpaid.id,
                                      rules::rights::wage_warning::many_unpaid.id,
                                      rules::rights::wage_warning::paid_outside_account.id,
                                      rules::rights::wage_warning::left_unpaid.id,
                                      rules::rights::wage_warning::below_minimum_wage.id};

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
    std::string rule = choiceParam(req, "rule", "", kRules);
    sendListing(b, req, res, key, "/v1/warnings", "rights", "warnings",
                status + "|" + areaParam(req, b.catalogue) + "|" + level + "|" + rule);
  });
}

}  // namespace mwp::gateway
