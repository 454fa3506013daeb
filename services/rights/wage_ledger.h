// Inside measure 20's wage payment at the source (wage_payment.h): a project's record and a
// worker's enrolment as they are read and written while one event applies, and the warnings
// desk that raises and clears the eight warnings (measure_20_wage_warnings.cpp). The events'
// rules are in measure_20_wage_payment.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "indicator_counts.h"
#include "mwp/messages/rights.capnp.h"
#include "stored_record.h"
#include "wage_payment.h"

namespace mwp::rights {

using WarningRule = msg::WageWarningRule;
using Level = msg::WarningLevel;

class Project {
 public:
  Project(StateTx& state, capnp::Text::Reader projectId);

  bool exists() const { return record_.existed(); }
  msg::WageProject::Builder get() { return record_.get(); }
  StoredRecord<msg::WageProject>& record() { return record_; }
  const std::string& key() const { return key_; }
  // "project P-1": how verdicts name it.
  std::string name() const { return "project " + id_; }
  const std::string& id() const { return id_; }
  void save() { record_.save(); }

  // Counts toward a measure-20 indicator in the project's area.
  void count(Indicator indicator, int year, int64_t delta = 1);
  // The ledger of `month`, added when the month is new.
  msg::ProjectMonth::Builder month(capnp::Text::Reader month);
  // The day wages for `month` are due: the project's payday in the month after.
  int32_t paydayAfter(capnp::Text::Reader month);

 private:
  std::string id_, key_;
  StateTx& state_;
  StoredRecord<msg::WageProject> record_;
};

class Enrolment {
 public:
  Enrolment(StateTx& state, capnp::Text::Reader projectId, capnp::Text::Reader workerId);

  bool exists() const { return record_.existed(); }
  msg::ProjectWorker::Builder get() { return record_.get(); }
  StoredRecord<msg::ProjectWorker>& record() { return record_; }
  const std::string& key() const { return key_; }
  void save() { record_.save(); }
  // The worker's `month`, added when new.
  msg::WorkerMonth::Builder month(capnp::Text::Reader month);
  std::optional<msg::WorkerMonth::Builder> findMonth(capnp::Text::Reader month);

 private:
  std::string key_;
  StoredRecord<msg::ProjectWorker> record_;
};

// What a warning is about: its rule, and where it has them, its month and worker. Its id is a
// function of these, so the same cause gives the same warning.
struct WarningCause {
  WarningRule rule = WarningRule::UNSPECIFIED;
  std::string month;     // "" for a project's account or deposit, or a worker's leaving
  std::string workerId;  // "" for the project's own
};
std::string warningIdOf(const std::string& projectId, const WarningCause& cause);

// The facts of one warning's condition, as the project's records hold them now.
struct Judgement {
  bool applies = false;          // the condition can arise (a month worked, a payment made …)
  Level first = Level::YELLOW;   // the level it is raised at
  bool risesToRed = false;       // workerUnpaid: red at a second due day
  int32_t dueOn[3] = {0, 0, 0};  // by level
  bool missedOn[3] = {false, false, false};  // by level: the condition was not met by its due day
  bool immediate = false;          // raised by the event itself (a payment outside the account)
  std::optional<int32_t> curedOn;  // the day the condition was met, once it is
  // The figures its reason gives (the register's template): the days allowed or worked, the share
  // unpaid … — all but {dueOn} and {level}, which raise() adds for the level raised.
  std::vector<Figure> figures;
};

// Raises and clears the warnings of one project while one event applies.
class WarningDesk {
 public:
  WarningDesk(StateTx& state, Project& project, const WagePaymentPolicy& policy, Applied& out)
      : state_(state), project_(project), policy_(policy), out_(out) {}

  // The judgement of `cause` over the project's records (and the worker's enrolment, for a
  // warning about one worker).
  Judgement judge(const WarningCause& cause, Enrolment* enrolment);

  // Brings the warning of `cause` in line with the facts: raises it (or raises it to red) where a
  // due day has passed unmet — by the service's clock (`signalled`: the level of the
  // wageWarningRaised being applied) or by the date of the event applied (`eventDay`) — clears it
  // once cured, and sets or clears the timers of the due days still ahead.
  void settle(const WarningCause& cause, Enrolment* enrolment, std::optional<int32_t> eventDay,
              Level signalled = Level::UNSPECIFIED);

  // The wageWarningRaised a timer sends: the same event settle() emits on a late cure.
  std::string raisedEvent(const WarningCause& cause, Level level, int32_t dueOn);

 private:
  template <typename T>
  void settleIn(StoredRecord<T>& record, const std::string& recordKey, const WarningCause& cause,
                const Judgement& j, std::optional<int32_t> eventDay, Level signalled);
  // `announce`: emit wageWarningRaised (not when applying that very event).
  void raise(msg::WageWarning::Builder w, const std::string& recordKey, const WarningCause& cause,
             const Judgement& j, Level level, bool announce);
  void clear(msg::WageWarning::Builder w, const std::string& recordKey, const WarningCause& cause,
             int32_t clearedOn);
  void countWorkersUnpaid(Enrolment& enrolment);
  std::string timer(const WarningCause& cause, Level level) const;

  StateTx& state_;
  Project& project_;
  const WagePaymentPolicy& policy_;
  Applied& out_;
};

}  // namespace mwp::rights
