// GET /v1/scorecard?year=&period=: what the 目标绩效管理办公室 asks of each county and park at the
// year's end (措施二十九: 纳入各级党委、政府年度考核内容, 层层分解任务). For each area: every
// indicator the catalogue gives a per-area target (value, target, met) and every coverage ratio
// (MEASURES.md "Coverage"), so an indicator added to the catalogue with either appears with no code
// here; reporting completeness and timeliness over the quarters ended; the rights cases past a
// legal deadline; the red wage warnings open. As JSON, or as CSV with `Accept: text/csv` (UTF-8
// with a byte-order mark, so that Excel reads the Chinese names as such).
#include <map>
#include <sstream>

#include "event_kinds.h"
#include "http.h"
#include "ids.h"
#include "json_writer.h"
#include "mwp/catalogue_names.h"
#include "params.h"
#include "progress.h"
#include "rules.h"

namespace mwp::gateway {
namespace {

struct ScoredIndicator {
  int measure = 0;
  std::string indicator;
  std::optional<double> value;  // nullopt: suppressed, or nothing to divide by
  std::optional<double> target;
  std::optional<bool> met;  // nullopt: no target here, or no value
  bool suppressed = false;
};

struct AreaScore {
  std::string area;
  std::string nameZh;
  std::vector<ScoredIndicator> indicators;
  int expected = 0, reported = 0, onTime = 0;
  double casesOverdue = 0;
  double redWarnings = 0;
};

struct Scorecard {
  int year = 0;
  std::string period;
  std::vector<AreaScore> areas;
  std::set<std::string> unavailable;
};

// What the scorecard shows of the catalogue: an indicator with a target for each area, or a
// coverage ratio.
bool isScored(msg::Indicator::Reader i) {
  bool areaTarget = i.hasAreaTarget() && i.getAreaTarget().getAtLeast() > 0;
  return i.getPerArea() || areaTarget || i.getCoverage();
}

std::optional<bool> metOf(msg::Indicator::Reader i, double value, double target) {
  if (i.getTarget().isAtMost() && !(i.hasAreaTarget() && i.getAreaTarget().getAtLeast() > 0)) {
    return value <= target;
  }
  return value >= target;
}

// The cases past a legal deadline (措施二十至二十二) and the red warnings open (措施二十): what the
// office asks about beside the targets.
constexpr Indicator kOverdue[] = {measure20::kCasesOverdue, measure21::kCasesOverdue,
                                  measure22::kCasesOverdue};
constexpr Indicator kRedWarnings = measure20::kWarningsRedOpen;

bool is(const IndicatorAnswer& a, Indicator handle) {
  return a.measure == handle.measure && a.indicator == handle.name;
}

Scorecard scorecardOf(Backends& b, const PeriodParams& when, int suppressBelow) {
  auto p = progress(b, {when.year, "*", when.period, true});
  Scorecard card{when.year, when.period, {}, p.unavailable};
  std::map<std::string, AreaScore*> byArea;
  card.areas.reserve(b.catalogue.data().getAreas().size());
  for (auto a : b.catalogue.data().getAreas()) {
    AreaScore area;
    area.area = a.getCode().cStr();
    area.nameZh = a.getNameZh().cStr();
    card.areas.push_back(std::move(area));
    byArea[card.areas.back().area] = &card.areas.back();
  }
  for (auto m : b.catalogue.data().getMeasures()) {
    auto found = p.byMeasure.find(m.getNumber());
    if (found == p.byMeasure.end()) continue;
    for (auto i : m.getIndicators()) {
      bool scored = isScored(i);
      for (const auto& answer : found->second) {
        auto area = byArea.find(answer.area);
        if (area == byArea.end() || answer.indicator != i.getName().cStr()) continue;
        for (auto overdue : kOverdue) {
          if (is(answer, overdue)) area->second->casesOverdue += answer.value;
        }
        if (is(answer, kRedWarnings)) area->second->redWarnings += answer.value;
        if (!scored) continue;
        ScoredIndicator s;
        s.measure = answer.measure;
        s.indicator = answer.indicator;
        s.value = answer.value;
        s.target = answer.target;
        if (isSuppressed(m, answer.indicator, answer.value, suppressBelow)) {
          s.value.reset();
          s.suppressed = true;
        } else if (answer.target) {
          s.met = metOf(i, answer.value, *answer.target);
        }
        area->second->indicators.push_back(std::move(s));
      }
    }
  }
  // Reporting is owed for a quarter once it has ended: the year's ended quarters, or the one asked.
  int32_t today = chinaDayOf(systemClock());
  auto asked = when.kind == Period::Kind::kQuarter ? parseQuarter(when.period) : std::nullopt;
  for (const auto& r : p.reporting) {
    if (asked ? r.quarter.name() != asked->name() : r.quarter.lastDay >= today) continue;
    auto area = byArea.find(r.area);
    if (area == byArea.end()) continue;
    area->second->expected += 1;
    area->second->reported += r.reported;
    area->second->onTime += r.onTime;
  }
  return card;
}

void writeOptional(JsonWriter& json, const char* name, const std::optional<double>& v) {
  json.key(name);
  if (v) {
    json.value(*v);
  } else {
    json.null();
  }
}

std::string asJson(const Scorecard& card) {
  JsonWriter json;
  json.beginObject().field("year", card.year);
  if (!card.period.empty()) json.field("period", card.period);
  json.key("areas").beginArray();
  for (const auto& a : card.areas) {
    json.beginObject()
        .field("area", a.area)
        .field("nameZh", a.nameZh)
        .key("indicators")
        .beginArray();
    for (const auto& i : a.indicators) {
      json.beginObject().field("measure", i.measure).field("indicator", i.indicator);
      writeOptional(json, "value", i.value);
      if (i.suppressed) json.field("suppressed", true);
      writeOptional(json, "target", i.target);
      json.key("met");
      if (i.met) {
        json.value(*i.met);
      } else {
        json.null();
      }
      json.endObject();
    }
    json.endArray()
        .key("reporting")
        .beginObject()
        .field("expected", a.expected)
        .field("reported", a.reported)
        .field("onTime", a.onTime)
        .endObject()
        .field("casesOverdue", a.casesOverdue)
        .field("redWageWarnings", a.redWarnings)
        .endObject();
  }
  json.endArray().key("unavailable").beginArray();
  for (const auto& s : card.unavailable) json.value(s);
  json.endArray().endObject();
  return json.take();
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// One row per area and figure, as a spreadsheet pivots it: the indicators, then the reporting,
// the overdue cases and the red warnings under names of their own (no measure).
std::string asCsv(const Scorecard& card) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8's byte-order mark: Excel then reads UTF-8
  out += "year,period,area,nameZh,measure,indicator,value,target,met\r\n";
  std::string head = std::to_string(card.year) + "," + csvField(card.period) + ",";
  for (const auto& a : card.areas) {
    std::string row = head + csvField(a.area) + "," + csvField(a.nameZh) + ",";
    for (const auto& i : a.indicators) {
      out += row + std::to_string(i.measure) + "," + csvField(i.indicator) + "," +
             (i.value        ? number(*i.value)
              : i.suppressed ? "suppressed"
                             : "") +
             "," + (i.target ? number(*i.target) : "") + "," +
             (i.met ? (*i.met ? "true" : "false") : "") + "\r\n";
    }
    for (auto [name, value] : {std::pair{"reporting_expected", double(a.expected)},
                               std::pair{"reporting_reported", double(a.reported)},
                               std::pair{"reporting_on_time", double(a.onTime)},
                               std::pair{"cases_overdue", a.casesOverdue},
                               std::pair{"red_wage_warnings", a.redWarnings}}) {
      out += row + "," + name + "," + number(value) + ",,\r\n";
    }
  }
  return out;
}

void scorecard(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  auto card = scorecardOf(b, periodParams(req, b.catalogue), suppressedBelow(b, key));
  if (req.get_header_value("Accept").find("text/csv") != std::string::npos) {
    res.status = 200;
    res.set_header("Content-Disposition",
                   "attachment; filename=\"scorecard-" +
                       (card.period.empty() ? std::to_string(card.year) : card.period) + ".csv\"");
    res.set_content(asCsv(card), "text/csv; charset=utf-8");
    return;
  }
  sendJson(req, res, asJson(card));
}

}  // namespace

void addScorecardRoutes(Router& router, Backends& b) {
  router.get("/v1/scorecard", R"(/v1/scorecard)", progressReaders(),
             [&b](auto& req, auto& res, auto& key) { scorecard(b, req, res, key); });
}

}  // namespace mwp::gateway
