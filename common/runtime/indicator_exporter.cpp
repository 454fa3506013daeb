#include "indicator_exporter.h"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <set>
#include <sstream>

#include "ids.h"
#include "log.h"
#include "mwp/rule_names.h"
#include "redis_state_reader.h"
#include "state_keys.h"

namespace mwp {
namespace {

// The rule's statement in English, as the register declares it: a metric's help says what it
// counts in the register's words.
std::string statementOf(RuleId rule) {
  return latestVersion(rule)->en;
}

int currentYear(int64_t nowSeconds) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_seconds{seconds{nowSeconds}})};
  return static_cast<int>(ymd.year());
}

// "<measure>|<indicator>|<area>[|<rest>]"
std::tuple<int, std::string, std::string, std::string> splitField(const std::string& field) {
  std::stringstream parts(field);
  std::string measure, name, area, rest;
  std::getline(parts, measure, '|');
  std::getline(parts, name, '|');
  std::getline(parts, area, '|');
  std::getline(parts, rest);
  return {std::stoi(measure), name, area, rest};
}

// Calls `each(year, field, value)` for every field of the hash `hashOfYear(year)` of every year
// of the service that has counts.
void readHashes(Redis& redis, const std::string& service,
                const std::function<std::string(int)>& hashOfYear,
                const std::function<void(int, const std::string&, double)>& each) {
  auto years = redis.command({"ZRANGE", serviceKey(service, indicator_keys::kYears), "0", "-1"});
  if (years.type != RedisReply::Type::kArray) throw RedisUnavailable("ZRANGE failed: " + years.str);
  for (const auto& y : years.elements) {
    int year = std::stoi(y.str);
    auto fields = redis.command({"HGETALL", serviceKey(service, hashOfYear(year))});
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      each(year, fields.elements[i].str, std::stod(fields.elements[i + 1].str));
    }
  }
}

bool hasAreaTarget(msg::Indicator::Reader indicator) {
  return indicator.hasAreaTarget() && indicator.getAreaTarget().getAtLeast() > 0;
}

}  // namespace

void recordIndicatorYears(Redis& redis, const std::string& service) {
  for (const char* prefix : {"ind:", "med:"}) {
    std::string pattern = serviceKey(service, prefix);
    std::string cursor = "0";
    do {
      auto page = redis.command({"SCAN", cursor, "MATCH", pattern + "*", "COUNT", "1000"});
      if (page.elements.size() != 2) throw RedisUnavailable("SCAN failed: " + page.str);
      cursor = page.elements[0].str;
      for (const auto& key : page.elements[1].elements) {
        std::string year = key.str.substr(pattern.size());
        redis.command({"ZADD", serviceKey(service, indicator_keys::kYears), year, year});
      }
    } while (cursor != "0");
  }
}

IndicatorExporter::IndicatorExporter(std::string service, msg::Service owned,
                                     const Catalogue& catalogue, prometheus::Registry& registry,
                                     ComputedIndicators computed, ExportOptions options)
    : service_(std::move(service)),
      owned_(owned),
      catalogue_(catalogue),
      computed_(std::move(computed)),
      values_(prometheus::BuildGauge()
                  .Name("mwp_measure_value")
                  .Help("Each indicator of the 30 measures, per area (\"all\": city-wide) and year")
                  .Register(registry)),
      targets_(prometheus::BuildGauge()
                   .Name("mwp_measure_target")
                   .Help("The policy's target for an indicator, where it sets one")
                   .Register(registry)),
      info_(
          prometheus::BuildGauge()
              .Name("mwp_measure_info")
              .Help("Each measure's titles and lead department, for dashboards to show (always 1)")
              .Register(registry)),
      reporting_(prometheus::BuildGauge()
                     .Name("mwp_measure_reporting")
                     .Help("Reporting per quarter (status expected, reported, on_time): per "
                           "measure city-wide (area \"all\"), and per area over its measures "
                           "(measure \"all\"). Reported: " +
                           statementOf(rules::reporting::area::reported) +
                           ". On time: " + statementOf(rules::reporting::area::on_time))
                     .Register(registry)),
      silent_(prometheus::BuildGauge()
                  .Name("mwp_measure_area_silent")
                  .Help("1: " + statementOf(rules::reporting::area::silent))
                  .Register(registry)),
      options_(options) {
  // Staff read the measures by their Chinese titles: dashboards join these labels on `measure`.
  for (auto m : catalogue_.data().getMeasures()) {
    if (m.getService() != owned_) continue;
    std::string lead;
    for (auto d : m.getLead()) lead += (lead.empty() ? "" : "、") + catalogue_.departmentName(d);
    info_
        .Add({{"measure", std::to_string(m.getNumber())},
              {"title_zh", m.getTitleZh().cStr()},
              {"title_en", m.getTitleEn().cStr()},
              {"lead", lead}})
        .Set(1);
  }
}

