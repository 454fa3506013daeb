// The holiday calendar's metrics and log line: which years the rights service has
// (mwp_rights_calendar_last_year, for the MwpHolidayCalendarMissing alert of each December) and
// each working-day deadline counted through a year it lacks
// (mwp_rights_calendar_missing_total{year}, and one log line a year naming it).
#pragma once

#include <mutex>
#include <set>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "log.h"
#include "working_days.h"

namespace mwp::rights {

// Thread-safe. Makes `calendar` report to it; must outlive the calendar's use.
class CalendarProbe {
 public:
  explicit CalendarProbe(WorkingCalendar& calendar);

  // Creates the metrics; until then, deadlines of missing years are only logged.
  void registerIn(prometheus::Registry& registry);

 private:
  void missingYear(int year);

  int lastYear_ = 0;
  Logger log_{"rights"};
  std::mutex mutex_;
  std::set<int> logged_;
  prometheus::Family<prometheus::Counter>* missing_ = nullptr;
};

}  // namespace mwp::rights
