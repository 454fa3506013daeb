// Measure 20 (保障工资支付): wage claims — accepted or refused (不予受理) within 5 working days,
// resolved within 60 of acceptance, extendable once by at most 30 (劳动保障监察条例 art. 17,
// 若干规定 art. 18), never accepted past the 2-year limit of 监察条例 art. 20 — the wages claimed
// and recovered, and new arrears on government-invested projects (target: none): founded claims
// here, red warnings in measure_20_wage_warnings.cpp (wage payment at the source).
#include "ids.h"
#include "rights_case.h"

namespace mwp::rights {
namespace {

// 劳动保障监察条例 art. 20: a violation neither found nor complained of within 2 years (counted
// from its end) is no longer investigated. The refusal of an acceptance past it; nullopt within.
std::optional<Applied> pastTheLimit(Case& c, const DeadlinePolicy& policy) {
  if (c.get().getOwedUntil().size() == 0) return std::nullopt;
  std::string owed = c.get().getOwedUntil().cStr(), filed = c.get().getFiledOn().cStr();
  int32_t limit =
      addMonths(dayOf(c.get().getOwedUntil(), "owedUntil"), 12 * policy.wageClaimLimitYears);
  if (dayOf(c.get().getFiledOn(), "filedOn") <= limit) return std::nullopt;
  std::string years = std::to_string(policy.wageClaimLimitYears);
  return refuse(rules::rights::wage_claim::limit_2_years,
                "工资拖欠截至 " + owed + "，至 " + filed + " 投诉已超过" + years +
                    "年，不再查处，应作不予受理（劳动保障监察条例第二十条）",
                "wages owed until " + owed + ", more than " + years +
                    " years before the complaint of " + filed +
                    ": no longer investigated; record a refusal (wageClaimRejected) instead "
                    "(劳动保障监察条例 art. 20)");
}

}  // namespace

Applied wageClaimFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                       const WorkingCalendar& calendar) {
  auto e = event.getWageClaimFiled();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (c.exists()) return refuseCase(rules::record::once, c, " 已登记", " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn(), "filedOn");
  auto r = c.get();
  r.setClaimedYuan(e.getAmountYuan());
  r.setGovernmentInvested(e.getGovernmentInvested());
  r.setDetail(e.getProject());
  if (e.getOwedUntil().size() > 0) {
    dayOf(e.getOwedUntil(), "owedUntil");  // a date that is no date is refused, naming it
    r.setOwedUntil(e.getOwedUntil());
  }
  // Accepted or refused (wageClaimRejected) within the working days.
  c.due(rules::rights::wage_claim::accept_5_working_days, Stage::WAGE_CLAIM_ACCEPTANCE,
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
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED)
    return refuseCase(rules::record::stage, c, " 已受理", " is already accepted");
  int32_t accepted = dayOf(e.getAcceptedOn(), "acceptedOn");
  if (accepted < dayOf(c.get().getFiledOn(), "filedOn")) {
    return refuseCase(rules::record::dates_in_order, c, " 的受理日早于投诉日",
                      ": accepted before it was filed");
  }
  if (auto limit = pastTheLimit(c, policy)) return *limit;
  c.finish(Stage::WAGE_CLAIM_ACCEPTANCE, e.getAcceptedOn(), "acceptedOn");
  c.get().setStatus(msg::CaseStatus::ACCEPTED);
  c.get().setAcceptedOn(e.getAcceptedOn());
  c.due(rules::rights::wage_claim::resolve_60_working_days, Stage::WAGE_CLAIM_RESOLUTION,
        calendar.addWorkingDays(accepted, policy.wageResolveWorkingDays));
  c.save();
  return {};
}

// 若干规定 art. 18: a complaint is accepted or refused (不予受理, with the reason) within the same
// 5 working days; refused in time it is closed, never overdue. Refused later, the days have passed
// and the case stays overdue until it is accepted.
Applied wageClaimRejected(msg::Envelope::Reader event, StateTx& state,
                          const DeadlinePolicy& policy) {
  auto e = event.getWageClaimRejected();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuseCase(rules::record::stage, c, " 已受理或已结案，不能再不予受理",
                      " is already accepted or closed: it can no longer be refused");
  }
  int32_t decided = dayOf(e.getDecidedOn(), "decidedOn");
  std::string filed = c.get().getFiledOn().cStr();
  if (decided < dayOf(c.get().getFiledOn(), "filedOn")) {
    return refuse(rules::record::dates_in_order, "decidedOn 早于投诉日 " + filed,
                  "decidedOn: before the complaint was filed on " + filed);
  }
  auto acceptance = c.openDeadline(Stage::WAGE_CLAIM_ACCEPTANCE);
  if (acceptance && decided > dayOf(acceptance->getDueOn(), "dueOn")) {
    std::string due = acceptance->getDueOn().cStr(),
                days = std::to_string(policy.wageAcceptWorkingDays);
    return refuse(rules::rights::wage_claim::refusal_in_time,
                  "不予受理须在接到投诉之日起" + days + "个工作日内作出，期限已于 " + due +
                      " 届满（关于实施《劳动保障监察条例》若干规定第十八条）",
                  "a refusal (不予受理) is due within " + days +
                      " working days of the complaint; they ended on " + due + " (若干规定 art. 18)");
  }
  c.close(e.getDecidedOn(), "decidedOn", "rejected");
  c.count(measure20::kClaimsRejected);
  c.save();
  return {};
}

Applied wageClaimExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getWageClaimExtended();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::ACCEPTED) {
    return refuseCase(rules::record::stage, c, " 只能在受理后、办结前延长",
                      " can be extended only between acceptance and resolution");
  }
  if (c.get().getExtendedDays() > 0) {
    return refuseCase(rules::rights::wage_claim::resolve_60_working_days, c, " 已延长过一次",
                      " is already extended once");
  }
  if (static_cast<int>(e.getDays()) > policy.wageMaxExtensionWorkingDays) {
    std::string most = std::to_string(policy.wageMaxExtensionWorkingDays);
    return refuse(rules::rights::wage_claim::resolve_60_working_days,
                  "延长期限至多 " + most + " 个工作日（劳动保障监察条例第十七条）",
                  "an extension of at most " + most + " working days");
  }
  c.get().setExtendedDays(e.getDays());
  c.due(rules::rights::wage_claim::resolve_60_working_days, Stage::WAGE_CLAIM_RESOLUTION,
        calendar.addWorkingDays(dayOf(c.get().getAcceptedOn(), "acceptedOn"),
                                policy.wageResolveWorkingDays + static_cast<int>(e.getDays())));
  c.save();
  return {};
}

Applied wageClaimResolved(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getWageClaimResolved();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() == msg::CaseStatus::FILED)
    return refuseCase(rules::record::stage, c, " 尚未受理", " is not accepted yet");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuseCase(rules::record::stage, c, " 已办结", " is already resolved");
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