IndicatorExporter::~IndicatorExporter() = default;

std::optional<double> IndicatorExporter::targetOf(int measure, const std::string& indicator,
                                                  const std::string& area,
                                                  Period::Kind period) const {
  for (auto i : catalogue_.measure(measure).getIndicators()) {
    if (indicator != i.getName().cStr()) continue;
    // An area's own target beside the city's (措施一: fairs in each county and park every
    // quarter): four quarters' worth for the year.
    if (area != "all" && hasAreaTarget(i)) {
      auto own = i.getAreaTarget();
      bool quarterly = own.getPer() == msg::AreaTarget::Per::QUARTER;
      if (period == Period::Kind::kYear) return own.getAtLeast() * (quarterly ? 4 : 1);
      if (period == Period::Kind::kQuarter && quarterly) return own.getAtLeast();
      return std::nullopt;
    }
    // The policy's targets are yearly: a quarter or the 春运 window has none of its own.
    if (period != Period::Kind::kYear) return std::nullopt;
    auto t = i.getTarget();
    std::optional<double> target;
    if (t.isAtLeast()) target = t.getAtLeast();
    if (t.isAtMost()) target = t.getAtMost();
    // A target for each county and park (措施二十三, 二十九, 三十) is, city-wide, that many times
    // it.
    if (target && i.getPerArea() && area == "all") {
      *target *= static_cast<double>(catalogue_.reportingAreas().size());
    }
    return target;
  }
  return std::nullopt;
}

std::vector<IndicatorValue> IndicatorExporter::read(Redis& redis, int64_t nowSeconds) const {
  // Every counter, by (year, measure, name, area).
  Counted counted;
  // Every median's observations: (year, measure, name, area) → value → how often.
  std::map<std::tuple<int, int, std::string, std::string>, std::map<int64_t, int64_t>> observed;
  std::set<int> years{currentYear(nowSeconds)};
  readHashes(redis, service_, indicator_keys::counts, [&](int year, const std::string& field, double v) {
               years.insert(year);
               auto [measure, name, area, rest] = splitField(field);
               counted[{year, measure, name, area}] += v;
               counted[{year, measure, name, "all"}] += v;
             });
  readHashes(redis, service_, indicator_keys::medians, [&](int year, const std::string& field, double n) {
               years.insert(year);
               auto [measure, name, area, value] = splitField(field);
               observed[{year, measure, name, area}][std::stoll(value)] += static_cast<int64_t>(n);
               observed[{year, measure, name, "all"}][std::stoll(value)] += static_cast<int64_t>(n);
             });
  for (const auto& [key, histogram] : observed) {
    int64_t total = 0, seen = 0;
    for (const auto& [value, n] : histogram) total += n;
    for (const auto& [value, n] : histogram) {
      seen += n;
      if (2 * seen >= total) {  // the lower median: half the observations are at most this
        counted[key] = static_cast<double>(value);
        break;
      }
    }
  }

  if (computed_) {
    for (auto& v : computed_(RedisStateReader(redis, service_), catalogue_, nowSeconds)) {
      counted[{v.year, v.measure, v.indicator, v.area}] += v.value;
      if (v.area != "all") counted[{v.year, v.measure, v.indicator, "all"}] += v.value;
    }
  }
  return valuesOf(counted, years);
}

