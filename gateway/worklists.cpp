// GET /v1/worklists/{name}: the people a coverage promise has still to serve (common/core/
// worklists.h) — insured without a card, listed poor not placed, returnees whose family is not
// visited, exposed workers not checked — a page at a time, the longest waiting first, with what
// the office needs to act: name, village, since when. The service that keeps the worklist writes
// the page; the names come from the employment service's registry. Like a worker record, every
// read is audited for everyone on the page, and IDs are masked for the roles that may not see
// them whole; exposedNotChecked tells of a hazard exposure, health data, for health roles only.
#include <capnp/compat/json.h>
#include <capnp/message.h>

#include <map>

#include "handlers.h"
#include "http.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "worklists.h"

namespace mwp::gateway {
namespace {

// The registry's names of the workers on a page, by workerId (absent: not in the registry).
std::map<std::string, std::string> namesOf(Backends& b, msg::WorklistPage::Reader page) {
  std::string ids;
  for (auto e : page.getEntries()) {
    if (e.getWorkerId().size() > 0) ids += (ids.empty() ? "" : ",") + std::string(e.getWorkerId());
  }
  std::map<std::string, std::string> names;
  if (ids.empty()) return names;
  capnp::JsonCodec codec;
  capnp::MallocMessageBuilder message;
  auto known = message.initRoot<msg::WorkerNames>();
  std::string text = askList(b, "employment", "names", ids, 0, "");
  codec.decode(kj::ArrayPtr<const char>(text.data(), text.size()), known);
  for (auto n : known.getNames()) names[n.getWorkerId().cStr()] = n.getName().cStr();
  return names;
}

void worklist(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  std::string name = req.matches[1];
  const WorklistInfo* list = worklistNamed(name);
  if (!list) {
    std::string known;
    for (const auto& l : kWorklists) known += (known.empty() ? "" : ", ") + std::string(l.name);
    throw Problem{404, "Unknown worklist", "the worklists are " + known};
  }
  if (list->health && !visibilityOf(key.role).healthSection) {
    throw Problem{403, "Forbidden",
                  name + " tells of hazard exposures, health information: for admin and health "
                         "keys（接害信息属个人健康信息）"};
  }
  std::string area = areaParam(req, b.catalogue);
  std::string village = villageParam(req, b.catalogue);
  if (!village.empty() && list->name != "returneesNotVisited") {
    throw badParameter("village", "该名单的事件不含村（社区）", "this worklist's events name no village");
  }
  if (!village.empty() && !area.empty() && area != "all" && village.substr(0, 6) != area) {
    throw badParameter("village", "不在所选 area 内", "not a village of the area asked for");
  }
  std::string scope = !village.empty() ? village : area.empty() ? "all" : area;
  std::string service(list->service);
  std::string text = askListing(b, req, service, "worklist:" + name, scope);

  capnp::JsonCodec codec;
  capnp::MallocMessageBuilder message;
  auto page = message.initRoot<msg::WorklistPage>();
  codec.decode(kj::ArrayPtr<const char>(text.data(), text.size()), page);
  auto names = namesOf(b, page);

  JsonWriter json;
  json.beginObject()
      .field("worklist", name)
      .field("measure", list->measure)
      .field("area", area.empty() ? "all" : area);
  json.key("village");
  village.empty() ? json.null() : json.value(village);
  json.key("entries").beginArray();
  for (auto e : page.getEntries()) {
    if (e.getWorkerId().size() == 0) continue;
    std::string id = e.getWorkerId().cStr();
    json.beginObject().field("workerId", id).key("name");
    auto found = names.find(id);
    found == names.end() ? json.null() : json.value(found->second);
    json.key("village");
    e.getVillage().size() ? json.value(e.getVillage().cStr()) : json.null();
    json.field("year", static_cast<int>(e.getYear())).field("since", e.getSince().cStr());
    json.endObject();
  }
  json.endArray().field("nextPageToken", page.getNextPageToken().cStr()).endObject();
  std::vector<std::string> services{service};
  if (service != "employment") services.push_back("employment");
  sendAudited(b, req, res, key, "/v1/worklists/{name}", services, json.take());
}

}  // namespace

void addWorklistRoutes(Router& router, Backends& b) {
  using R = Role;
  router.get("/v1/worklists/{name}", R"(/v1/worklists/([^/]*))",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth},
             [&b](auto& req, auto& res, auto& key) { worklist(b, req, res, key); });
}

}  // namespace mwp::gateway
