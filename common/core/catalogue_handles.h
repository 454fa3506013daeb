// The types of the handles generated from catalogue.json into mwp/catalogue_names.h. A rule names
// an indicator as `measure4::kTrained`, never as a free string: the exporter exports only what the
// catalogue lists, so a misspelt name would be counted and silently never exported — with a
// handle it does not compile. Everything here is a compile-time constant.
#pragma once

#include <span>
#include <string_view>

namespace mwp {

// An indicator of a measure, or a counter a ratio of the measure is made of. Made only by the
// generated header; `name` is its `indicator` label and points into static storage.
struct Indicator {
  int measure;
  std::string_view name;
  friend constexpr bool operator==(const Indicator&, const Indicator&) = default;
};

// A measure reported as activities (activityReported): every activity counts toward the
// measure's activities, participants and funds, and toward its own indicator.
struct ActivityCounter {
  std::string_view activity;
  Indicator indicator;
};
struct ActivityMeasure {
  int measure;
  Indicator activities, participants, fundsYuan;
  std::span<const ActivityCounter> byActivity;
};

// A promise that each county and park has something (措施二十三, 二十九, 三十), as the catalogue
// declares it: the indicator, the activity that ticks it, and how long a tick holds.
enum class ChecklistHolds {
  kForTheYear,  // the year's count of the activity, which is its own indicator
  kOnceDone,    // 1 from the day it is first done, in every year after
};
struct Checklist {
  Indicator indicator;
  std::string_view tickedBy;
  ChecklistHolds holds;
};

}  // namespace mwp