std::vector<IndicatorValue> IndicatorExporter::readPeriod(Redis& redis,
                                                          const Period& period) const {
  Counted counted;
  auto fields =
      redis.command({"HGETALL", serviceKey(service_, indicator_keys::periodCounts(period.name()))});
  if (fields.type != RedisReply::Type::kArray)
    throw RedisUnavailable("HGETALL failed: " + fields.str);
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    auto [measure, name, area, rest] = splitField(fields.elements[i].str);
    double v = std::stod(fields.elements[i + 1].str);
    counted[{period.year, measure, name, area}] += v;
    counted[{period.year, measure, name, "all"}] += v;
  }
  return valuesOf(counted, {period.year});
}

std::vector<IndicatorValue> IndicatorExporter::valuesOf(Counted& counted,
                                                        const std::set<int>& years) const {
  std::vector<IndicatorValue> out;
  for (auto measure : catalogue_.data().getMeasures()) {
    if (measure.getService() != owned_) continue;
    int m = measure.getNumber();
    for (auto indicator : measure.getIndicators()) {
      std::string name = indicator.getName().cStr();
      for (int year : years) {
        // Every area that counted this indicator (or the counters of its ratio), and "all".
        std::set<std::string> areas{"all"};
        // A target per area needs a value per area, 0 where nothing happened, for the alert.
        if (indicator.getPerArea() || hasAreaTarget(indicator)) {
          for (const auto& a : catalogue_.reportingAreas()) areas.insert(a);
        }
        std::string numerator, denominator;
        if (indicator.hasRatio()) {
          numerator = indicator.getRatio().getNumerator().cStr();
          denominator = indicator.getRatio().getDenominator().cStr();
        }
        for (const auto& [key, v] : counted) {
          const auto& [y, cm, cname, carea] = key;
          if (y == year && cm == m && (cname == name || cname == denominator)) areas.insert(carea);
        }
        for (const auto& area : areas) {
          auto valueOf = [&](const std::string& n) {
            auto it = counted.find({year, m, n, area});
            return it == counted.end() ? 0.0 : it->second;
          };
          double value = valueOf(name);
          if (indicator.hasRatio()) {
            double d = valueOf(denominator);
            if (d == 0) continue;  // no ratio without a denominator: absent, not 0 or 1
            value = valueOf(numerator) / d;
          }
          out.push_back({m, name, area, year, value});
        }
      }
    }
  }
  return out;
}

void IndicatorExporter::refresh(Redis& redis, int64_t nowSeconds) {
  auto values = read(redis, nowSeconds);
  int firstExported = currentYear(nowSeconds) - options_.exportedYears + 1;
  std::lock_guard lock(mutex_);
  removeYearsBefore(firstExported);
  std::set<int> years;
  for (const auto& v : values) {
    if (v.year < firstExported) continue;
    yearGauge(values_,
              {{"measure", std::to_string(v.measure)},
               {"indicator", v.indicator},
               {"area", v.area},
               {"year", std::to_string(v.year)}},
              v.year)
        .Set(v.value);
    years.insert(v.year);
  }
  for (auto measure : catalogue_.data().getMeasures()) {
    if (measure.getService() != owned_) continue;
    for (auto indicator : measure.getIndicators()) {
      std::string name = indicator.getName().cStr();
      std::map<std::string, double> byArea;
      if (auto cityWide = targetOf(measure.getNumber(), name, "all")) byArea["all"] = *cityWide;
      if (indicator.getPerArea() || hasAreaTarget(indicator)) {
        for (const auto& area : catalogue_.reportingAreas()) {
          if (auto own = targetOf(measure.getNumber(), name, area)) byArea[area] = *own;
        }
      }
      for (int year : years) {
        for (const auto& [area, value] : byArea) {
          yearGauge(targets_,
                    {{"measure", std::to_string(measure.getNumber())},
                     {"indicator", indicator.getName().cStr()},
                     {"area", area},
                     {"year", std::to_string(year)}},
                    year)
              .Set(value);
        }
      }
    }
  }
  refreshReporting(redis, nowSeconds, years);
}

