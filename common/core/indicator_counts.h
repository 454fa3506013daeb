// How rules count the measures' indicators: per measure, indicator, area and year, inside the
// transaction that applies an event. The exporter (common/runtime/indicator_exporter.h) reads the
// counts back, adds the city-wide totals and ratios, and exports them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "catalogue_handles.h"
#include "mwp/catalogue_names.h"
#include "state.h"

namespace mwp {

// Indicators are named by the handles generated from the catalogue (mwp/catalogue_names.h,
// e.g. measure4::kTrained), so a misspelt one fails to compile rather than never being exported.

// Adds `delta` to an indicator (or to a hidden counter a ratio is made of). `area` is the
// reporting county or park; `year` the calendar year of the business date.
void countIndicator(StateTx& state, Indicator indicator, std::string_view area, int year,
                    int64_t delta = 1);

// Adds one observation (days to close a case, days to decide a placement) to an indicator that is
// the median of its observations: the exporter works the median out per area and city-wide.
void countForMedian(StateTx& state, Indicator indicator, std::string_view area, int year,
                    int64_t value);

// The calendar year of a YYYY-MM-DD date (which the bus has already checked).
int yearOf(std::string_view date);
// The calendar year of a day since 1970-01-01.
int yearOfDay(int32_t day);

struct IndicatorValue {
  // What a computed indicator reports.
  IndicatorValue(Indicator handle, std::string area, int year, double value)
      : IndicatorValue(handle.measure, std::string(handle.name), std::move(area), year, value) {}
  // What the exporter reads back: `indicator` is a name the catalogue lists, taken from it.
  IndicatorValue(int measure, std::string indicator, std::string area, int year, double value)
      : measure(measure),
        indicator(std::move(indicator)),
        area(std::move(area)),
        year(year),
        value(value) {}
  // A free string literal is what the handles are for: it does not compile.
  IndicatorValue(int, const char*, std::string, int, double) = delete;

  int measure = 0;
  std::string indicator;
  std::string area;  // a reporting area, or "all"
  int year = 0;
  double value = 0;
};

// Values a service works out when asked rather than counts as events arrive (the registry's
// stale records, which depend on today's date): a function of the committed state, the catalogue
// and the time, so it is unit-tested over a MemoryState like the rules.
using ComputedIndicators = std::function<std::vector<IndicatorValue>(
    const StateReader&, const Catalogue&, int64_t nowSeconds)>;

// Where the counts are kept in a service's state, for the exporter that reads them.
namespace indicator_keys {
// The hash of a year's counters, and of its medians' observations.
std::string counts(int year);
std::string medians(int year);
// The sorted set of the years that have counts: reading the indicators is then a few HGETALLs.
inline constexpr const char* kYears = "indicator-years";
// A counter's field: "<measure>|<indicator>|<area>" (a median's adds "|<value>").
std::string field(int measure, std::string_view indicator, std::string_view area);
}  // namespace indicator_keys

}  // namespace mwp
