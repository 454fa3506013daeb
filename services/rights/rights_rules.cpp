#include "rights_rules.h"

#include <algorithm>
#include <vector>

#include "derived_events.h"
#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/rights.capnp.h"
#include "stored_record.h"

namespace mwp::rights {
namespace {

using Record = StoredRecord<msg::RightsCase>;
using Stage = msg::CaseStage;

Applied refuse(std::string reason) {
  return Applied{Verdict{false, std::move(reason)}, {}};
}

const char* typeKey(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return "wage";
    case msg::CaseType::DISPUTE:
      return "dispute";
    default:
      return "aid";
  }
}

const char* typeName(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return "wage claim";
    case msg::CaseType::DISPUTE:
      return "dispute";
    default:
      return "legal-aid request";
  }
}

int measureOf(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return 20;
    case msg::CaseType::DISPUTE:
      return 21;
    default:
      return 22;
  }
}

std::string caseKey(msg::CaseType type, capnp::Text::Reader caseNo) {
  return std::string("case:") + typeKey(type) + ":" + caseNo.cStr();
}

// A deadline has passed once its day is over in China: the timer fires at the next midnight.
int64_t endOfDay(int32_t day) {
  return (int64_t{day} + 1) * 86400 - 8 * 3600;
}

int32_t day(capnp::Text::Reader date) {
  return *parseDate(date.cStr());
}

class Case {
 public:
  Case(StateTx& state, msg::CaseType type, capnp::Text::Reader caseNo)
      : state_(state),
        key_(caseKey(type, caseNo)),
        name_(std::string(typeName(type)) + " " + caseNo.cStr()),
        record_(state, key_),
        type_(type) {}

  bool exists() const { return record_.existed(); }
  msg::RightsCase::Builder get() { return record_.get(); }
  const std::string& name() const { return name_; }

  void count(const char* indicator, int64_t delta = 1) {
    countIndicator(state_, measureOf(type_), indicator, get().getArea().cStr(),
                   yearOf(get().getFiledOn().cStr()), delta);
  }

  void open(msg::Envelope::Reader event, capnp::Text::Reader caseNo, capnp::Text::Reader filedOn) {
    auto c = get();
    c.setType(type_);
    c.setCaseNo(caseNo);
    c.setArea(event.getArea());
    c.setFiledOn(filedOn);
    c.setStatus(msg::CaseStatus::FILED);
    if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
      c.setWorkerId(event.getWorkerId());
      StoredRecord<msg::WorkerCases> worker(state_,
                                            std::string("worker:") + event.getWorkerId().cStr());
      // Kept sorted: a worker's cases may sit in different partitions (a dispute is partitioned
      // by its case number), whose events interleave differently in every replay.
      std::vector<std::string> keys{key_};
      for (auto k : worker.get().getCases()) keys.emplace_back(k.cStr());
      std::sort(keys.begin(), keys.end());
      auto sorted = worker.orphanage().newOrphan<capnp::List<capnp::Text>>(keys.size());
      for (unsigned i = 0; i < keys.size(); ++i) sorted.get().set(i, keys[i]);
      worker.get().adoptCases(kj::mv(sorted));
      worker.save();
    }
    for (const char* area : {c.getArea().cStr(), "all"}) {
      state_.index(caseIndex("open", area), key_, day(filedOn));
    }
    count("cases_open");
  }

  void close(capnp::Text::Reader closedOn, const std::string& outcome) {
    auto c = get();
    c.setStatus(msg::CaseStatus::CLOSED);
    c.setClosedOn(closedOn);
    c.setOutcome(outcome);
    // Stages still open end with the case: nothing is due from a closed case.
    for (auto d : c.getDeadlines()) {
      if (d.getDoneOn().size() == 0) finish(d.getStage(), closedOn);
    }
    for (const char* area : {c.getArea().cStr(), "all"}) {
      state_.unindex(caseIndex("open", area), key_);
    }
    count("cases_open", -1);
  }

  // Opens (or moves) the deadline of a stage and its timer.
  void due(Stage stage, int32_t dueDay) {
    auto c = get();
    for (auto d : c.getDeadlines()) {
      if (d.getStage() == stage) {
        d.setDueOn(formatDate(dueDay));
        state_.setTimer(timer(stage), endOfDay(dueDay));
        return;
      }
    }
    auto d = appendTo<msg::Deadline>(record_.orphanage(), c.getDeadlines(),
                                     [&](auto o) { c.adoptDeadlines(kj::mv(o)); });
    d.setStage(stage);
    d.setDueOn(formatDate(dueDay));
    state_.setTimer(timer(stage), endOfDay(dueDay));
  }

  // Marks a stage done; done after its day it counts as late.
  void finish(Stage stage, capnp::Text::Reader doneOn) {
    for (auto d : get().getDeadlines()) {
      if (d.getStage() != stage || d.getDoneOn().size() > 0) continue;
      d.setDoneOn(doneOn);
      if (day(doneOn) > day(d.getDueOn())) {
        d.setLate(true);
        count("stages_late");
      }
      state_.clearTimer(timer(stage));
    }
  }

  // A stage past its due day (caseOverdue applied): counted, listed among the overdue cases, and
  // its timer, if it has not fired here, is no longer needed.
  void markOverdue(msg::Deadline::Builder d) {
    d.setOverdue(true);
    count("cases_overdue");
    for (const char* area : {get().getArea().cStr(), "all"}) {
      state_.index(caseIndex("overdue", area), key_, day(get().getFiledOn()));
    }
    state_.clearTimer(timer(d.getStage()));
  }

  void save() { record_.save(); }
  std::string timer(Stage stage) { return key_ + "|" + enumName(stage); }
  const std::string& key() const { return key_; }

 private:
  StateTx& state_;
  std::string key_;
  std::string name_;
  Record record_;
  msg::CaseType type_;
};

