// Measure 21 (畅通劳动维权渠道): labour disputes on the fast track — acceptance decided within 5
// days of the application (劳动争议调解仲裁法 art. 29), the award within 45 days of acceptance,
// extendable once by 15 (art. 43), the days a case is suspended not counted (中止审理,
// 劳动人事争议仲裁办案规则 arts. 46–47) — and how they close. Mediation inside arbitration
// (art. 42) has no deadline of its own: the 15 days of art. 14 belong to mediation bodies before
// arbitration, which are not cases here (the register's rights.dispute.mediation_no_deadline: no
// stage is due for it).
#include "ids.h"
#include "rights_case.h"

namespace mwp::rights {
namespace {

// The disputes_<outcome> indicator a closed dispute counts toward.
std::optional<Indicator> outcomeIndicator(msg::DisputeOutcome outcome) {
  switch (outcome) {
    case msg::DisputeOutcome::SETTLED:
      return measure21::kDisputesSettled;
    case msg::DisputeOutcome::AWARDED:
      return measure21::kDisputesAwarded;
    case msg::DisputeOutcome::WITHDRAWN:
      return measure21::kDisputesWithdrawn;
    case msg::DisputeOutcome::REJECTED:
      return measure21::kDisputesRejected;
    default:
      return std::nullopt;
  }
}

}  // namespace

Applied disputeFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeFiled();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (c.exists()) return refuseCase(rules::record::once, c, " 已登记", " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn(), "filedOn");
  c.get().setClaimedYuan(e.getClaimYuan());
  c.get().setDetail(enumName(e.getCategory()));
  c.due(rules::rights::dispute::accept_5_days, Stage::DISPUTE_ACCEPTANCE,
        dayOf(e.getFiledOn(), "filedOn") + policy.disputeAcceptDays);
  c.count(measure21::kDisputesFiled);
  c.save();
  return {};
}

Applied disputeAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeAccepted();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuseCase(rules::record::stage, c, " 已受理或已结案", " is already accepted or closed");
  }
  int32_t on = dayOf(e.getAcceptedOn(), "acceptedOn");
  c.finish(Stage::DISPUTE_ACCEPTANCE, e.getAcceptedOn(), "acceptedOn");
  c.get().setStatus(msg::CaseStatus::ACCEPTED);
  c.get().setAcceptedOn(e.getAcceptedOn());
  c.due(rules::rights::dispute::award_45_days, Stage::DISPUTE_AWARD, on + policy.disputeAwardDays);
  c.save();
  return {};
}

Applied disputeRejected(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeRejected();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuseCase(rules::record::stage, c, " 已受理或已结案", " is already accepted or closed");
  }
  c.finish(Stage::DISPUTE_ACCEPTANCE, e.getDecidedOn(), "decidedOn");
  c.close(e.getDecidedOn(), "decidedOn", "rejected");
  c.count(measure21::kDisputesRejected);
  c.save();
  return {};
}

Applied disputeMediated(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeMediated();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getMediatedOn().size() > 0) return refuseCase(rules::record::once, c, " 已调解", " is already mediated");
  dayOf(e.getMediatedOn(), "mediatedOn");  // a date that is no date is refused, naming it
  c.get().setMediatedOn(e.getMediatedOn());
  if (e.getSettled()) c.count(measure21::kDisputesSettledByMediation);
  c.save();
  return {};
}

Applied disputeExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeExtended();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getExtendedDays() > 0) {
    return refuseCase(rules::rights::dispute::award_45_days, c, " 已延长过一次",
                      " is already extended once");
  }
  if (static_cast<int>(e.getDays()) > policy.disputeMaxExtensionDays) {
    std::string most = std::to_string(policy.disputeMaxExtensionDays);
    return refuse(rules::rights::dispute::award_45_days,
                  "延长期限至多 " + most + " 日（劳动争议调解仲裁法第四十三条）",
                  "an extension of at most " + most + " days (劳动争议调解仲裁法 art. 43)");
  }
  auto award = c.openDeadline(Stage::DISPUTE_AWARD);
  if (!award) return refuseCase(rules::record::stage, c, " 已作出裁决", " is already awarded");
  c.get().setExtendedDays(e.getDays());
  // The extension adds to the award day as it stands, suspensions included; a suspended case
  // keeps its clock stopped, to restart with the extension counted.
  int32_t due = dayOf(award->getDueOn(), "dueOn") + static_cast<int>(e.getDays());
  if (award->getPausedOn().size() > 0) {
    award->setDueOn(formatDate(due));
  } else {
    c.due(rules::rights::dispute::award_45_days, Stage::DISPUTE_AWARD, due);
  }
  c.save();
  return {};
}