prometheus::Gauge& IndicatorExporter::yearGauge(prometheus::Family<prometheus::Gauge>& family,
                                                const std::map<std::string, std::string>& labels,
                                                int year) {
  auto& gauge = family.Add(labels);
  gaugesOfYear_[year].insert({&family, &gauge});
  return gauge;
}

void IndicatorExporter::removeYearsBefore(int firstExported) {
  while (!gaugesOfYear_.empty() && gaugesOfYear_.begin()->first < firstExported) {
    for (auto [family, gauge] : gaugesOfYear_.begin()->second) family->Remove(gauge);
    gaugesOfYear_.erase(gaugesOfYear_.begin());
  }
}

void IndicatorExporter::refreshReporting(Redis& redis, int64_t nowSeconds,
                                         const std::set<int>& years) {
  struct Tally {
    int expected = 0, reported = 0, onTime = 0;
  };
  // (measure or "all", area or "all", year, quarter) → tally
  std::map<std::tuple<std::string, std::string, int, int>, Tally> tallies;
  for (int year : years) {
    for (const auto& r : reporting(redis, nowSeconds, year)) {
      for (auto key :
           {std::tuple{std::to_string(r.measure), std::string("all"), year, r.quarter.quarter},
            std::tuple{std::string("all"), r.area, year, r.quarter.quarter}}) {
        auto& t = tallies[key];
        t.expected += 1;
        t.reported += r.reported;
        t.onTime += r.onTime;
      }
    }
  }
  for (const auto& [key, t] : tallies) {
    const auto& [measure, area, year, quarter] = key;
    for (auto [status, value] :
         {std::pair{"expected", t.expected}, std::pair{"reported", t.reported},
          std::pair{"on_time", t.onTime}}) {
      yearGauge(reporting_,
                {{"measure", measure},
                 {"area", area},
                 {"year", std::to_string(year)},
                 {"quarter", std::to_string(quarter)},
                 {"status", status}},
                year)
          .Set(value);
    }
  }
  // The last quarter whose reporting time is over: an area silent in it is behind on its reports.
  int32_t today = chinaDayOf(nowSeconds);
  Period last = quarterOf(today - options_.onTimeDays - 1);
  if (last.lastDay + options_.onTimeDays >= today) last = quarterOf(last.firstDay - 1);
  for (const auto& r : reporting(redis, nowSeconds, last.year, last.name())) {
    silent_.Add({{"measure", std::to_string(r.measure)}, {"area", r.area}}).Set(r.reported ? 0 : 1);
  }
}

std::vector<IndicatorAnswer> IndicatorExporter::query(Redis& redis, int64_t nowSeconds, int year,
                                                      const std::string& area, int measure,
                                                      const std::string& period) const {
  auto shorter = period.empty() ? std::nullopt : parsePeriod(period, catalogue_);
  auto values = shorter ? readPeriod(redis, *shorter) : read(redis, nowSeconds);
  auto kind = shorter ? shorter->kind : Period::Kind::kYear;
  std::vector<IndicatorAnswer> answers;
  for (auto& v : values) {
    if ((year && v.year != year) || (!area.empty() && v.area != area) ||
        (measure && v.measure != measure)) {
      continue;
    }
    auto target = targetOf(v.measure, v.indicator, v.area, kind);
    answers.push_back({v.measure, std::move(v.indicator), std::move(v.area), v.year, v.value, target});
  }
  return answers;
}

std::vector<AreaReporting> IndicatorExporter::reporting(Redis& redis, int64_t nowSeconds, int year,
                                                        const std::string& quarter) const {
  auto all = reportingOf(RedisStateReader(redis, service_), catalogue_, owned_, year,
                         options_.onTimeDays, nowSeconds);
  if (quarter.empty()) return all;
  std::vector<AreaReporting> out;
  for (auto& r : all) {
    if (r.quarter.name() == quarter) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mwp