// ---- wage claims (measure 20)

Applied wageClaimFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                       const WorkingCalendar& calendar) {
  auto e = event.getWageClaimFiled();
  Case c(state, msg::CaseType::WAGE_CLAIM, e.getCaseNo());
  if (c.exists()) return refuse(c.name() + " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn());
  auto r = c.get();
  r.setClaimedYuan(e.getAmountYuan());
  r.setGovernmentInvested(e.getGovernmentInvested());
  r.setDetail(e.getProject());
  c.due(Stage::WAGE_CLAIM_ACCEPTANCE,
        calendar.addWorkingDays(day(e.getFiledOn()), policy.wageAcceptWorkingDays));
  c.count("claims_filed");
  c.count("yuan_claimed", e.getAmountYuan());
  // 措施二十: 杜绝政府投资工程项目发生新的欠薪 — every such claim is a new arrear (target 0).
  if (e.getGovernmentInvested()) c.count("government_project_arrears");
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
  if (day(e.getAcceptedOn()) < day(c.get().getFiledOn())) {
    return refuse(c.name() + ": accepted before it was filed");
  }
  c.finish(Stage::WAGE_CLAIM_ACCEPTANCE, e.getAcceptedOn());
  c.get().setStatus(msg::CaseStatus::ACCEPTED);
  c.get().setAcceptedOn(e.getAcceptedOn());
  c.due(Stage::WAGE_CLAIM_RESOLUTION,
        calendar.addWorkingDays(day(e.getAcceptedOn()), policy.wageResolveWorkingDays));
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
        calendar.addWorkingDays(day(c.get().getAcceptedOn()),
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
  c.close(e.getResolvedOn(), enumName(e.getOutcome()));
  c.count("claims_resolved");
  c.count("yuan_recovered", e.getRecoveredYuan());
  countForMedian(state, 20, "median_days_to_resolve", c.get().getArea().cStr(),
                 yearOf(c.get().getFiledOn().cStr()),
                 day(e.getResolvedOn()) - day(c.get().getFiledOn()));
  c.save();
  return {};
}

// ---- labour disputes (measure 21)

Applied disputeFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeFiled();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (c.exists()) return refuse(c.name() + " is already filed");
  c.open(event, e.getCaseNo(), e.getFiledOn());
  c.get().setClaimedYuan(e.getClaimYuan());
  c.get().setDetail(enumName(e.getCategory()));
  c.due(Stage::DISPUTE_ACCEPTANCE, day(e.getFiledOn()) + policy.disputeAcceptDays);
  c.count("disputes_filed");
  c.save();
  return {};
}

// The dispute of an event that needs an accepted, open case; nullopt and the refusal otherwise.
std::optional<Applied> needsAccepted(Case& c) {
  if (!c.exists()) return refuse(c.name() + " is not filed");
  switch (c.get().getStatus()) {
    case msg::CaseStatus::FILED:
      return refuse(c.name() + " is not accepted yet");
    case msg::CaseStatus::CLOSED:
      return refuse(c.name() + " is already closed");
    default:
      return std::nullopt;
  }
}

Applied disputeAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy) {
  auto e = event.getDisputeAccepted();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not filed");
  if (c.get().getStatus() != msg::CaseStatus::FILED) {
    return refuse(c.name() + " is already accepted or closed");
  }
  int32_t on = day(e.getAcceptedOn());
  c.finish(Stage::DISPUTE_ACCEPTANCE, e.getAcceptedOn());
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
  c.finish(Stage::DISPUTE_ACCEPTANCE, e.getDecidedOn());
  c.close(e.getDecidedOn(), "rejected");
  c.count("disputes_rejected");
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
  c.finish(Stage::DISPUTE_MEDIATION, e.getMediatedOn());
  if (e.getSettled()) c.count("disputes_settled_by_mediation");
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
  c.due(Stage::DISPUTE_AWARD,
        day(c.get().getAcceptedOn()) + policy.disputeAwardDays + static_cast<int>(e.getDays()));
  c.save();
  return {};
}