Applied disputeAwarded(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeAwarded();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getOutcome().size() > 0) {
    return refuseCase(rules::record::stage, c, " 已作出裁决", " is already awarded");
  }
  if (auto award = c.openDeadline(Stage::DISPUTE_AWARD); award && award->getPausedOn().size()) {
    return refuseCase(rules::rights::dispute::suspension, c,
                      " 中止审理中，恢复审理后方可裁决（劳动人事争议仲裁办案规则第四十七条）",
                      " is suspended: resume it before the award (劳动人事争议仲裁办案规则 art. 47)");
  }
  c.finish(Stage::DISPUTE_AWARD, e.getAwardedOn(), "awardedOn");
  c.get().setRecoveredYuan(e.getAwardedYuan());
  c.get().setOutcome("awarded");
  c.save();
  return {};
}

Applied disputeClosed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeClosed();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuseCase(rules::record::stage, c, " 已结案", " is already closed");
  c.close(e.getClosedOn(), "closedOn", enumName(e.getOutcome()));
  c.count(measure21::kDisputesClosed);
  if (auto byOutcome = outcomeIndicator(e.getOutcome())) c.count(*byOutcome);
  // 快结: days from filing to closing, for the median.
  c.countDaysToEnd(measure21::kMedianDaysToClose, e.getClosedOn(), "closedOn");
  c.save();
  return {};
}

// 劳动人事争议仲裁办案规则 (人社部令第33号, 2017) art. 47: a case may be suspended (中止审理) —
// a party died or lost capacity, the employer ended, force majeure, a prior case or a work-injury
// finding awaited; art. 46(6): the suspended days do not count toward the arbitration period.
Applied disputeSuspended(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeSuspended();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED) {
    return refuseCase(rules::rights::dispute::suspension, c, " 已结案，不能中止审理",
                      " is already closed: it cannot be suspended");
  }
  if (c.get().getStatus() == msg::CaseStatus::FILED) {
    return refuseCase(rules::rights::dispute::suspension, c, " 尚未受理，仲裁期限未开始，无从中止",
                      " is not accepted yet: its arbitration period has not begun");
  }
  auto award = c.openDeadline(Stage::DISPUTE_AWARD);
  if (!award) {
    return refuseCase(rules::rights::dispute::suspension, c, " 已作出裁决，不能中止审理",
                      " is already awarded: it cannot be suspended");
  }
  if (award->getPausedOn().size() > 0) {
    std::string since = award->getPausedOn().cStr();
    return refuseCase(rules::rights::dispute::suspension, c, " 已于 " + since + " 中止审理",
                      " is already suspended since " + since);
  }
  int32_t on = dayOf(e.getSuspendedOn(), "suspendedOn");
  std::string accepted = c.get().getAcceptedOn().cStr();
  if (on < dayOf(c.get().getAcceptedOn(), "acceptedOn")) {
    return refuse(rules::rights::dispute::suspension, "suspendedOn 早于受理日 " + accepted,
                  "suspendedOn: before the case was accepted on " + accepted);
  }
  std::string due = award->getDueOn().cStr();
  if (on > dayOf(award->getDueOn(), "dueOn")) {
    return refuse(rules::rights::dispute::suspension,
                  "仲裁期限已于 " + due + " 届满，中止不能使其停止计算（劳动争议调解仲裁法第四十三条）",
                  "the award period ended on " + due +
                      ": a later suspension cannot stop it (劳动争议调解仲裁法 art. 43)");
  }
  c.pause(*award, e.getSuspendedOn());
  c.save();
  return {};
}

Applied disputeResumed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeResumed();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  auto award = c.openDeadline(Stage::DISPUTE_AWARD);
  if (c.get().getStatus() != msg::CaseStatus::ACCEPTED || !award ||
      award->getPausedOn().size() == 0) {
    return refuseCase(rules::rights::dispute::suspension, c,
                      " 未中止审理，无从恢复（劳动人事争议仲裁办案规则第四十七条）",
                      " is not suspended: there is nothing to resume (劳动人事争议仲裁办案规则 art. 47)");
  }
  std::string suspended = award->getPausedOn().cStr();
  int32_t stopped = dayOf(e.getResumedOn(), "resumedOn") - dayOf(award->getPausedOn(), "pausedOn");
  if (stopped < 0) {
    return refuse(rules::rights::dispute::suspension, "resumedOn 早于中止日 " + suspended,
                  "resumedOn: before the suspension of " + suspended);
  }
  // 办案规则 art. 46(6): the suspended days are not counted — the award day moves by them.
  c.resume(*award, dayOf(award->getDueOn(), "dueOn") + stopped);
  c.save();
  return {};
}

}  // namespace mwp::rights
