// GET /v1/measures and /v1/measures/{number}: each of the 30 measures with its titles, lead
// departments and indicators (value and target) for a year, a quarter or a 春运 window
// (`?period=`) and an area, from the services that own them; for a quarter, one measure's
// reporting: the areas that owe it, reported, on time, missing and late. A service that does not
// answer leaves its measures "unavailable", not missing. Health indicators (the catalogue's
// "health") with a value from 1 to below the threshold are shown as "value":null,"suppressed":true
// to roles without health access, as DHIS2 and the statistical offices suppress small cells: 1 HIV
// check in a county is one person's result.
#include <capnp/compat/json.h>

#include <set>

#include "event_kinds.h"
#include "handlers.h"
#include "http.h"
#include "ids.h"
#include "indicator_counts.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"
#include "progress.h"
#include "query_server.h"
#include "rules.h"

namespace mwp::gateway {

Progress progress(Backends& b, const ProgressQuery& pq) {
  capnp::MallocMessageBuilder query;
  auto q = query.initRoot<msg::Query>().initIndicators();
  q.setYear(static_cast<uint16_t>(pq.year));
  q.setArea(pq.area.empty() ? "all" : pq.area == "*" ? "" : pq.area);
  q.setPeriod(pq.period);
  q.setWithReporting(pq.withReporting);
  Progress p;
  for (auto& [service, answer] : b.services.ask(query, b.options.deadline)) {
    if (answer.kind != ServiceAnswer::Kind::kIndicators) {
      p.unavailable.insert(service);
      continue;
    }
    for (auto& i : answer.indicators) p.byMeasure[i.measure].push_back(std::move(i));
    for (auto& r : answer.reporting) p.reporting.push_back(std::move(r));
  }
  return p;
}

PeriodParams periodParams(const HttpRequest& req, const Catalogue& catalogue) {
  PeriodParams out;
  out.year = numberParam(req, "year", yearOf(formatDate(chinaDayOf(systemClock()))), 2019, 2100);
  std::string text = textParam(req, "period");
  if (text.empty()) return out;
  auto period = parsePeriod(text, catalogue);
  if (!period || period->kind == Period::Kind::kYear) {
    throw badParameter("period", "不是 YYYY-Qn 季度或 YYYY-spring 春运期（有日期的年份）",
                       "not a quarter YYYY-Qn or a spring travel window YYYY-spring of a year "
                       "with its dates");
  }
  if (!textParam(req, "year").empty() && period->year != out.year) {
    throw badParameter("period", "与 year 不是同一年", "is not in the year given by year");
  }
  out.year = period->year;
  out.period = period->name();
  out.kind = period->kind;
  return out;
}

int suppressedBelow(const Backends& b, const ApiKey& key) {
  return visibilityOf(key.role).healthSection ? 0 : b.options.healthMinCount;
}

bool isSuppressed(msg::Measure::Reader m, const std::string& name, double value, int below) {
  if (!(value > 0 && value < below)) return false;
  for (auto i : m.getIndicators()) {
    if (name == i.getName().cStr()) return i.getHealth();
  }
  return false;
}

namespace {

// A quarter's reporting of one measure: the areas that owe it, reported, in time, and which did
// not.
void writeReporting(JsonWriter& json, int measure, const std::string& quarter,
                    const std::vector<AreaReporting>& reporting) {
  int expected = 0, reported = 0, onTime = 0, nothing = 0;
  std::vector<std::string> missing, late;
  for (const auto& r : reporting) {
    if (r.measure != measure || r.quarter.name() != quarter) continue;
    ++expected;
    reported += r.reported;
    onTime += r.onTime;
    nothing += r.nothingToReport;
    if (!r.reported) missing.push_back(r.area);
    if (r.reported && !r.onTime) late.push_back(r.area);
  }
  json.key("reporting")
      .beginObject()
      .field("period", quarter)
      .field("expected", expected)
      .field("reported", reported)
      .field("onTime", onTime)
      .field("nothingToReport", nothing)
      .key("missing")
      .beginArray();
  for (const auto& a : missing) json.value(a);
  json.endArray().key("late").beginArray();
  for (const auto& a : late) json.value(a);
  json.endArray().endObject();
}

// Opens the measure's object and leaves it open, for the caller to add to and end.
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
      writeIndicator(json, i, isSuppressed(m, i.indicator, i.value, suppressBelow));
    }
  }
  json.endArray();
}

void allMeasures(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  auto when = periodParams(req, b.catalogue);
  auto p = progress(b, {when.year, areaParam(req, b.catalogue), when.period});
  JsonWriter json;
  json.beginObject().field("year", when.year);
  if (!when.period.empty()) json.field("period", when.period);
  json.key("measures").beginArray();
  for (auto m : b.catalogue.data().getMeasures()) {
    writeMeasure(json, b.catalogue, m, p, suppressedBelow(b, key));
    json.endObject();
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
  auto when = periodParams(req, b.catalogue);
  std::string village = villageParam(req, b.catalogue);
  if (!village.empty()) {
    if (*number != 23) {
      throw badParameter("village", "只有措施二十三按村统计", "only measure 23 is counted per village");
    }
    if (!when.period.empty()) {
      throw badParameter("period", "按村统计只按年度", "a village is counted by the year only");
    }
    JsonWriter json;
    writeMeasure(json, b.catalogue, b.catalogue.measure(23), villageProgress(b, when.year, village),
                 suppressedBelow(b, key));
    json.endObject();
    sendJson(req, res, json.take());
    return;
  }
  bool quarter = when.kind == Period::Kind::kQuarter;
  auto p = progress(b, {when.year, areaParam(req, b.catalogue), when.period, quarter});
  JsonWriter json;
  writeMeasure(json, b.catalogue, b.catalogue.measure(*number), p, suppressedBelow(b, key));
  if (!when.period.empty()) json.field("period", when.period);
  if (quarter) writeReporting(json, *number, when.period, p.reporting);
  json.endObject();
  sendJson(req, res, json.take());
}

}  // namespace

void addMeasureRoutes(Router& router, Backends& b) {
  router.get("/v1/measures", R"(/v1/measures)", progressReaders(),
             [&b](auto& req, auto& res, auto& key) { allMeasures(b, req, res, key); });
  router.get("/v1/measures/{number}", R"(/v1/measures/([^/]*))", progressReaders(),
             [&b](auto& req, auto& res, auto& key) { oneMeasure(b, req, res, key); });
}

}  // namespace mwp::gateway
