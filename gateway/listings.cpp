// The paged listings services keep: GET /v1/workers (employment's registry of an area) and
// GET /v1/cases (rights's open or overdue cases). The service writes the page; the gateway checks
// the parameters and masks what the role may not see.
#include "http.h"

#include "handlers.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"

namespace mwp::gateway {

void sendListing(Backends& b, const HttpRequest& req, HttpResponse& res,
                 const ApiKey& key, const std::string& service, const std::string& name,
                 const std::string& filter) {
  int size = numberParam(req, "page_size", 50, 1, 500);
  std::string token = textParam(req, "page_token");
  // Opaque to callers, but always the digits of a service's cursor.
  if (token.find_first_not_of("0123456789") != std::string::npos) {
    throw badParameter("page_token", "请传回上一页的 nextPageToken",
                       "pass back the nextPageToken of the previous page");
  }
  capnp::MallocMessageBuilder query;
  auto list = query.initRoot<msg::Query>().initList();
  list.setName(name);
  list.setFilter(filter);
  list.setPageSize(static_cast<uint32_t>(size));
  list.setPageToken(token);
  auto answer = b.services.ask(query, b.options.deadline, {service})[service];
  if (answer.kind != ServiceAnswer::Kind::kJson) {
    throw Problem{503, "Service unavailable", "the " + service + " service did not answer in time"};
  }
  sendJson(req, res, visibleTo(key, answer.text));
}

void addListingRoutes(Router& router, Backends& b) {
  using R = Role;
  router.get("/v1/workers", R"(/v1/workers)",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth},
             [&b](auto& req, auto& res, auto& key) {
               std::string stale = choiceParam(req, "stale", "false", {"true", "false"});
               sendListing(b, req, res, key, "employment", "registry",
                           areaParam(req, b.catalogue) + "|" + stale);
             });
  router.get("/v1/cases", R"(/v1/cases)", {R::kAdmin, R::kCaseworker},
             [&b](auto& req, auto& res, auto& key) {
               std::string status = choiceParam(req, "status", "open", {"open", "overdue"});
               sendListing(b, req, res, key, "rights", "cases",
                           status + "|" + areaParam(req, b.catalogue));
             });
}

}  // namespace mwp::gateway
