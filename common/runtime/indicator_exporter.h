// The measure indicators a service exports: the counts its rules keep (common/core/
// indicator_counts.h) read from Redis, with city-wide totals (area "all"), ratios from the
// catalogue, targets and computed indicators, into the mwp_measure_value / mwp_measure_target
// gauges and the answers to indicator queries.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "indicator_counts.h"
#include "periods.h"
#include "redis.h"
#include "reporting.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Gauge;
}  // namespace prometheus

namespace mwp {

// An indicator as an indicator query answers it: what is counted now, and the policy's target in
// that area where it sets one. Its own type, not an IndicatorValue: it is also what the gateway
// reads off the query socket, names as they came over the wire.
struct IndicatorAnswer {
  int measure = 0;
  std::string indicator;
  std::string area;  // a reporting area, or "all"
  int year = 0;
  double value = 0;
  std::optional<double> target;
};

// Notes the years of counts written before mwp kept them beside the counts (one SCAN of the
// keyspace): run once when a service starts, so its older counts keep being read.
void recordIndicatorYears(Redis& redis, const std::string& service);

struct ExportOptions {
  int onTimeDays = 10;  // a quarter's report is on time up to that many days after its end
  // The years exported to Prometheus, this one and those before it: with every indicator counted
  // in 14 areas over 8 years, two years give 9,122 series, eight 33,471 (README "Periods",
  // tests/integration/series_test.cpp). Queries answer every year.
  int exportedYears = 2;
};

class IndicatorExporter {
 public:
  // `service` names the state keys to read; `owned` the catalogue's service whose measures count.
  IndicatorExporter(std::string service, msg::Service owned, const Catalogue& catalogue,
                    prometheus::Registry& registry, ComputedIndicators computed = nullptr,
                    ExportOptions options = {});
  ~IndicatorExporter();

  // Every indicator of the service's measures, from Redis: counted values, city-wide totals and
  // ratios. Indicators with nothing counted yet are 0 city-wide for the years given.
  std::vector<IndicatorValue> read(Redis& redis, int64_t nowSeconds) const;

  // The counted indicators of a quarter or a 春运 window (periods.h), with city-wide totals and
  // ratios. Medians and computed indicators are kept by the year only: absent here.
  std::vector<IndicatorValue> readPeriod(Redis& redis, const Period& period) const;

  // read() into the gauges, and the reporting of the measures (mwp_measure_reporting,
  // mwp_measure_area_silent). Thread-safe against itself.
  void refresh(Redis& redis, int64_t nowSeconds);

  // read() (or readPeriod() for a `period` other than "") filtered as an indicator query asks
  // (0 or "": any), with each indicator's target there and then.
  std::vector<IndicatorAnswer> query(Redis& redis, int64_t nowSeconds, int year,
                                     const std::string& area, int measure,
                                     const std::string& period = "") const;

  // Each area owing each measure of the service, for the quarters of `year` begun by now (only
  // `quarter`, "YYYY-Qn", when given).
  std::vector<AreaReporting> reporting(Redis& redis, int64_t nowSeconds, int year,
                                       const std::string& quarter = "") const;

 private:
  using Counted = std::map<std::tuple<int, int, std::string, std::string>, double>;
  // The catalogue's indicators for `years` out of counters by (year, measure, name, area).
  std::vector<IndicatorValue> valuesOf(Counted& counted, const std::set<int>& years) const;
  // The catalogue's target for an indicator in an area ("all": city-wide) over a period.
  std::optional<double> targetOf(int measure, const std::string& indicator, const std::string& area,
                                 Period::Kind period = Period::Kind::kYear) const;
  void refreshReporting(Redis& redis, int64_t nowSeconds, const std::set<int>& years);
  // The gauge of `family` with `labels` for `year`, noted so that the year's series can be
  // removed once it leaves the exported years. Called with mutex_ held.
  prometheus::Gauge& yearGauge(prometheus::Family<prometheus::Gauge>& family,
                               const std::map<std::string, std::string>& labels, int year);
  // Removes the series of the years before `firstExported`: a process running over New Year's
  // Day would otherwise keep them until it restarts, a year more than the bound counts.
  void removeYearsBefore(int firstExported);

  std::string service_;
  msg::Service owned_;
  const Catalogue& catalogue_;
  ComputedIndicators computed_;
  prometheus::Family<prometheus::Gauge>& values_;
  prometheus::Family<prometheus::Gauge>& targets_;
  prometheus::Family<prometheus::Gauge>& info_;
  prometheus::Family<prometheus::Gauge>& reporting_;
  prometheus::Family<prometheus::Gauge>& silent_;
  ExportOptions options_;
  std::mutex mutex_;
  std::map<int, std::set<std::pair<prometheus::Family<prometheus::Gauge>*, prometheus::Gauge*>>>
      gaugesOfYear_;  // guarded by mutex_
};

}  // namespace mwp
