// Measure 20 (保障工资支付): wage claims — accepted within 5 working days, resolved within 60 of
// acceptance, extendable once by at most 30 (劳动保障监察条例 art. 17, 若干规定 art. 18) — the
// wages claimed and recovered, and new arrears on government-invested projects (target: none):
// founded claims here, red warnings in measure_20_wage_warnings.cpp (wage payment at the source).
#include "rights_case.h"

namespace mwp::rights {

Applied wageClaimFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                       const WorkingCalendar& calendar) {
  auto e = event.getWageClaimFiled();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (c.exists()) return refuse(c.name() + " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn(), "filedOn");
  auto r = c.get();
  r.setClaimedYuan(e.getAmountYuan());
  r.setGovernmentInvested(e.getGovernmentInvested());
  r.setDetail(e.getProject());
  c.due(Stage::WAGE_CLAIM_ACCEPTANCE,
        calendar.addWorkingDays(dayOf(e.getFiledOn(), "filedOn"), policy.wageAcceptWorkingDays));
  c.count(measure20::kClaimsFiled);
  c.count(measure20::kYuanClaimed, e.getAmountYuan());
  c.save();
  return {};
}

Applied wageClaimAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getWageClaimAccepted();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED)
    return refuse(c.name() + " is already accepted");
  int32_t accepted = dayOf(e.getAcceptedOn(), "acceptedOn");
  if (accepted < dayOf(c.get().getFiledOn(), "filedOn")) {
    return refuse(c.name() + ": accepted before it was filed");
  }
  c.finish(Stage::WAGE_CLAIM_ACCEPTANCE, e.getAcceptedOn(), "acceptedOn");
  c.get().setStatus(msg::CaseStatus::ACCEPTED);
  c.get().setAcceptedOn(e.getAcceptedOn());
  c.due(Stage::WAGE_CLAIM_RESOLUTION,
        calendar.addWorkingDays(accepted, policy.wageResolveWorkingDays));
  c.save();
  return {};
}

Applied wageClaimExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getWageClaimExtended();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::ACCEPTED) {
    return refuse(c.name() + " can be extended only between acceptance and resolution");
  }
  if (c.get().getExtendedDays() > 0) return refuse(c.name() + " is already extended once");
  if (static_cast<int>(e.getDays()) > policy.wageMaxExtensionWorkingDays) {
    return refuse("an extension of at most " + std::to_string(policy.wageMaxExtensionWorkingDays) +
                  " working days");
  }
  c.get().setExtendedDays(e.getDays());
  c.due(Stage::WAGE_CLAIM_RESOLUTION,
        calendar.addWorkingDays(dayOf(c.get().getAcceptedOn(), "acceptedOn"),
                                policy.wageResolveWorkingDays + static_cast<int>(e.getDays())));
  c.save();
  return {};
}

Applied wageClaimResolved(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getWageClaimResolved();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() == msg::CaseStatus::FILED)
    return refuse(c.name() + " is not accepted yet");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuse(c.name() + " is already resolved");
  c.get().setRecoveredYuan(e.getRecoveredYuan());
  c.close(e.getResolvedOn(), "resolvedOn", enumName(e.getOutcome()));
  c.count(measure20::kClaimsResolved);
  // 措施二十: 杜绝政府投资工程项目发生新的欠薪 (target 0) — a claim on a government-invested
  // project found founded (paid or partly paid) is a new arrear; one found unfounded is not.
  // (So is a red wage warning on such a project: measure_20_wage_warnings.cpp.)
  auto outcome = e.getOutcome();
  if (c.get().getGovernmentInvested() &&
      (outcome == msg::WageClaimOutcome::PAID || outcome == msg::WageClaimOutcome::PARTLY_PAID)) {
    c.count(measure20::kGovernmentProjectArrears);
  }
  c.count(measure20::kYuanRecovered, e.getRecoveredYuan());
  c.countDaysToEnd(measure20::kMedianDaysToResolve, e.getResolvedOn(), "resolvedOn");
  c.save();
  return {};
}

}  // namespace mwp::rights
