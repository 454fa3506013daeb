#include "calendar_metrics.h"

#include <string>

#include "mwp/rule_names.h"

namespace mwp::rights {

CalendarProbe::CalendarProbe(WorkingCalendar& calendar)
    : lastYear_(calendar.years().empty() ? 0 : *calendar.years().rbegin()) {
  calendar.onMissingYear([this](int year) { missingYear(year); });
}

void CalendarProbe::registerIn(prometheus::Registry& registry) {
  std::lock_guard lock(mutex_);
  prometheus::BuildGauge()
      .Name("mwp_rights_calendar_last_year")
      .Help("The last year whose holiday notice (国务院办公厅…部分节假日安排的通知) the rights "
            "service's holiday list has; 0 for none")
      .Register(registry)
      .Add({})
      .Set(lastYear_);
  missing_ = &prometheus::BuildCounter()
                  .Name("mwp_rights_calendar_missing_total")
                  .Help("Working-day deadlines counted through a year the holiday list lacks: "
                        "set by weekends alone and flagged calendarMissing")
                  .Register(registry);
}

void CalendarProbe::missingYear(int year) {
  std::lock_guard lock(mutex_);
  if (missing_) missing_->Add({{"year", std::to_string(year)}}).Increment();
  // One line a year: the fix is the same for every deadline (add the year's notice), and the
  // deadlines themselves are listed by their calendarMissing flag.
  if (logged_.insert(year).second) {
    log_.warn("a deadline is counted through a year without its holiday calendar: weekends alone, "
              "flagged calendarMissing; add the year's notice to the holiday list",
              {{"year", std::to_string(year)}, {"rule", rules::rights::working_days::calendar.id}});
  }
}

}  // namespace mwp::rights
