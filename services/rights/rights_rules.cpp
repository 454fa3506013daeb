// The rights service's EventRules: each event kind to the rules of its measure (measure 20:
// measure_20_wage_claims.cpp and, for wage payment at the source, measure_20_wage_payment.cpp;
// measure 21: measure_21_labour_disputes.cpp, measure 22:
// measure_22_legal_aid.cpp), and the deadlines that pass — caseOverdue, raised by a timer.
#include "rights_rules.h"

#include "derived_events.h"
#include "event_kinds.h"
#include "ids.h"
#include "rights_case.h"

namespace mwp::rights {
namespace {

msg::CaseType typeOfStage(Stage stage) {
  switch (stage) {
    case Stage::WAGE_CLAIM_ACCEPTANCE:
    case Stage::WAGE_CLAIM_RESOLUTION:
      return msg::CaseType::WAGE_CLAIM;
    case Stage::LEGAL_AID_DECISION:
      return msg::CaseType::LEGAL_AID;
    default:
      return msg::CaseType::DISPUTE;
  }
}

// caseOverdue comes back through the bus: this service emitted it from its timer, and records it
// only now, as it applies the event from the log. The timer fires by the wall clock, at a moment
// no replay can repeat; the event it leaves in the log makes the state the same in every replay.
Applied caseOverdue(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getCaseOverdue();
  Case c(state, typeOfStage(e.getStage()), e.getCaseNo());
  if (!c.exists()) {
    return refuse(rules::record::exists_first, "没有" + c.nameZh(), c.name() + ": no such case");
  }
  for (auto d : c.get().getDeadlines()) {
    if (d.getStage() != e.getStage()) continue;
    // Already recorded, or done in time and reported only after the alarm: nothing to add.
    if (d.getOverdue()) return {};
    if (d.getDoneOn().size() > 0 && dayOf(d.getDoneOn(), "doneOn") <= dayOf(d.getDueOn(), "dueOn"))
      return {};
    // Its clock stopped, or the day moved later (an extension, a suspension ended), before the
    // alarm came back: not overdue after all, and the verdict says why.
    if (d.getPausedOn().size() > 0) {
      return appliedWithNote(rules::rights::deadline::alarm_after_stop,
                             "期限已于 " + std::string(d.getPausedOn().cStr()) + " 停止计算，不记为超期",
                             "not overdue: the stage's clock stopped on " +
                                 std::string(d.getPausedOn().cStr()));
    }
    if (dayOf(d.getDueOn(), "dueOn") > dayOf(e.getDueOn(), "dueOn")) {
      return appliedWithNote(rules::rights::deadline::alarm_after_stop,
                             "期限已顺延至 " + std::string(d.getDueOn().cStr()) + "，不记为超期",
                             "not overdue: the stage is now due on " +
                                 std::string(d.getDueOn().cStr()));
    }
    c.markOverdue(d);
    c.save();
    return {};
  }
  return refuse(rules::record::stage, c.nameZh() + " 没有 " + enumName(e.getStage()) + " 环节的期限",
                c.name() + ": no " + enumName(e.getStage()) + " deadline");
}

}  // namespace

std::string caseIndex(const std::string& status, const std::string& area) {
  return status + ":" + area;
}

std::optional<Applied> RightsRules::apply(msg::Envelope::Reader event, StateTx& state, int64_t) {
  using E = msg::Envelope;
  return refusingBadFields([&]() -> std::optional<Applied> {
    switch (event.which()) {
      case E::WAGE_CLAIM_FILED:
        return wageClaimFiled(event, state, policy_, calendar_);
      case E::WAGE_CLAIM_ACCEPTED:
        return wageClaimAccepted(event, state, policy_, calendar_);
      case E::WAGE_CLAIM_REJECTED:
        return wageClaimRejected(event, state, policy_);
      case E::WAGE_CLAIM_EXTENDED:
        return wageClaimExtended(event, state, policy_, calendar_);
      case E::WAGE_CLAIM_RESOLVED:
        return wageClaimResolved(event, state);
      case E::DISPUTE_FILED:
        return disputeFiled(event, state, policy_);
      case E::DISPUTE_ACCEPTED:
        return disputeAccepted(event, state, policy_);
      case E::DISPUTE_REJECTED:
        return disputeRejected(event, state);
      case E::DISPUTE_MEDIATED:
        return disputeMediated(event, state);
      case E::DISPUTE_EXTENDED:
        return disputeExtended(event, state, policy_);
      case E::DISPUTE_AWARDED:
        return disputeAwarded(event, state);
      case E::DISPUTE_CLOSED:
        return disputeClosed(event, state);
      case E::DISPUTE_SUSPENDED:
        return disputeSuspended(event, state);
      case E::DISPUTE_RESUMED:
        return disputeResumed(event, state);
      case E::LEGAL_AID_REQUESTED:
        return legalAidRequested(event, state, policy_, calendar_);
      case E::LEGAL_AID_MATERIAL_REQUESTED:
        return legalAidMaterialRequested(event, state);
      case E::LEGAL_AID_MATERIAL_SUPPLIED:
        return legalAidMaterialSupplied(event, state, calendar_);
      case E::LEGAL_AID_DECIDED:
        return legalAidDecided(event, state);
      case E::CASE_OVERDUE:
        return caseOverdue(event, state);
      default:
        return applyWagePayment(event, state, wages_);
    }
  });
}

void RightsRules::keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const {
  EventRules::keysToRead(event, keys);
  wageKeysToRead(event, keys);
}

Applied RightsRules::onTimer(const std::string& member, StateTx& state, int64_t) {
  if (isWageTimer(member)) return onWageTimer(member, state, wages_);
  // member: "case:<type>:<caseNo>|<stage>". The timer only raises caseOverdue; the state changes
  // when the event comes back from the log (caseOverdue above).
  auto bar = member.rfind('|');
  std::string key = member.substr(0, bar), stageName = member.substr(bar + 1);
  auto stored = state.get(key);
  if (!stored) return {};
  StoredRecord<msg::RightsCase> record(state, key);
  auto c = record.get();
  for (auto d : c.getDeadlines()) {
    if (enumName(d.getStage()) != stageName) continue;
    if (d.getDoneOn().size() > 0 || d.getOverdue()) return {};
    // This service wrote the due day; one it cannot read raises nothing rather than a guess.
    auto dueDay = parseDate(d.getDueOn().cStr());
    if (!dueDay) return {};
    // The id, time and content depend only on the case and the due day, so a repeat after a
    // crash is the same event and the bus keeps one. The due day is in the id because a stopped
    // clock moves it (a suspension ended, material supplied): the alarm of the new day is
    // another event, not the old one's id reused with other content, which the bus refuses.
    Applied applied;
    applied.derived.push_back(
        makeDerivedEvent({"overdue:" + std::string(typeKey(c.getType())) + ":" +
                              c.getCaseNo().cStr() + ":" + stageName + ":" + d.getDueOn().cStr(),
                          formatDate(*dueDay + 1) + "T00:00:00+08:00", c.getArea().cStr(), "", ""},
                         [&](msg::Envelope::Builder e) {
                           auto o = e.initCaseOverdue();
                           o.setCaseNo(c.getCaseNo());
                           o.setStage(d.getStage());
                           o.setDueOn(d.getDueOn());
                         }));
    return applied;
  }
  return {};
}

}  // namespace mwp::rights
