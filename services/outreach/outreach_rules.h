// The rules of the outreach service: the measures no other service owns — measure 12, measure 13,
// measure 17, measure 18, measure 19, measure 23, measure 24, measure 25, measure 26, measure 27,
// measure 28, measure 29 and measure 30 — reported as activities, all decided in
// outreach_rules.cpp. Each activityReported counts toward its measure's `activities`, its own
// activity's indicator, participants and funds, per area and year. The per-area checklists
// ("each county and park has …") are declared in the catalogue and applied here alike.
//
// Measure 23's returnees and their family visits (workerReturned, familyVisited) are people, not
// activities: measure_23_returnee_visits.cpp. An activity that names an activityId counts once.
//
// State keys: checklist:<measure>:<area> (the date a once-done checklist was first done),
// activity:<activityId> (seenBefore), and those of measure_23_returnee_visits.cpp.
#pragma once

#include <optional>

#include "catalogue.h"
#include "indicator_counts.h"
#include "stateless_rules.h"

namespace mwp::outreach {

// A verdict on one event (outreach_rules.cpp); nullopt for another service's kind. A
// field that holds no date throws FieldRefused: StatelessRules refuses the event, naming it.
std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t nowSeconds);
using OutreachRules = StatelessRules<applyEvent>;

// measure_23_returnee_visits.cpp: the verdict on a workerReturned or familyVisited; nullopt for
// any other kind.
std::optional<Applied> applyReturneeEvent(msg::Envelope::Reader event, StateTx& state);
// The hash of a year's returnees and visited returnees per village: "<village>|returnees",
// "<village>|visited".
std::string villageCoverageKey(int year);

// The indicator an activity of a measure counts toward (condolenceVisitOutside of measure 23 →
// measure23::kCondolenceVisitOutside), or nullopt for an activity the measure does not list.
std::optional<Indicator> activityIndicator(int measure, std::string_view activity);

// The once-done checklists (measures 29 and 30) for this year, per area: 1 from the day each
// county or park has its service organisation or budget line. (Measure 23's checklist holds for
// the year: it is the year's count of visits, counted as they are reported.)
std::vector<IndicatorValue> checklists(const StateReader& state, const Catalogue& catalogue,
                                       int64_t nowSeconds);

}  // namespace mwp::outreach
