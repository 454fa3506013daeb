// Inside the rights service: a case of measures 20, 21 and 22 — a wage claim, a labour dispute or
// a legal-aid request — as a record with its legal deadlines, and the rules of each measure, one
// file a measure (measure_20_wage_claims.cpp, measure_21_labour_disputes.cpp,
// measure_22_legal_aid.cpp). RightsRules::apply (rights_rules.cpp) dispatches to them.
//
// The lifecycle counters every case keeps — cases_open, cases_overdue, stages_late of its
// measure — are counted here, in rights_case.cpp.
#pragma once

#include <optional>
#include <string>

#include "deadlines.h"
#include "event_kinds.h"
#include "indicator_counts.h"
#include "mwp/messages/rights.capnp.h"
#include "rule_fields.h"
#include "rules.h"
#include "stored_record.h"
#include "working_days.h"

namespace mwp::rights {

using Stage = msg::CaseStage;

// A deadline has passed once its day is over in China: its timer fires at the next midnight
// (Unix seconds).
int64_t endOfDay(int32_t day);

// Adds a state key to one of the lists of the worker's record (worker:<id>: the cases, the
// enrolments on projects), kept sorted: the worker's cases and projects sit in different
// partitions, whose events interleave differently in every replay.
void addToWorker(
    StateTx& state, const std::string& workerId, const std::string& key,
    capnp::List<capnp::Text>::Builder (msg::WorkerCases::Builder::*list)(),
    void (msg::WorkerCases::Builder::*adopt)(capnp::Orphan<capnp::List<capnp::Text>>&&));

// "wage", "dispute" or "aid": the type's part of a case's key.
const char* typeKey(msg::CaseType type);

class Case {
 public:
  Case(StateTx& state, msg::CaseType type, capnp::Text::Reader caseNo);

  bool exists() const { return record_.existed(); }
  msg::RightsCase::Builder get() { return record_.get(); }
  // "wage claim WC-1" / "欠薪投诉 WC-1": how verdicts name the case.
  const std::string& name() const { return name_; }
  const std::string& nameZh() const { return nameZh_; }

  // Counts toward an indicator of the case's measure, in its area and the year it was filed.
  void count(Indicator indicator, int64_t delta = 1);
  // Adds the days from filing to `endedOn` to a median of the case's measure.
  void countDaysToEnd(Indicator median, capnp::Text::Reader endedOn, std::string_view field);

  void open(msg::Envelope::Reader event, capnp::Text::Reader caseNo, capnp::Text::Reader filedOn,
            std::string_view field);
  void close(capnp::Text::Reader closedOn, std::string_view field, const std::string& outcome);

  // Opens (or moves) the deadline of a stage and its timer; the deadline names the rule whose
  // period it is, so the record says why the day is due.
  void due(RuleId rule, Stage stage, int32_t dueDay);
  // The same for a deadline in working days; one counted through a year the holiday list lacks
  // keeps that year in calendarMissing, so that the clerk sees the day is provisional.
  void due(RuleId rule, Stage stage, WorkingDeadline dueDay);
  // Marks a stage done; done after its day it counts as late (a stage whose clock is stopped is
  // judged by the day it stopped).
  void finish(Stage stage, capnp::Text::Reader doneOn, std::string_view field);
  // The deadline of a stage that is due and not done; nullopt when there is none.
  std::optional<msg::Deadline::Builder> openDeadline(Stage stage);
  // Stops the clock of an open stage on `on` (中止, material missing): no timer runs while it is
  // stopped. dueOn stays the day it would have been; `resume` moves it.
  void pause(msg::Deadline::Builder d, capnp::Text::Reader on);
  // Restarts a stopped clock, due on `dueDay` — the old due day moved by the stopped time, counted
  // by the caller in the stage's unit (days or working days).
  void resume(msg::Deadline::Builder d, int32_t dueDay);
  void resume(msg::Deadline::Builder d, WorkingDeadline dueDay);
  // A stage past its due day (caseOverdue applied): counted, listed among the overdue cases, and
  // its timer, if it has not fired here, is no longer needed.
  void markOverdue(msg::Deadline::Builder d);

  void save() { record_.save(); }
  std::string timer(Stage stage) const;

 private:
  msg::Deadline::Builder deadline(Stage stage);
  // Sets a stage's due day and its timer, its rule unchanged (a restarted clock keeps its rule).
  msg::Deadline::Builder moveDue(Stage stage, int32_t dueDay);

  StateTx& state_;
  std::string key_;
  std::string name_;
  std::string nameZh_;
  StoredRecord<msg::RightsCase> record_;
  msg::CaseType type_;
};

// The refusal of an event that needs an accepted, open case; nullopt when it is one.
std::optional<Applied> needsAccepted(Case& c);

// A refusal about case `c` in both languages, its name first: refuseCase(rules::record::
// exists_first, c, " 未登记", " is not filed") → "欠薪投诉 WC-1 未登记" / "wage claim WC-1 is not filed".
Applied refuseCase(RuleId rule, const Case& c, const std::string& zh, const std::string& en);

// measure_20_wage_claims.cpp
Applied wageClaimFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                       const WorkingCalendar& calendar);
Applied wageClaimAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar);
Applied wageClaimExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar);
Applied wageClaimRejected(msg::Envelope::Reader event, StateTx& state,
                          const DeadlinePolicy& policy);
Applied wageClaimResolved(msg::Envelope::Reader event, StateTx& state);
// measure_21_labour_disputes.cpp
Applied disputeFiled(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy);
Applied disputeAccepted(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy);
Applied disputeRejected(msg::Envelope::Reader event, StateTx& state);
Applied disputeMediated(msg::Envelope::Reader event, StateTx& state);
Applied disputeExtended(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy);
Applied disputeAwarded(msg::Envelope::Reader event, StateTx& state);
Applied disputeClosed(msg::Envelope::Reader event, StateTx& state);
Applied disputeSuspended(msg::Envelope::Reader event, StateTx& state);
Applied disputeResumed(msg::Envelope::Reader event, StateTx& state);
// measure_22_legal_aid.cpp
Applied legalAidRequested(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar);
Applied legalAidMaterialRequested(msg::Envelope::Reader event, StateTx& state);
Applied legalAidMaterialSupplied(msg::Envelope::Reader event, StateTx& state,
                                 const WorkingCalendar& calendar);
Applied legalAidDecided(msg::Envelope::Reader event, StateTx& state);

}  // namespace mwp::rights
