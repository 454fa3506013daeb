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
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "indicator_counts.h"
#include "redis.h"

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

  // read() filtered as an indicator query asks (0 or "": any), with each indicator's target.
  std::vector<IndicatorAnswer> query(Redis& redis, int64_t nowSeconds, int year,
                                     const std::string& area, int measure) const;

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
