// The rules of the education service (measure 14, 提供平等义务教育): placement requests for
// migrant workers' accompanying children and their decisions. The child's age on 1 September of
// the school year must fit the stage; a request undecided 30 days on is counted as such.
//
// The state is a function of the events alone, so that a replay of the log rebuilds it exactly:
// whether a request has waited too long depends on today's date, so it is worked out when the
// indicators are read (undecidedTooLong), from an index of the requests still waiting.
//
// State keys: worker:<parent> (an EducationRecord), request:<childId> (the parent of an open
// request), undecided:<area> (open requests by the day they were made).
#pragma once

#include "catalogue.h"
#include "indicator_counts.h"
#include "rules.h"

namespace mwp::education {

// Ages (completed years on 1 September) each stage takes. 义务教育法: school from 6; primary
// six years, junior secondary three — with the slack real classes have.
struct StagePolicy {
  int primaryMinAge = 6, primaryMaxAge = 12;
  int juniorMinAge = 12, juniorMaxAge = 15;
  int decisionDays = 30;  // a request undecided after this many days is overdue
};

// 1 September of the school year a request made on `day` is for: requests from March on are for
// the year starting that September; January and February requests join the year already running.
int32_t schoolYearStart(int32_t day);

// Completed years of age on `day` of someone born on `birthDay`.
int ageOn(int32_t birthDay, int32_t day);

class EducationRules : public EventRules {
 public:
  explicit EducationRules(StagePolicy policy = {}) : policy_(policy) {}
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override;

 private:
  Applied placementRequested(msg::Envelope::Reader event, StateTx& state) const;
  Applied placementDecided(msg::Envelope::Reader event, StateTx& state) const;

  StagePolicy policy_;
};

// The open requests of each area made more than `decisionDays` days before today, by the year they
// were made: the undecided_over_30_days indicator.
std::vector<IndicatorValue> undecidedTooLong(const StateReader& state, const Catalogue& catalogue,
                                             int64_t nowSeconds, int decisionDays);

}  // namespace mwp::education
