// The rules of the outreach service: the measures no other service owns (12, 13, 17–19, 23–30),
// reported as activities. Each activityReported counts toward its measure's `activities`, its own
// activity's indicator, participants and funds, per area and year. The checklists of measures 29
// and 30 — a service organisation and a budget line in every county and park — hold once done.
//
// State keys: checklist:<measure>:<area> (the date it was first done).
#pragma once

#include "catalogue.h"
#include "indicator_counts.h"
#include "rules.h"

namespace mwp::outreach {

class OutreachRules : public EventRules {
 public:
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override;
};

// The indicator of an activity: its name in snake_case (condolenceVisitOutside →
// condolence_visit_outside), as the catalogue lists it.
std::string activityIndicator(const std::string& activity);

// Measures 29 and 30 for this year, per area: 1 once the organisation or budget line exists.
std::vector<IndicatorValue> checklists(const StateReader& state, const Catalogue& catalogue,
                                      int64_t nowSeconds);

}  // namespace mwp::outreach
