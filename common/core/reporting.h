// Each county and park accountable for its share (措施二十九: 层层分解任务, the annual assessment):
// whether an area has reported a measure for a quarter, and whether in time, as DHIS2 counts
// reporting completeness and timeliness per organisation unit and period.
//
// An area has reported a measure for a quarter when it sent a periodReported for it
// (`nothingToReport`: nothing done, but reported) or any event that counts toward the measure
// dated in the quarter (its business date: the payload's first `…On` date). It has reported on
// time when the first of these was sent (the envelope's occurredAt, China time) by the
// `onTimeDays`th day after the quarter's end.
//
// periodReported is applied by the service that owns the measure: only there do the explicit
// reports and the measure's own events meet, so each service keeps and exports the completeness
// of its own measures beside their indicators, with no join across services. The rules are the
// same for every service, so they are one decorator of the service's own rules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalogue.h"
#include "periods.h"
#include "rules.h"

namespace mwp {

// Reporting rules around a service's own: applies periodReported for the measures the service
// owns, records each applied event of those measures as a report of its quarter, and counts the
// indicators the event counts for its year also for its quarter and 春运 window (periods.h).
std::unique_ptr<EventRules> withReporting(std::unique_ptr<EventRules> rules, msg::Service owns,
                                          const Catalogue& catalogue);

// The day an event is about: the payload's first date field named `…On` (heldOn, filedOn …),
// else its first date field, else the day of occurredAt in China.
int32_t businessDayOf(msg::Envelope::Reader event);

// The areas that owe reports of measure `m` (the catalogue's `reportedBy`, else all 14).
std::vector<std::string> areasOwing(msg::Measure::Reader m, const Catalogue& catalogue);

struct AreaReporting {
  int measure = 0;
  Period quarter;
  std::string area;
  bool reported = false;
  bool onTime = false;
  bool nothingToReport = false;  // reported only by a periodReported with nothingToReport
};

// Every area owing each measure the service owns, for each quarter of `year` that has begun by
// `nowSeconds`.
std::vector<AreaReporting> reportingOf(const StateReader& state, const Catalogue& catalogue,
                                       msg::Service owns, int year, int onTimeDays,
                                       int64_t nowSeconds);

// Where the counts of a period are kept: a hash like indicator_keys::counts(year).
namespace indicator_keys {
std::string periodCounts(const std::string& period);
}

}  // namespace mwp