Applied disputeAwarded(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDisputeAwarded();
  Case c(state, msg::CaseType::DISPUTE, e.getCaseNo());
  if (auto refusal = needsAccepted(c)) return *refusal;
  if (c.get().getOutcome().size() > 0) return refuse(c.name() + " is already awarded");
  c.finish(Stage::DISPUTE_MEDIATION, e.getAwardedOn());  // an award ends the mediation stage too
  c.finish(Stage::DISPUTE_AWARD, e.getAwardedOn());
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
  std::string outcome = enumName(e.getOutcome());
  c.close(e.getClosedOn(), outcome);
  c.count("disputes_closed");
  c.count(("disputes_" + outcome).c_str());
  // 快结: days from filing to closing, for the median.
  countForMedian(state, 21, "median_days_to_close", c.get().getArea().cStr(),
                 yearOf(c.get().getFiledOn().cStr()),
                 day(e.getClosedOn()) - day(c.get().getFiledOn()));
  c.save();
  return {};
}

// ---- legal aid (measure 22)

Applied legalAidRequested(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getLegalAidRequested();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (c.exists()) return refuse(c.name() + " is already requested");
  c.open(event, e.getCaseNo(), e.getRequestedOn());
  // 法律援助法 art. 42: wage and work-injury claims of migrant workers skip the means test.
  c.get().setDetail(enumName(e.getMatter()));
  c.due(Stage::LEGAL_AID_DECISION,
        calendar.addWorkingDays(day(e.getRequestedOn()), policy.legalAidDecisionWorkingDays));
  c.count("aid_requested");
  c.save();
  return {};
}

Applied legalAidDecided(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getLegalAidDecided();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not requested");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuse(c.name() + " is already decided");
  c.finish(Stage::LEGAL_AID_DECISION, e.getDecidedOn());
  c.close(e.getDecidedOn(), e.getGranted() ? "granted" : "refused");
  c.count(e.getGranted() ? "aid_granted" : "aid_refused");
  c.save();
  return {};
}

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
  if (!c.exists()) return refuse(c.name() + ": no such case");
  for (auto d : c.get().getDeadlines()) {
    if (d.getStage() != e.getStage()) continue;
    // Already recorded, or done in time and reported only after the alarm: nothing to add.
    if (d.getOverdue()) return {};
    if (d.getDoneOn().size() > 0 && day(d.getDoneOn()) <= day(d.getDueOn())) return {};
    c.markOverdue(d);
    c.save();
    return {};
  }
  return refuse(c.name() + ": no " + enumName(e.getStage()) + " deadline");
}

}  // namespace

std::string caseIndex(const std::string& status, const std::string& area) {
  return status + ":" + area;
}

std::optional<Applied> RightsRules::apply(msg::Envelope::Reader event, StateTx& state, int64_t) {
  using E = msg::Envelope;
  switch (event.which()) {
    case E::WAGE_CLAIM_FILED:
      return wageClaimFiled(event, state, policy_, calendar_);
    case E::WAGE_CLAIM_ACCEPTED:
      return wageClaimAccepted(event, state, policy_, calendar_);
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
    case E::LEGAL_AID_REQUESTED:
      return legalAidRequested(event, state, policy_, calendar_);
    case E::LEGAL_AID_DECIDED:
      return legalAidDecided(event, state);
    case E::CASE_OVERDUE:
      return caseOverdue(event, state);
    default:
      return std::nullopt;
  }
}

Applied RightsRules::onTimer(const std::string& member, StateTx& state, int64_t) {
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
    // The id, time and content depend only on the case, so a repeat after a crash is the same
    // event and the bus keeps one.
    int32_t dueDay = day(d.getDueOn());
    Applied applied;
    applied.derived.push_back(
        makeDerivedEvent({"overdue:" + std::string(typeKey(c.getType())) + ":" +
                              c.getCaseNo().cStr() + ":" + stageName,
                          formatDate(dueDay + 1) + "T00:00:00+08:00", c.getArea().cStr(), "", ""},
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
