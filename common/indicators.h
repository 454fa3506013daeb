// The measure indicators a service counts and exports: per measure, indicator, area and year,
// with city-wide totals (area "all"), ratios from the catalogue, and targets. Rules count with
// countIndicator() inside their transaction; an IndicatorExporter reads the counters from Redis
// into the mwp_measure_value / mwp_measure_target gauges and answers indicator queries.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "redis.h"
#include "service_loop.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Gauge;
}  // namespace prometheus

namespace mwp {

// Adds `delta` to an indicator (or to a hidden counter a ratio is made of). `area` is the
// reporting county or park; `year` the calendar year of the business date.
void countIndicator(StateTx& state, int measure, std::string_view indicator, std::string_view area,
                    int year, int64_t delta = 1);

// Adds one observation (days to close a case, days to decide a placement) to an indicator that is
// the median of its observations: the exporter works the median out per area and city-wide.
void countForMedian(StateTx& state, int measure, std::string_view indicator, std::string_view area,
                    int year, int64_t value);

// The calendar year of a YYYY-MM-DD date (which the bus has already checked).
int yearOf(std::string_view date);

struct IndicatorValue {
  int measure = 0;
  std::string indicator;
  std::string area;  // a reporting area, or "all"
  int year = 0;
  double value = 0;
};

// Values a service works out when asked rather than counts as events arrive (the registry's
// stale records, which depend on today's date). Called with the service's Redis and the time.
using ComputedIndicators = std::function<std::vector<IndicatorValue>(Redis&, int64_t nowSeconds)>;

// Notes the years of counts written before mwp kept them beside the counts (one SCAN of the
// keyspace): run once when a service starts, so its older counts keep being read.
void recordIndicatorYears(Redis& redis, const std::string& service);

class IndicatorExporter {
 public:
  // `service` names the state keys to read; `owned` the catalogue's service whose measures count.
  IndicatorExporter(std::string service, msg::Service owned, const Catalogue& catalogue,
                    prometheus::Registry& registry, ComputedIndicators computed = nullptr);
  ~IndicatorExporter();

  // Every indicator of the service's measures, from Redis: counted values, city-wide totals and
  // ratios. Indicators with nothing counted yet are 0 city-wide for the years given.
  std::vector<IndicatorValue> read(Redis& redis, int64_t nowSeconds) const;

  // read() into the gauges. Thread-safe against itself.
  void refresh(Redis& redis, int64_t nowSeconds);

  // read() filtered as an indicator query asks, as a JSON array with each indicator's target.
  std::string queryJson(Redis& redis, int64_t nowSeconds, int year, const std::string& area,
                        int measure) const;

 private:
  // The catalogue's target for an indicator in an area ("all": city-wide).
  std::optional<double> targetOf(int measure, const std::string& indicator,
                                 const std::string& area) const;

  std::string service_;
  msg::Service owned_;
  const Catalogue& catalogue_;
  ComputedIndicators computed_;
  prometheus::Family<prometheus::Gauge>& values_;
  prometheus::Family<prometheus::Gauge>& targets_;
  prometheus::Family<prometheus::Gauge>& info_;
  std::mutex mutex_;
};

}  // namespace mwp
