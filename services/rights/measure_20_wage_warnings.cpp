// Measure 20, wage payment at the source: the eight warnings (wage_payment.h lists them with
// their sources) — each rule's judgement over a project's records, and how a warning is raised,
// raised to red in place, cleared, counted and timed.
#include <algorithm>

#include "derived_events.h"
#include "event_kinds.h"
#include "ids.h"
#include "rights_case.h"
#include "rule_fields.h"
#include "wage_ledger.h"
#include "wage_warning_rules.h"

namespace mwp::rights {
namespace {

constexpr int kYellow = static_cast<int>(Level::YELLOW), kRed = static_cast<int>(Level::RED);

std::optional<int32_t> dayIn(capnp::Text::Reader date, std::string_view field) {
  if (date.size() == 0) return std::nullopt;
  return dayOf(date, field);
}

// A condition met on `done` (or not yet) against its due day.
bool missedBy(std::optional<int32_t> done, int32_t due) {
  return !done || *done > due;
}

// The last day of the month `months` after `month` (the labour cost of March by the end of April).
int32_t endOfMonthAfter(capnp::Text::Reader month, int months) {
  auto first = parseMonth(month.cStr());
  if (!first)
    throw FieldRefused("month: not YYYY-MM", "month 不是 YYYY-MM 格式的月份");
  return addMonths(*first, months + 1) - 1;
}

// "More than 10 %" in whole numbers: unpaid ÷ attended > percent ÷ 100.
bool tooMany(uint32_t unpaid, uint32_t attended, int percent) {
  return uint64_t{unpaid} * 100 > uint64_t{attended} * static_cast<uint64_t>(percent);
}

std::optional<msg::ProjectMonth::Builder> findProjectMonth(msg::WageProject::Builder p,
                                                           const std::string& month) {
  for (auto m : p.getMonths()) {
    if (month == m.getMonth().cStr()) return m;
  }
  return std::nullopt;
}

// A figure the same in both languages: a number, a month, a day.
Figure figure(std::string_view name, std::string value) {
  return {name, value, value};
}

// `part` of `whole` in percent, to one decimal: 1 of 9 is "11.1".
std::string percentOf(uint32_t part, uint32_t whole) {
  uint64_t tenths = (uint64_t{part} * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

// The warning's rule and reason, from the register's template with its figures, at `level`.
void setReason(msg::WageWarning::Builder w, RuleId rule, const Judgement& j, Level level) {
  std::string due = formatDate(j.dueOn[static_cast<int>(level)]);
  std::vector<Figure> figures = j.figures;
  figures.push_back(figure("dueOn", due));
  bool red = level == Level::RED;
  figures.push_back({"level", red ? "红色" : "黄色", red ? "red" : "yellow"});
  Reason why = reasonOf(rule, due, figures);
  w.setRule(why.rule);
  w.setReason(why.en);
  w.setReasonZh(why.zh);
}

template <typename Record>
std::optional<msg::WageWarning::Builder> findWarning(Record& record, const std::string& id) {
  for (auto w : record.get().getWarnings()) {
    if (id == w.getWarningId().cStr()) return w;
  }
  return std::nullopt;
}

std::string dayStart(int32_t day) {
  return formatDate(day) + "T00:00:00+08:00";
}

}  // namespace

std::string warningIdOf(const std::string& projectId, const WarningCause& cause) {
  std::string id = projectId + ":" + enumName(cause.rule);
  if (!cause.month.empty()) id += ":" + cause.month;
  // A digest, not the resident ID: warning ids travel in event ids, logs and alerts.
  if (!cause.workerId.empty()) id += ":" + hex64(fnv1a64(cause.workerId));
  return id;
}

Judgement WarningDesk::judge(const WarningCause& c, Enrolment* enrolment) {
  Judgement j;
  auto p = project_.get();
  switch (c.rule) {
    case WarningRule::NO_WAGE_ACCOUNT:
    case WarningRule::NO_WAGE_DEPOSIT: {
      // 条例 art. 26 (account), art. 32 (deposit): within 30 days of the start.
      bool account = c.rule == WarningRule::NO_WAGE_ACCOUNT;
      j.applies = true;
      j.dueOn[kYellow] =
          dayOf(p.getStartOn(), "startOn") + (account ? policy_.accountDays : policy_.depositDays);
      if (account) {
        j.curedOn = dayIn(p.getAccountOpenedOn(), "openedOn");
      } else {
        for (auto d : p.getDeposits()) {
          int32_t lodged = dayOf(d.getLodgedOn(), "lodgedOn");
          if (!j.curedOn || lodged < *j.curedOn) j.curedOn = lodged;
        }
      }
      j.missedOn[kYellow] = missedBy(j.curedOn, j.dueOn[kYellow]);
      j.figures = {
          figure("days", std::to_string(account ? policy_.accountDays : policy_.depositDays))};
      break;
    }
    case WarningRule::LABOUR_COST_LATE: {
      // Art. 24: the owner pays the labour cost into the account at least monthly.
      auto m = findProjectMonth(p, c.month);
      j.applies = m && m->getWorkersAttended() > 0;
      j.dueOn[kYellow] = endOfMonthAfter(c.month.c_str(), policy_.labourCostMonths);
      if (m) j.curedOn = dayIn(m->getLabourCostOn(), "transferredOn");
      j.missedOn[kYellow] = missedBy(j.curedOn, j.dueOn[kYellow]);
      j.figures = {figure("month", c.month)};
      break;
    }
    case WarningRule::WORKER_UNPAID: {
      // Arts. 11–12, 31: paid monthly, by the payday; red when still unpaid at the end of M+2.
      auto m = enrolment->findMonth(c.month.c_str());
      j.applies = m && m->getDaysWorked() > 0;
      j.risesToRed = true;
      j.dueOn[kYellow] = project_.paydayAfter(c.month.c_str());
      j.dueOn[kRed] = endOfMonthAfter(c.month.c_str(), policy_.unpaidRedMonths);
      if (m) j.curedOn = dayIn(m->getFirstPaidOn(), "paidOn");
      j.missedOn[kYellow] = missedBy(j.curedOn, j.dueOn[kYellow]);
      j.missedOn[kRed] = missedBy(j.curedOn, j.dueOn[kRed]);
      j.figures = {figure("month", c.month),
                   figure("days", std::to_string(m ? m->getDaysWorked() : 0))};
      break;
    }
    case WarningRule::MANY_UNPAID: {
      // Platform practice: more than 10 % of the month's workers unpaid on the payday is red.
      auto m = findProjectMonth(p, c.month);
      j.applies = m && m->getWorkersAttended() > 0;
      j.first = Level::RED;
      j.dueOn[kRed] = project_.paydayAfter(c.month.c_str());
      if (j.applies) {
        uint32_t attended = m->getWorkersAttended();
        // At least 0 (and so at most 100 %): the tallies are kept apart, and one counting more
        // paid than attended must not wrap into four billion unpaid.
        auto unpaidOf = [&](uint32_t paid) { return attended - std::min(paid, attended); };
        uint32_t unpaid = unpaidOf(m->getWorkersPaidByPayday());
        j.missedOn[kRed] = tooMany(unpaid, attended, policy_.manyUnpaidPercent);
        if (!tooMany(unpaidOf(m->getWorkersPaid()), attended, policy_.manyUnpaidPercent))
          j.curedOn = dayIn(m->getLastPaidOn(), "paidOn");
        j.figures = {figure("month", c.month), figure("attended", std::to_string(attended)),
                     figure("unpaid", std::to_string(unpaid)),
                     figure("share", percentOf(unpaid, attended)),
                     figure("percent", std::to_string(policy_.manyUnpaidPercent))};
      }
      break;
    }
    case WarningRule::PAID_OUTSIDE_ACCOUNT: {
      // Art. 31: from the wage account straight to the worker; a later payment through the
      // account (the bank's correction) cures it.
      auto m = enrolment->findMonth(c.month.c_str());
      j.applies = policy_.paidOutsideAccount && m && m->getOutsideAccountOn().size() > 0;
      j.immediate = true;
      if (j.applies) {
        j.dueOn[kYellow] = dayOf(m->getOutsideAccountOn(), "paidOn");
        j.missedOn[kYellow] = true;
        auto through = dayIn(m->getThroughAccountOn(), "paidOn");
        if (through && *through > j.dueOn[kYellow]) j.curedOn = through;
        j.figures = {figure("month", c.month)};
      }
      break;
    }
    case WarningRule::LEFT_UNPAID: {
      // Art. 30: the contractor settles first — a worker leaves with every month worked paid.
      auto e = enrolment->get();
      j.applies = policy_.leftUnpaid && e.getLeftOn().size() > 0;
      j.first = Level::RED;
      j.immediate = true;
      if (!j.applies) break;
      j.dueOn[kRed] = dayOf(e.getLeftOn(), "leftOn");
      std::optional<int32_t> allPaid;
      bool unpaid = false;
      int monthsUnpaid = 0;  // on the day of leaving
      for (auto m : e.getMonths()) {
        if (m.getDaysWorked() == 0) continue;
        auto paid = dayIn(m.getFirstPaidOn(), "paidOn");
        monthsUnpaid += missedBy(paid, j.dueOn[kRed]);
        j.missedOn[kRed] = j.missedOn[kRed] || missedBy(paid, j.dueOn[kRed]);
        if (!paid)
          unpaid = true;
        else
          allPaid = std::max(allPaid.value_or(*paid), *paid);
      }
      if (!unpaid) j.curedOn = allPaid;
      j.figures = {figure("months", std::to_string(monthsUnpaid))};
      break;
    }
    case WarningRule::BELOW_MINIMUM_WAGE: {
      // 最低工资规定: at least the monthly minimum × daysWorked ÷ 21.75 (the legal month's
      // working days); off until the area's minimum is set.
      auto minimum = policy_.minimumMonthlyWageYuan.find(p.getArea().cStr());
      auto m = enrolment->findMonth(c.month.c_str());
      j.applies = minimum != policy_.minimumMonthlyWageYuan.end() && m && m->getDaysWorked() > 0 &&
                  m->getPaidYuan() > 0;
      j.immediate = true;
      if (!j.applies) break;
      j.dueOn[kYellow] = dayOf(m->getFirstPaidOn(), "paidOn");
      bool below =
          uint64_t{m->getPaidYuan()} * 2175 < uint64_t{minimum->second} * m->getDaysWorked() * 100;
      j.missedOn[kYellow] = below;
      if (!below) j.curedOn = dayIn(m->getLastPaidOn(), "paidOn");
      j.figures = {figure("month", c.month), figure("days", std::to_string(m->getDaysWorked())),
                   figure("paid", std::to_string(m->getPaidYuan())),
                   figure("minimum", std::to_string(minimum->second))};
      break;
    }
    default:
      throw FieldRefused("rule: not a wage warning rule", "rule 不是工资预警规则");
  }
  return j;
}

void WarningDesk::settle(const WarningCause& cause, Enrolment* enrolment,
                         std::optional<int32_t> eventDay, Level signalled) {
  Judgement j = judge(cause, enrolment);
  if (cause.workerId.empty()) {
    settleIn(project_.record(), project_.key(), cause, j, eventDay, signalled);
    return;
  }
  settleIn(enrolment->record(), enrolment->key(), cause, j, eventDay, signalled);
  if (cause.rule == WarningRule::WORKER_UNPAID) countWorkersUnpaid(*enrolment);
}

template <typename T>
void WarningDesk::settleIn(StoredRecord<T>& record, const std::string& recordKey,
                           const WarningCause& cause, const Judgement& j,
                           std::optional<int32_t> eventDay, Level signalled) {
  std::string id = warningIdOf(project_.id(), cause);
  auto w = findWarning(record, id);
  std::vector<Level> levels{j.first};
  if (j.risesToRed) levels.push_back(Level::RED);
  for (Level level : levels) {
    int l = static_cast<int>(level);
    bool wanted = j.applies && j.missedOn[l] && !(w && w->getClearedOn().size() > 0) &&
                  !(w && w->getLevel() >= level);
    // The due day has passed: by the service's clock (its timer's event is being applied), or by
    // the date of a later event of the project.
    bool passed = j.immediate || (signalled != Level::UNSPECIFIED && signalled >= level) ||
                  (eventDay && *eventDay > j.dueOn[l]);
    if (wanted && passed) {
      if (!w) {
        w = record.append(&T::Builder::getWarnings, &T::Builder::adoptWarnings);
        w->setWarningId(id);
        w->setKind(cause.rule);
        w->setMonth(cause.month);
        w->setWorkerId(cause.workerId);
      }
      raise(*w, recordKey, cause, j, level, signalled != level);
    }
    // A warning the event itself raises has no due day ahead: no timer.
    if (j.immediate) continue;
    if (wanted && !passed && !j.curedOn) {
      state_.setTimer(timer(cause, level), endOfDay(j.dueOn[l]));
    } else {
      state_.clearTimer(timer(cause, level));
    }
  }
  if (w && w->getClearedOn().size() == 0 && j.curedOn) clear(*w, recordKey, cause, *j.curedOn);
}

void WarningDesk::raise(msg::WageWarning::Builder w, const std::string& recordKey,
                        const WarningCause& cause, const Judgement& j, Level level, bool announce) {
  int32_t dueOn = j.dueOn[static_cast<int>(level)];
  auto p = project_.get();
  setReason(w, registerRuleOf(cause.rule), j, level);
  if (w.getLevel() == Level::UNSPECIFIED) {
    w.setLevel(level);
    w.setDueOn(formatDate(dueOn));
    w.setRaisedOn(formatDate(dueOn));
    for (const char* area : {p.getArea().cStr(), "all"})
      state_.index(warningIndex("open", area), recordKey + "#" + w.getWarningId().cStr(), dueOn);
    project_.count(
        level == Level::RED ? measure20::kWarningsRedOpen : measure20::kWarningsYellowOpen,
        yearOfDay(dueOn));
    if (level == Level::RED)
      p.setOpenRed(p.getOpenRed() + 1);
    else
      p.setOpenYellow(p.getOpenYellow() + 1);
  } else {
    // Yellow to red in place: one warning, counted where it was raised.
    int year = yearOfField(w.getRaisedOn(), "raisedOn");
    project_.count(measure20::kWarningsYellowOpen, year, -1);
    project_.count(measure20::kWarningsRedOpen, year);
    w.setLevel(Level::RED);
    w.setRedOn(formatDate(dueOn));
    p.setOpenYellow(p.getOpenYellow() - 1);
    p.setOpenRed(p.getOpenRed() + 1);
  }
  // 措施二十 杜绝政府投资工程项目发生新的欠薪: a red warning on one is a new arrear, once a year.
  if (level == Level::RED && p.getGovernmentInvested()) {
    int year = yearOfDay(dueOn);
    auto years = p.getArrearYears();
    bool counted = false;
    for (int32_t y : years) counted = counted || y == year;
    if (!counted) {
      auto grown = project_.record().orphanage().newOrphan<capnp::List<int32_t>>(years.size() + 1);
      for (unsigned i = 0; i < years.size(); ++i) grown.get().set(i, years[i]);
      grown.get().set(years.size(), year);
      p.adoptArrearYears(kj::mv(grown));
      project_.count(measure20::kGovernmentProjectArrears, year);
    }
  }
  if (announce) out_.derived.push_back(raisedEvent(cause, level, dueOn));
}

void WarningDesk::clear(msg::WageWarning::Builder w, const std::string& recordKey,
                        const WarningCause& cause, int32_t clearedOn) {
  w.setClearedOn(formatDate(clearedOn));
  auto p = project_.get();
  for (const char* area : {p.getArea().cStr(), "all"}) {
    std::string member = recordKey + "#" + w.getWarningId().cStr();
    state_.unindex(warningIndex("open", area), member);
    state_.index(warningIndex("cleared", area), member, clearedOn);
  }
  bool red = w.getLevel() == Level::RED;
  project_.count(red ? measure20::kWarningsRedOpen : measure20::kWarningsYellowOpen,
                 yearOfField(w.getRaisedOn(), "raisedOn"), -1);
  if (red)
    p.setOpenRed(p.getOpenRed() - 1);
  else
    p.setOpenYellow(p.getOpenYellow() - 1);
  std::string id = w.getWarningId().cStr();
  out_.derived.push_back(makeDerivedEvent({"wageWarning:" + id + ":cleared", dayStart(clearedOn),
                                           p.getArea().cStr(), cause.workerId, ""},
                                          [&](msg::Envelope::Builder e) {
                                            auto c = e.initWageWarningCleared();
                                            c.setWarningId(id);
                                            c.setClearedOn(formatDate(clearedOn));
                                            c.setProjectId(project_.id());
                                          }));
}

std::string WarningDesk::raisedEvent(const WarningCause& cause, Level level, int32_t dueOn) {
  std::string id = warningIdOf(project_.id(), cause);
  // Every field a function of the cause and the due day, so the timer's event and a late cure's
  // are one event, and the bus keeps one.
  return makeDerivedEvent({"wageWarning:" + id + ":" + enumName(level), dayStart(dueOn),
                           project_.get().getArea().cStr(), cause.workerId, ""},
                          [&](msg::Envelope::Builder e) {
                            auto r = e.initWageWarningRaised();
                            r.setWarningId(id);
                            r.setProjectId(project_.id());
                            r.setRule(cause.rule);
                            r.setRuleId(registerRuleOf(cause.rule).id);
                            r.setLevel(level);
                            r.setMonth(cause.month);
                            r.setDueOn(formatDate(dueOn));
                          });
}

void WarningDesk::countWorkersUnpaid(Enrolment& enrolment) {
  auto e = enrolment.get();
  std::optional<int> openSince;
  for (auto w : e.getWarnings()) {
    if (w.getKind() != WarningRule::WORKER_UNPAID || w.getClearedOn().size() > 0) continue;
    int year = yearOfField(w.getRaisedOn(), "raisedOn");
    openSince = std::min(openSince.value_or(year), year);
  }
  if (openSince && e.getUnpaidCountedYear() == 0) {
    project_.count(measure20::kWorkersUnpaid, *openSince);
    e.setUnpaidCountedYear(*openSince);
  } else if (!openSince && e.getUnpaidCountedYear() != 0) {
    project_.count(measure20::kWorkersUnpaid, e.getUnpaidCountedYear(), -1);
    e.setUnpaidCountedYear(0);
  }
}

std::string WarningDesk::timer(const WarningCause& cause, Level level) const {
  return "wage|" + project_.id() + "|" + enumName(cause.rule) + "|" + cause.month + "|" +
         cause.workerId + "|" + enumName(level);
}

bool isWageTimer(const std::string& member) {
  return member.rfind("wage|", 0) == 0;
}

Applied onWageTimer(const std::string& member, StateTx& state, const WagePaymentPolicy& policy) {
  // "wage|<projectId>|<rule>|<month>|<workerId>|<level>": the project id may hold a bar, the rest
  // cannot, so the fields are read from the right.
  std::vector<std::string> tail;
  std::string rest = member.substr(5);
  for (int i = 0; i < 4; ++i) {
    auto bar = rest.rfind('|');
    if (bar == std::string::npos) return {};
    tail.push_back(rest.substr(bar + 1));
    rest.resize(bar);
  }
  WarningCause cause;
  std::string projectId = rest;
  Level level = tail[0] == "red" ? Level::RED : Level::YELLOW;
  cause.workerId = tail[1];
  cause.month = tail[2];
  bool known = false;
  for (auto e : capnp::Schema::from<WarningRule>().getEnumerants()) {
    if (tail[3] == e.getProto().getName().cStr()) {
      cause.rule = static_cast<WarningRule>(e.getOrdinal());
      known = true;
    }
  }
  if (!known) return {};
  Applied out;
  return refusingBadFields([&]() -> std::optional<Applied> {
           Project project(state, capnp::Text::Reader(projectId.c_str()));
           if (!project.exists()) return Applied{};
           std::optional<Enrolment> enrolment;
           if (!cause.workerId.empty()) {
             enrolment.emplace(state, capnp::Text::Reader(projectId.c_str()),
                               capnp::Text::Reader(cause.workerId.c_str()));
             if (!enrolment->exists()) return Applied{};
           }
           WarningDesk desk(state, project, policy, out);
           Judgement j = desk.judge(cause, enrolment ? &*enrolment : nullptr);
           int l = static_cast<int>(level);
           std::optional<msg::WageWarning::Builder> w =
               cause.workerId.empty()
                   ? findWarning(project.record(), warningIdOf(projectId, cause))
                   : findWarning(enrolment->record(), warningIdOf(projectId, cause));
           bool done = w && (w->getClearedOn().size() > 0 || w->getLevel() >= level);
           // The state changes when the event comes back from the log (wageWarningRaised).
           if (j.applies && j.missedOn[l] && !done && !j.curedOn)
             out.derived.push_back(desk.raisedEvent(cause, level, j.dueOn[l]));
           return out;
         })
      .value_or(Applied{});
}

}  // namespace mwp::rights
