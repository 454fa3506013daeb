// Measure 21 (畅通劳动维权渠道): labour disputes on the fast track — acceptance decided within 5
// days of the application (劳动争议调解仲裁法 art. 29), mediation within 15 (art. 14), the award
// within 45 days of acceptance, extendable once by 15 (art. 43) — and how they close.
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
  if (c.exists()) return refuse(c.name() + " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn(), "filedOn");
  c.get().setClaimedYuan(e.getClaimYuan());
  c.get().setDetail(enumName(e.getCategory()));
  c.due(Stage::DISPUTE_ACCEPTANCE, dayOf(e.getFiledOn(), "filedOn") + policy.disputeAcceptDays);
  c.count(measure21::kDisputesFiled);
  c.save();
  return {};
}

Applied disputeAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeAccepted();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuse(c.name() + " is already accepted or closed");
  }
  int32_t on = dayOf(e.getAcceptedOn(), "acceptedOn");
  c.finish(Stage::DISPUTE_ACCEPTANCE, e.getAcceptedOn(), "acceptedOn");
  c.get().setStatus(msg::CaseStatus::ACCEPTED);
  c.get().setAcceptedOn(e.getAcceptedOn());
  c.due(Stage::DISPUTE_MEDIATION, on + policy.disputeMediationDays);
  c.due(Stage::DISPUTE_AWARD, on + policy.disputeAwardDays);
  c.save();
  return {};
}

Applied disputeRejected(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeRejected();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuse(c.name() + " is already accepted or closed");
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
  for (auto d : c.get().getDeadlines()) {
    if (d.getStage() == Stage::DISPUTE_MEDIATION && d.getDoneOn().size() > 0) {
      return refuse(c.name() + " is already mediated");
    }
  }
  c.finish(Stage::DISPUTE_MEDIATION, e.getMediatedOn(), "mediatedOn");
  if (e.getSettled()) c.count(measure21::kDisputesSettledByMediation);
  c.save();
  return {};
}

Applied disputeExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeExtended();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getExtendedDays() > 0) return refuse(c.name() + " is already extended once");
  if (static_cast<int>(e.getDays()) > policy.disputeMaxExtensionDays) {
    return refuse("an extension of at most " + std::to_string(policy.disputeMaxExtensionDays) +
                  " days (劳动争议调解仲裁法 art. 43)");
  }
  c.get().setExtendedDays(e.getDays());
  c.due(Stage::DISPUTE_AWARD, dayOf(c.get().getAcceptedOn(), "acceptedOn") +
                                  policy.disputeAwardDays + static_cast<int>(e.getDays()));
  c.save();
  return {};
}

Applied disputeAwarded(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeAwarded();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getOutcome().size() > 0) return refuse(c.name() + " is already awarded");
  // An award ends the mediation stage too.
  c.finish(Stage::DISPUTE_MEDIATION, e.getAwardedOn(), "awardedOn");
  c.finish(Stage::DISPUTE_AWARD, e.getAwardedOn(), "awardedOn");
  c.get().setRecoveredYuan(e.getAwardedYuan());
  c.get().setOutcome("awarded");
  c.save();
  return {};
}

Applied disputeClosed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeClosed();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuse(c.name() + " is already closed");
  c.close(e.getClosedOn(), "closedOn", enumName(e.getOutcome()));
  c.count(measure21::kDisputesClosed);
  if (auto byOutcome = outcomeIndicator(e.getOutcome())) c.count(*byOutcome);
  // 快结: days from filing to closing, for the median.
  c.countDaysToEnd(measure21::kMedianDaysToClose, e.getClosedOn(), "closedOn");
  c.save();
  return {};
}

}  // namespace mwp::rights
