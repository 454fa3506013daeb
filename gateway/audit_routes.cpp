// GET /v1/audit: the audit of worker reads, newest first, for auditors.
#include "http.h"

#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
#include "params.h"

namespace mwp::gateway {
namespace {

void auditLog(Backends& b, const HttpRequest& req, HttpResponse& res) {
  int limit = numberParam(req, "limit", 100, 1, 1000);
  std::string worker = textParam(req, "worker");
  if (req.has_param("worker") && !isValidResidentId(worker)) {
    throw badResidentId("worker");
  }
  JsonWriter json;
  json.beginObject().key("entries").beginArray();
  for (const auto& e : b.audit.newest(limit, worker)) {
    json.beginObject()
        .field("id", e.id)
        .field("key", e.key)
        .field("role", e.role)
        .field("worker", e.worker)
        .field("sections", e.sections)
        .field("at", e.at)
        .endObject();
  }
  json.endArray().endObject();
  sendJson(req, res, json.take());
}

}  // namespace

void addAuditRoutes(Router& router, Backends& b) {
  router.get("/v1/audit", R"(/v1/audit)", {Role::kAdmin, Role::kAuditor},
             [&b](auto& req, auto& res, auto&) { auditLog(b, req, res); });
}

}  // namespace mwp::gateway
