// The rules of the rights service (measures 20–22): each wage claim, labour dispute and legal-aid
// request is a state machine with legal deadlines. Events out of order are refused with the
// reason. A deadline that passes with its stage open makes one caseOverdue, from a timer, so it is
// judged against the service's clock even when nothing else happens — and for cases that arrive
// years late with old dates.
//
// State keys: case:<type>:<caseNo> (a RightsCase), worker:<id> (the worker's cases), indexes
// open:<area> and overdue:<area> (and :all) for listings. Measure 20's wage payment at the source
// (projects, accounts, attendance, payments, warnings) keeps its own: wage_payment.h.
#pragma once

#include "deadlines.h"
#include "rules.h"
#include "wage_payment.h"
#include "working_days.h"

namespace mwp::rights {

class RightsRules : public EventRules {
 public:
  RightsRules(DeadlinePolicy policy, WorkingCalendar calendar, WagePaymentPolicy wages = {})
      : policy_(policy), calendar_(std::move(calendar)), wages_(std::move(wages)) {}

  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override;
  Applied onTimer(const std::string& member, StateTx& state, int64_t nowSeconds) override;
  void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const override;

  // The working-day calendar the deadlines are counted in, for its observer (calendar_metrics.h).
  WorkingCalendar& calendar() { return calendar_; }

 private:
  DeadlinePolicy policy_;
  WorkingCalendar calendar_;
  WagePaymentPolicy wages_;
};

// The index of open or overdue cases of an area ("all": the city).
std::string caseIndex(const std::string& status, const std::string& area);

}  // namespace mwp::rights
