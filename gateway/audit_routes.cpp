// GET /v1/audit: the audit of every answer that showed a person, newest first and paged, for
// auditors: all of it, one worker's (worker=) or one key's (key=), over the whole retention.
#include "http.h"

#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
#include "params.h"

namespace mwp::gateway {
namespace {

bool keyName(const std::string& name) {
  return !name.empty() && name.size() <= 128 &&
         name.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
             std::string::npos;
}

void auditLog(Backends& b, const HttpRequest& req, HttpResponse& res) {
  AuditQuery query;
  query.pageSize = numberParam(req, "page_size", 100, 1, 1000);
  query.pageToken = textParam(req, "page_token");
  query.worker = textParam(req, "worker");
  query.key = textParam(req, "key");
  if (req.has_param("worker") && !isValidResidentId(query.worker)) {
    throw badResidentId("worker");
  }
  if (req.has_param("key") && !keyName(query.key)) {
    throw badParameter("key", "不是 API 密钥的名称", "not the name of an API key");
  }
  if (req.has_param("worker") && req.has_param("key")) {
    throw badParameter("key", "不能与 worker 同时使用；按 worker 查询后看每条的 key",
                       "not with worker: ask by worker and read each entry's key");
  }
  auto page = b.audit.page(query);
  if (!page) {
    throw badParameter("page_token", "请传回上一页的 nextPageToken",
                       "pass back the nextPageToken of the previous page");
  }
  JsonWriter json;
  json.beginObject().key("entries").beginArray();
  for (const auto& e : page->entries) {
    json.beginObject()
        .field("id", e.id)
        .field("key", e.key)
        .field("role", e.role)
        .field("route", e.route)
        .key("workers")
        .beginArray();
    for (const auto& w : e.workers) json.value(w);
    json.endArray()
        .field("sections", e.sections)
        .field("status", e.status)
        .field("at", e.at)
        .endObject();
  }
  json.endArray().field("nextPageToken", page->nextPageToken).endObject();
  sendJson(req, res, json.take());
}

}  // namespace

void addAuditRoutes(Router& router, Backends& b) {
  router.get("/v1/audit", R"(/v1/audit)", {Role::kAdmin, Role::kAuditor},
             [&b](auto& req, auto& res, auto&) { auditLog(b, req, res); });
}

}  // namespace mwp::gateway
