#include "indicator_counts.h"

#include "ids.h"

namespace mwp {

namespace indicator_keys {
std::string counts(int year) {
  return "ind:" + std::to_string(year);
}
std::string medians(int year) {
  return "med:" + std::to_string(year);
}
std::string field(int measure, std::string_view indicator, std::string_view area) {
  return std::to_string(measure) + "|" + std::string(indicator) + "|" + std::string(area);
}
}  // namespace indicator_keys

namespace {
void noteYear(StateTx& state, int year) {
  state.index(indicator_keys::kYears, std::to_string(year), year);
}
}  // namespace

void countIndicator(StateTx& state, Indicator indicator, std::string_view area, int year,
                    int64_t delta) {
  state.add(indicator_keys::counts(year),
            indicator_keys::field(indicator.measure, indicator.name, area), delta);
  noteYear(state, year);
}

void countForMedian(StateTx& state, Indicator indicator, std::string_view area, int year,
                    int64_t value) {
  state.add(
      indicator_keys::medians(year),
      indicator_keys::field(indicator.measure, indicator.name, area) + "|" + std::to_string(value),
      1);
  noteYear(state, year);
}

int yearOf(std::string_view date) {
  return std::stoi(std::string(date.substr(0, 4)));
}

int yearOfDay(int32_t day) {
  return yearOf(formatDate(day));
}

}  // namespace mwp
