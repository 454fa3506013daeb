// GET /v1/measures and /v1/measures/{number}: each of the 30 measures with its titles, lead
// departments and indicators (value and target) for a year and an area, from the services that
// own them. A service that does not answer leaves its measures "unavailable", not missing.
// Health indicators (the catalogue's "health") with a value from 1 to below the threshold are
// shown as "value":null,"suppressed":true to roles without health access, as DHIS2 and the
// statistical offices suppress small cells: 1 HIV check in a county is one person's result.
#include "http.h"

#include <capnp/compat/json.h>

#include <set>

#include "event_kinds.h"
#include "handlers.h"
#include "ids.h"
#include "indicator_counts.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "query_server.h"
#include "rules.h"

namespace mwp::gateway {
namespace {

struct Progress {
  std::map<int, std::vector<IndicatorAnswer>> byMeasure;
  std::set<std::string> unavailable;  // services that did not answer
};

// Every indicator of every measure, for a year and an area, regrouped by measure.
Progress progress(Backends& b, int year, const std::string& area) {
  capnp::MallocMessageBuilder query;
  auto q = query.initRoot<msg::Query>().initIndicators();
  q.setYear(static_cast<uint16_t>(year));
  q.setArea(area.empty() ? "all" : area);
  Progress p;
  for (auto& [service, answer] : b.services.ask(query, b.options.deadline)) {
    if (answer.kind != ServiceAnswer::Kind::kIndicators) {
      p.unavailable.insert(service);
      continue;
    }
    for (auto& i : answer.indicators) p.byMeasure[i.measure].push_back(std::move(i));
  }
  return p;
}

bool isHealthIndicator(msg::Measure::Reader m, const std::string& name) {
  for (auto i : m.getIndicators()) {
    if (name == i.getName().cStr()) return i.getHealth();
  }
  return false;
}

// Values from 1 to below this are suppressed for `key`'s role; 0: none is.
int suppressedBelow(const Backends& b, const ApiKey& key) {
  return visibilityOf(key.role).healthSection ? 0 : b.options.healthMinCount;
}

void writeMeasure(JsonWriter& json, const Catalogue& catalogue, msg::Measure::Reader m,
                  const Progress& p, int suppressBelow) {
  std::string service = enumName(m.getService());
  json.beginObject()
      .field("number", m.getNumber())
      .field("titleZh", m.getTitleZh().cStr())
      .field("titleEn", m.getTitleEn().cStr())
      .key("lead")
      .beginArray();
  for (auto d : m.getLead()) json.value(catalogue.departmentName(d));
  json.endArray()
      .field("service", service)
      .field("status", p.unavailable.count(service) ? "unavailable" : "ok")
      .key("indicators")
      .beginArray();
  if (auto found = p.byMeasure.find(m.getNumber()); found != p.byMeasure.end()) {
    for (const auto& i : found->second) {
      bool small = i.value > 0 && i.value < suppressBelow;
      writeIndicator(json, i, small && isHealthIndicator(m, i.indicator));
    }
  }
  json.endArray().endObject();
}

int yearParam(const HttpRequest& req) {
  return numberParam(req, "year", yearOf(formatDate(chinaDayOf(systemClock()))), 2019, 2100);
}

void allMeasures(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  int year = yearParam(req);
  auto p = progress(b, year, areaParam(req, b.catalogue));
  JsonWriter json;
  json.beginObject().field("year", year).key("measures").beginArray();
  for (auto m : b.catalogue.data().getMeasures()) {
    writeMeasure(json, b.catalogue, m, p, suppressedBelow(b, key));
  }
  json.endArray().endObject();
  sendJson(req, res, json.take());
}

// Measure 23 in one village (乡镇、村全覆盖走访慰问): its returnees of the year, those whose family
// was visited, and the coverage, as the outreach service counts them per village.
Progress villageProgress(Backends& b, int year, const std::string& village) {
  std::string text = askList(b, "outreach", "villageCoverage",
                             village + "|" + std::to_string(year), 0, "");
  capnp::JsonCodec codec;
  capnp::MallocMessageBuilder message;
  auto counted = message.initRoot<msg::VillageCoverage>();
  codec.decode(kj::ArrayPtr<const char>(text.data(), text.size()), counted);
  Progress p;
  auto& indicators = p.byMeasure[23];
  auto add = [&](Indicator handle, double value, std::optional<double> target) {
    indicators.push_back({23, std::string(handle.name), village, year, value, target});
  };
  add(measure23::kReturnees, counted.getReturnees(), std::nullopt);
  add(measure23::kReturneesVisited, counted.getVisited(), std::nullopt);
  // No ratio without a denominator: absent, as the services leave it.
  if (counted.getReturnees() > 0) {
    add(measure23::kFamilyVisitCoverage,
        static_cast<double>(counted.getVisited()) / counted.getReturnees(), 1.0);
  }
  return p;
}

void oneMeasure(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  auto number = wholeNumber(req.matches[1].str());
  if (!number) {
    throw badParameter("number", "不是 1–30 的措施编号", "not a measure number from 1 to 30");
  }
  if (!b.catalogue.hasMeasure(*number))
    throw Problem{404, "Unknown measure", "measures run from 1 to 30"};
  int year = yearParam(req);
  std::string village = villageParam(req, b.catalogue);
  if (!village.empty()) {
    if (*number != 23) {
      throw badParameter("village", "只有措施二十三按村统计", "only measure 23 is counted per village");
    }
    JsonWriter json;
    writeMeasure(json, b.catalogue, b.catalogue.measure(23), villageProgress(b, year, village),
                 suppressedBelow(b, key));
    sendJson(req, res, json.take());
    return;
  }
  auto p = progress(b, year, areaParam(req, b.catalogue));
  JsonWriter json;
  writeMeasure(json, b.catalogue, b.catalogue.measure(*number), p, suppressedBelow(b, key));
  sendJson(req, res, json.take());
}

}  // namespace

void addMeasureRoutes(Router& router, Backends& b) {
  using R = Role;
  const std::vector<Role> everyone{R::kAdmin,  R::kIntegrator, R::kCaseworker,
                                   R::kHealth, R::kAuditor,    R::kDepartment};
  router.get("/v1/measures", R"(/v1/measures)", everyone,
             [&b](auto& req, auto& res, auto& key) { allMeasures(b, req, res, key); });
  router.get("/v1/measures/{number}", R"(/v1/measures/([^/]*))", everyone,
             [&b](auto& req, auto& res, auto& key) { oneMeasure(b, req, res, key); });
}

}  // namespace mwp::gateway
