// Measure 20 (保障工资支付), wage payment at the source (源头治理; 保障农民工工资支付条例, State
// Council order 724): the nine kinds of a project's events — registration, wage account
// (art. 26), deposit (art. 32), labour cost (art. 24), real-name enrolment and attendance
// (art. 28), payments (arts. 11–12, 31), a worker leaving (art. 30), completion — kept in the
// project's ledger, and the warnings they raise and clear (measure_20_wage_warnings.cpp). The
// layout and the eight rules are described in wage_payment.h.
#include <algorithm>

#include "event_kinds.h"
#include "event_rules.h"
#include "ids.h"
#include "rights_case.h"
#include "rule_fields.h"
#include "wage_ledger.h"

namespace mwp::rights {
namespace {

// What one worker's month adds to the project's month (manyUnpaid is judged on these).
struct Standing {
  bool attended = false, paid = false, paidByPayday = false;
};

Standing standingOf(msg::WorkerMonth::Reader m, int32_t payday) {
  Standing s;
  s.attended = m.getDaysWorked() > 0;
  s.paid = s.attended && m.getFirstPaidOn().size() > 0;
  s.paidByPayday = s.paid && dayOf(m.getFirstPaidOn(), "paidOn") <= payday;
  return s;
}

void tally(msg::ProjectMonth::Builder month, Standing before, Standing after) {
  auto moved = [](bool b, bool a) { return static_cast<int32_t>(a) - static_cast<int32_t>(b); };
  month.setWorkersAttended(month.getWorkersAttended() + moved(before.attended, after.attended));
  month.setWorkersPaid(month.getWorkersPaid() + moved(before.paid, after.paid));
  month.setWorkersPaidByPayday(month.getWorkersPaidByPayday() +
                               moved(before.paidByPayday, after.paidByPayday));
}

// The earlier (or later) of a stored day and another, so that the result does not depend on the
// order the events came in.
std::string earliest(capnp::Text::Reader stored, capnp::Text::Reader day) {
  if (stored.size() == 0 || std::string_view(day.cStr()) < stored.cStr()) return day.cStr();
  return stored.cStr();
}
std::string latest(capnp::Text::Reader stored, capnp::Text::Reader day) {
  if (stored.size() == 0 || std::string_view(day.cStr()) > stored.cStr()) return day.cStr();
  return stored.cStr();
}

Applied notRegistered(const Project& p) {
  return refuse(rules::record::exists_first, "项目 " + p.id() + " 未登记",
                p.name() + " is not registered");
}

WarningCause projectCause(WarningRule rule, std::string month = "") {
  return {rule, std::move(month), ""};
}
WarningCause workerCause(WarningRule rule, msg::Envelope::Reader event, std::string month = "") {
  return {rule, std::move(month), event.getWorkerId().cStr()};
}

// Everything a project's event needs while it applies: the project, the worker's enrolment when
// the event is about one worker, and the desk that raises and clears warnings.
struct Scene {
  Scene(msg::Envelope::Reader event, capnp::Text::Reader projectId, StateTx& state,
        const WagePaymentPolicy& policy)
      : state(state), project(state, projectId), desk(state, project, policy, out) {
    if (event.hasWorkerId() && event.getWorkerId().size() > 0)
      enrolment.emplace(state, projectId, event.getWorkerId());
  }
  void save() {
    project.save();
    if (enrolment) enrolment->save();
  }
  Applied done() {
    save();
    return std::move(out);
  }

