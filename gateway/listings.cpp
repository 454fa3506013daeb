// The paged listings services keep: GET /v1/workers (employment's registry of an area) and
// GET /v1/cases (rights's open or overdue cases). The service writes the page; the gateway checks
// the parameters, audits everyone on the page, and shows it as the role may see it (masked IDs,
// each with its workerRef, for roles that may not see them whole).
#include "http.h"

#include "handlers.h"
#include "masking.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "rules.h"

namespace mwp::gateway {

std::string askListing(Backends& b, const HttpRequest& req, const std::string& service,
                       const std::string& name, const std::string& filter) {
  int size = numberParam(req, "page_size", 50, 1, 500);
  std::string token = textParam(req, "page_token");
  // Opaque to callers, but always the digits of a service's cursor.
  if (token.find_first_not_of("0123456789") != std::string::npos) {
    throw badParameter("page_token", "请传回上一页的 nextPageToken",
                       "pass back the nextPageToken of the previous page");
  }
  return askList(b, service, name, filter, static_cast<uint32_t>(size), token);
}

std::string askList(Backends& b, const std::string& service, const std::string& name,
                    const std::string& filter, uint32_t pageSize, const std::string& pageToken) {
  capnp::MallocMessageBuilder query;
  auto list = query.initRoot<msg::Query>().initList();
  list.setName(name);
  list.setFilter(filter);
  list.setPageSize(pageSize);
  list.setPageToken(pageToken);
  auto answer = b.services.ask(query, b.options.deadline, {service})[service];
  if (answer.kind == ServiceAnswer::Kind::kUnavailable) {
    throw Problem{503, "Service unavailable", "the " + service + " service did not answer in time"};
  }
  if (answer.kind != ServiceAnswer::Kind::kJson) {
    // Its reason may carry internals (a Redis error): logged, not shown.
    b.log.warn("listing not answered",
               {{"service", service}, {"list", name}, {"error", maskResidentIds(answer.text)}});
    throw Problem{502, "Service error",
                  "the " + service + " service answered with an error instead of the " + name +
                      "; it is in the gateway's log"};
  }
  return answer.text;
}

void sendAudited(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key,
                 const char* route, const std::vector<std::string>& services,
                 const std::string& json) {
  // 每次查询留痕: everyone on the page, before the page goes out.
  if (auto shown = residentIdsIn(json); !shown.empty()) {
    b.audit.record(key, {route, shown, services, 200}, systemClock());
  }
  sendJson(req, res, shownTo(b, key, json));
}

void sendListing(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key,
                 const char* route, const std::string& service, const std::string& name,
                 const std::string& filter) {
  sendAudited(b, req, res, key, route, {service}, askListing(b, req, service, name, filter));
}

void addListingRoutes(Router& router, Backends& b) {
  using R = Role;
  router.get("/v1/workers", R"(/v1/workers)",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth},
             [&b](auto& req, auto& res, auto& key) {
               std::string stale = choiceParam(req, "stale", "false", {"true", "false"});
               sendListing(b, req, res, key, "/v1/workers", "employment", "registry",
                           areaParam(req, b.catalogue) + "|" + stale);
             });
  router.get("/v1/cases", R"(/v1/cases)", {R::kAdmin, R::kCaseworker},
             [&b](auto& req, auto& res, auto& key) {
               std::string status = choiceParam(req, "status", "open", {"open", "overdue"});
               sendListing(b, req, res, key, "/v1/cases", "rights", "cases",
                           status + "|" + areaParam(req, b.catalogue));
             });
}

}  // namespace mwp::gateway
