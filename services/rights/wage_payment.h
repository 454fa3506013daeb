// Measure 20, wage payment at the source (工程建设领域欠薪源头治理; 保障农民工工资支付条例, State
// Council order 724, in force 2020-05-01): projects, their wage accounts (art. 26) and deposits
// (art. 32), the owner's labour cost paid into the account (art. 24), real-name enrolment and
// attendance (art. 28), wages paid from the account straight to each worker (arts. 11–12, 31), and
// the eight graded warnings of MEASURES.md, named as integrators and alerts key on them:
//
//   noWageAccount       yellow  no wageAccountOpened within 30 days of startOn          art. 26
//   noWageDeposit       yellow  no wageDepositLodged within 30 days of startOn          art. 32
//   labourCostLate      yellow  a month with attendance, its labour cost not in the
//                               account by the end of the next month                    art. 24
//   workerUnpaid        yellow  a worker who worked in M unpaid for M on the payday of
//                       → red   M+1; red, in place, when still unpaid at the end of M+2 arts.
//                       11–12, 31
//   manyUnpaid          red     more than 10 % of those who worked in M unpaid on the
//                               payday of M+1                                           platform
//                               practice
//   paidOutsideAccount  yellow  a wagePaid not through the wage account                 art. 31
//   leftUnpaid          red     a worker leaves with a month worked still unpaid        art. 30
//   belowMinimumWage    yellow  paid less than the area's monthly minimum × daysWorked
//                               ÷ 21.75 (off until a minimum is set) 最低工资规定
//
// Judged on the events' dates, never on when they are applied: a warning's dueOn (= raisedOn) is
// the last day its condition could be met in time, its clearedOn the day it was cured. A due day
// passes (1) by the service's clock: a timer at the end of the due day emits wageWarningRaised,
// which is recorded when it comes back through the log (like caseOverdue); or (2) by an event of
// the project dated after it — a cure that comes late records the warning raised and cleared at
// once, and emits both events with the same ids and content the timer would have given them. So
// the state is a function of the log alone, and each warning is raised once (per level) and
// cleared once.
//
// State (keys of the rights service; values are structs of messages/rights.capnp):
//   project:<projectId>                    WageProject: registration, account, deposits, the
//                                          months' ledger, the project's own warnings
//   project:<projectId>:worker:<workerId>  ProjectWorker: enrolment, months worked and paid, the
//                                          warnings about that worker
//   worker:<workerId>                      WorkerCases.projects: the worker's enrolments, sorted
//   projects:<area>, projects:all          index of projects (member: project key; score: the day
//                                          of startOn)
//   project-workers:<projectId>            index of its enrolments (score: the day enrolled)
//   wage-warnings:open:<area>, …:all       index of open warnings (member: "<record
//   key>#<warningId>";
//                                          score: the day raised)
//   wage-warnings:cleared:<area>, …:all    index of cleared warnings (score: the day cleared)
// Timers: "wage|<projectId>|<rule>|<month>|<workerId>|<level>", at the end of the due day.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rules.h"

namespace mwp::rights {

// Each rule's setting, with MEASURES.md's default and its source.
struct WagePaymentPolicy {
  int accountDays = 30;  // 条例 art. 26: a wage account within 30 days of the start
  int depositDays = 30;  // art. 32: the wage deposit
  int labourCostMonths = 1;  // art. 24: 拨付周期不得超过1个月 — by the end of the next month
  int unpaidRedMonths = 2;         // arts. 11–12: red when still unpaid at the end of M+2
  int manyUnpaidPercent = 10;      // platform practice: more than 10 % unpaid on the payday is red
  bool paidOutsideAccount = true;  // art. 31: wages from the wage account straight to the worker
  bool leftUnpaid = true;          // art. 30: the contractor settles first
  // 最低工资规定: the monthly minimum per area (四川省 publishes it by tier); empty: the rule is
  // off.
  std::map<std::string, uint32_t> minimumMonthlyWageYuan;
};

// The kinds of wage payment at the source; nullopt for any other kind.
std::optional<Applied> applyWagePayment(msg::Envelope::Reader event, StateTx& state,
                                        const WagePaymentPolicy& policy);

// A wage warning's timer has come due (member as above): wageWarningRaised when its condition
// still stands. Whether `member` is such a timer.
bool isWageTimer(const std::string& member);
Applied onWageTimer(const std::string& member, StateTx& state, const WagePaymentPolicy& policy);

// The state keys a project's event reads: the project's record and the worker's enrolment.
void wageKeysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys);

// State keys of a project and of a worker's enrolment on it, and the indexes above.
std::string projectKey(std::string_view projectId);
std::string enrolmentKey(std::string_view projectId, std::string_view workerId);
std::string projectIndex(const std::string& area);  // area: a reporting area or "all"
std::string projectWorkersIndex(const std::string& projectId);
std::string warningIndex(const std::string& status, const std::string& area);  // open, cleared

}  // namespace mwp::rights