  StateTx& state;
  Applied out;
  Project project;
  std::optional<Enrolment> enrolment;
  WarningDesk desk;
};

Applied projectRegistered(msg::Envelope::Reader event, StateTx& state,
                          const WagePaymentPolicy& policy) {
  auto e = event.getProjectRegistered();
  Scene s(event, e.getProjectId(), state, policy);
  int32_t start = dayOf(e.getStartOn(), "startOn");
  if (dayOf(e.getPlannedEndOn(), "plannedEndOn") < start)
    return refuse(rules::record::dates_in_order, "plannedEndOn 早于 startOn",
                  "plannedEndOn: before startOn");
  auto p = s.project.get();
  if (!s.project.exists()) {
    // Counted in the area and year it was first registered in; registering again updates the
    // rest.
    p.setProjectId(e.getProjectId());
    p.setArea(event.getArea());
    p.setCountedYear(yearOfDay(start));
    s.project.count(measure20::kProjectsMonitored, p.getCountedYear());
  }
  p.setName(e.getName());
  p.setSector(e.getSector());
  p.setOwnerCode(e.getOwnerCode());
  p.setContractorCode(e.getContractorCode());
  p.setGovernmentInvested(e.getGovernmentInvested());
  p.setContractYuan(e.getContractYuan());
  p.setStartOn(e.getStartOn());
  p.setPlannedEndOn(e.getPlannedEndOn());
  p.setPayday(e.getPayday());
  for (const char* area : {p.getArea().cStr(), "all"})
    state.index(projectIndex(area), s.project.key(), start);
  s.desk.settle(projectCause(WarningRule::NO_WAGE_ACCOUNT), nullptr, std::nullopt);
  s.desk.settle(projectCause(WarningRule::NO_WAGE_DEPOSIT), nullptr, std::nullopt);
  return s.done();
}

Applied wageAccountOpened(Scene& s, msg::WageAccountOpened::Reader e) {
  auto p = s.project.get();
  if (p.getAccountOpenedOn().size() > 0) {
    return refuse(rules::record::once, "项目 " + s.project.id() + " 已开设农民工工资专用账户",
                  s.project.name() + " already has a wage account");
  }
  p.setAccountBank(e.getBankName());
  p.setAccountOpenedOn(e.getOpenedOn());
  s.project.count(measure20::kProjectsWithWageAccount, p.getCountedYear());
  s.desk.settle(projectCause(WarningRule::NO_WAGE_ACCOUNT), nullptr,
                dayOf(e.getOpenedOn(), "openedOn"));
  return s.done();
}

Applied wageDepositLodged(Scene& s, msg::WageDepositLodged::Reader e) {
  auto d = s.project.record().append(&msg::WageProject::Builder::getDeposits,
                                     &msg::WageProject::Builder::adoptDeposits);
  d.setAmountYuan(e.getAmountYuan());
  d.setForm(e.getForm());
  d.setLodgedOn(e.getLodgedOn());
  s.desk.settle(projectCause(WarningRule::NO_WAGE_DEPOSIT), nullptr,
                dayOf(e.getLodgedOn(), "lodgedOn"));
  return s.done();
}

Applied labourCostTransferred(Scene& s, msg::LabourCostTransferred::Reader e) {
  auto m = s.project.month(e.getMonth());
  m.setLabourCostYuan(m.getLabourCostYuan() + e.getAmountYuan());
  m.setLabourCostOn(earliest(m.getLabourCostOn(), e.getTransferredOn()));
  s.desk.settle(projectCause(WarningRule::LABOUR_COST_LATE, e.getMonth().cStr()), nullptr,
                dayOf(e.getTransferredOn(), "transferredOn"));
  return s.done();
}

Applied projectWorkerEnrolled(Scene& s, msg::Envelope::Reader event,
                              msg::ProjectWorkerEnrolled::Reader e) {
  auto w = s.enrolment->get();
  if (!s.enrolment->exists()) {
    w.setProjectId(e.getProjectId());
    w.setWorkerId(event.getWorkerId());
    auto p = s.project.get();
    p.setWorkersEnrolled(p.getWorkersEnrolled() + 1);
    s.project.count(measure20::kWorkersEnrolled, yearOfField(e.getEnrolledOn(), "enrolledOn"));
    addToWorker(s.state, event.getWorkerId().cStr(), s.enrolment->key(),
                &msg::WorkerCases::Builder::getProjects, &msg::WorkerCases::Builder::adoptProjects);
    s.state.index(projectWorkersIndex(s.project.id()), s.enrolment->key(),
                  dayOf(e.getEnrolledOn(), "enrolledOn"));
  }
  w.setEmployerCode(e.getEmployerCode());
  w.setTrade(e.getTrade());
  w.setContractSigned(e.getContractSigned());
  w.setEnrolledOn(e.getEnrolledOn());
  return s.done();
}

// After a worker's month changed: the project's month follows, and every warning the month
// bears on is judged again.
void workerMonthChanged(Scene& s, msg::Envelope::Reader event, capnp::Text::Reader month,
                        Standing before, std::optional<int32_t> eventDay) {
  int32_t payday = s.project.paydayAfter(month);
  tally(s.project.month(month), before, standingOf(s.enrolment->month(month), payday));
  std::string m = month.cStr();
  Enrolment* en = &*s.enrolment;
  for (auto rule : {WarningRule::WORKER_UNPAID, WarningRule::PAID_OUTSIDE_ACCOUNT,
                    WarningRule::BELOW_MINIMUM_WAGE}) {
    s.desk.settle(workerCause(rule, event, m), en, eventDay);
  }
  s.desk.settle(workerCause(WarningRule::LEFT_UNPAID, event), en, eventDay);
  s.desk.settle(projectCause(WarningRule::LABOUR_COST_LATE, m), nullptr, eventDay);
  s.desk.settle(projectCause(WarningRule::MANY_UNPAID, m), nullptr, eventDay);
}

Applied attendanceReported(Scene& s, msg::Envelope::Reader event,
                           msg::AttendanceReported::Reader e) {
  auto m = s.enrolment->month(e.getMonth());
  Standing before = standingOf(m, s.project.paydayAfter(e.getMonth()));
  // A later report for the same worker and month replaces the earlier one.
  m.setDaysWorked(e.getDaysWorked());
  workerMonthChanged(s, event, e.getMonth(), before, std::nullopt);
  return s.done();
}

Applied wagePaid(Scene& s, msg::Envelope::Reader event, msg::WagePaid::Reader e) {
  auto m = s.enrolment->month(e.getMonth());
  Standing before = standingOf(m, s.project.paydayAfter(e.getMonth()));
  m.setPaidYuan(m.getPaidYuan() + e.getAmountYuan());
  m.setFirstPaidOn(earliest(m.getFirstPaidOn(), e.getPaidOn()));
  m.setLastPaidOn(latest(m.getLastPaidOn(), e.getPaidOn()));
  if (e.getThroughWageAccount()) {
    m.setThroughAccountOn(latest(m.getThroughAccountOn(), e.getPaidOn()));
  } else {
    m.setOutsideAccountOn(earliest(m.getOutsideAccountOn(), e.getPaidOn()));
  }
  auto pm = s.project.month(e.getMonth());
  pm.setLastPaidOn(latest(pm.getLastPaidOn(), e.getPaidOn()));
  workerMonthChanged(s, event, e.getMonth(), before, dayOf(e.getPaidOn(), "paidOn"));
  return s.done();
}

Applied projectWorkerLeft(Scene& s, msg::Envelope::Reader event, msg::ProjectWorkerLeft::Reader e) {
  s.enrolment->get().setLeftOn(e.getLeftOn());
  s.desk.settle(workerCause(WarningRule::LEFT_UNPAID, event), &*s.enrolment,
                dayOf(e.getLeftOn(), "leftOn"));
  return s.done();
}

Applied projectCompleted(Scene& s, msg::ProjectCompleted::Reader e) {
  auto p = s.project.get();
  if (p.getCompletedOn().size() > 0) {
    return refuse(rules::record::stage,
                  "项目 " + s.project.id() + " 已于 " + p.getCompletedOn().cStr() + " 竣工",
                  s.project.name() + " is already completed on " + p.getCompletedOn().cStr());
  }
  p.setCompletedOn(e.getCompletedOn());
  return s.done();
}

// wageWarningRaised comes back through the bus: emitted by this service's timer when a due day
// passed by its clock, it is recorded only now, as it is applied from the log — if the facts
// still say the day was missed (a cure dated in time may have come in between).
Applied wageWarningRaised(Scene& s, msg::Envelope::Reader event, msg::WageWarningRaised::Reader e) {
  WarningCause cause{e.getRule(), e.getMonth().cStr(),
                     event.hasWorkerId() ? event.getWorkerId().cStr() : ""};
  s.desk.settle(cause, s.enrolment ? &*s.enrolment : nullptr, std::nullopt, e.getLevel());
  return s.done();
}

}  // namespace

std::string projectKey(std::string_view projectId) {
  return "project:" + std::string(projectId);
}

std::string enrolmentKey(std::string_view projectId, std::string_view workerId) {
  return projectKey(projectId) + ":worker:" + std::string(workerId);
}

std::string projectIndex(const std::string& area) {
  return "projects:" + area;
}

std::string projectWorkersIndex(const std::string& projectId) {
  return "project-workers:" + projectId;
}

std::string warningIndex(const std::string& status, const std::string& area) {
  return "wage-warnings:" + status + ":" + area;
}

Project::Project(StateTx& state, capnp::Text::Reader projectId)
    : id_(projectId.cStr()), key_(projectKey(id_)), state_(state), record_(state, key_) {}

void Project::count(Indicator indicator, int year, int64_t delta) {
  countIndicator(state_, indicator, get().getArea().cStr(), year, delta);
}

msg::ProjectMonth::Builder Project::month(capnp::Text::Reader month) {
  for (auto m : get().getMonths()) {
    if (m.getMonth() == month) return m;
  }
  auto m = record_.append(&msg::WageProject::Builder::getMonths,
                          &msg::WageProject::Builder::adoptMonths);
  m.setMonth(month);
  return m;
}

int32_t Project::paydayAfter(capnp::Text::Reader month) {
  auto first = parseMonth(month.cStr());
  if (!first)
    throw FieldRefused("month: not a month in the form YYYY-MM", "month 不是 YYYY-MM 格式的月份");
  return addMonths(*first, 1) + get().getPayday() - 1;
}

Enrolment::Enrolment(StateTx& state, capnp::Text::Reader projectId, capnp::Text::Reader workerId)
    : key_(enrolmentKey(projectId.cStr(), workerId.cStr())), record_(state, key_) {}

std::optional<msg::WorkerMonth::Builder> Enrolment::findMonth(capnp::Text::Reader month) {
  for (auto m : get().getMonths()) {
    if (m.getMonth() == month) return m;
  }
  return std::nullopt;
}

msg::WorkerMonth::Builder Enrolment::month(capnp::Text::Reader month) {
  if (auto m = findMonth(month)) return *m;
  auto m = record_.append(&msg::ProjectWorker::Builder::getMonths,
                          &msg::ProjectWorker::Builder::adoptMonths);
  m.setMonth(month);
  return m;
}

std::optional<Applied> applyWagePayment(msg::Envelope::Reader event, StateTx& state,
                                        const WagePaymentPolicy& policy) {
  using E = msg::Envelope;
  if (event.which() == E::PROJECT_REGISTERED) return projectRegistered(event, state, policy);
  std::string subject = subjectOf(event);
  constexpr std::string_view kPrefix = "projectId:";
  if (subject.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::string projectId = subject.substr(kPrefix.size());
  Scene s(event, capnp::Text::Reader(projectId.c_str()), state, policy);
  if (!s.project.exists()) return notRegistered(s.project);
  // Attendance, payments and leaving are about a worker enrolled on the project (条例 art. 28).
  bool needsEnrolment = event.which() == E::ATTENDANCE_REPORTED || event.which() == E::WAGE_PAID ||
                        event.which() == E::PROJECT_WORKER_LEFT ||
                        (event.which() == E::WAGE_WARNING_RAISED && s.enrolment);
  if (needsEnrolment && !s.enrolment->exists()) {
    return refuse(rules::rights::wage_payment::real_name_enrolment,
                  "该农民工未在项目 " + projectId + " 实名登记",
                  "the worker is not enrolled on " + s.project.name());
  }
  switch (event.which()) {
    case E::WAGE_ACCOUNT_OPENED:
      return wageAccountOpened(s, event.getWageAccountOpened());
    case E::WAGE_DEPOSIT_LODGED:
      return wageDepositLodged(s, event.getWageDepositLodged());
    case E::LABOUR_COST_TRANSFERRED:
      return labourCostTransferred(s, event.getLabourCostTransferred());
    case E::PROJECT_WORKER_ENROLLED:
      return projectWorkerEnrolled(s, event, event.getProjectWorkerEnrolled());
    case E::ATTENDANCE_REPORTED:
      return attendanceReported(s, event, event.getAttendanceReported());
    case E::WAGE_PAID:
      return wagePaid(s, event, event.getWagePaid());
    case E::PROJECT_WORKER_LEFT:
      return projectWorkerLeft(s, event, event.getProjectWorkerLeft());
    case E::PROJECT_COMPLETED:
      return projectCompleted(s, event.getProjectCompleted());
    case E::WAGE_WARNING_RAISED:
      return wageWarningRaised(s, event, event.getWageWarningRaised());
    case E::WAGE_WARNING_CLEARED:
      // Recorded when the cure was applied; it comes back only to be in the log.
      return Applied{};
    default:
      return std::nullopt;
  }
}

void wageKeysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) {
  std::string subject = subjectOf(event);
  constexpr std::string_view kPrefix = "projectId:";
  if (subject.rfind(kPrefix, 0) != 0) return;
  std::string projectId = subject.substr(kPrefix.size());
  keys.push_back(projectKey(projectId));
  if (event.hasWorkerId() && event.getWorkerId().size() > 0)
    keys.push_back(enrolmentKey(projectId, event.getWorkerId().cStr()));
}

}  // namespace mwp::rights
