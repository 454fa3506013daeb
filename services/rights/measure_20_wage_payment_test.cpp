// Measure 20, wage payment at the source, with no sockets and no Redis: each of the eight warning
// rules at its boundary (the due day itself and the day after; exactly 10 % and just over), its
// clearing, and the refusals. A warning is judged on the events' dates: raised by the service's
// clock (a timer, its event applied from the log) or by a late cure — the same warning either way.
#include <gtest/gtest.h>

#include <cctype>

#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "mwp/messages/rights.capnp.h"
#include "rights_case.h"
#include "rights_rules.h"
#include "rules_harness.h"
#include "wage_events.h"

namespace mwp::rights {
namespace {

using test::wage::ProjectEvents;
using test::wage::worker;

const ProjectEvents p1("P-1");

int64_t after(const char* date) {
  return endOfDay(*parseDate(date));
}

std::string describe(msg::WageWarning::Reader w) {
  std::string out = enumName(w.getKind()) + " " + enumName(w.getLevel());
  if (w.getMonth().size() > 0) out += std::string(" ") + w.getMonth().cStr();
  out += std::string(" raised ") + w.getRaisedOn().cStr();
  if (w.getRedOn().size() > 0) out += std::string(" red ") + w.getRedOn().cStr();
  if (w.getClearedOn().size() > 0) out += std::string(" cleared ") + w.getClearedOn().cStr();
  return out;
}

// The rules of one worker's wages: with one worker, any unpaid month is also 100 % unpaid, so
// manyUnpaid is set aside (above 100 %: never) and tested by ManyUnpaidTest with its default.
WagePaymentPolicy oneWorkerPolicy() {
  WagePaymentPolicy p;
  p.manyUnpaidPercent = 100;
  return p;
}

class WagePaymentTest : public ::testing::Test {
 protected:
  explicit WagePaymentTest(WagePaymentPolicy policy = oneWorkerPolicy())
      : rules(DeadlinePolicy{}, WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE),
              std::move(policy)) {}

  // A registered project with its account and deposit in time, and `workers` enrolled.
  void project(int workers = 1, bool government = false) {
    ASSERT_EQ(h.apply(p1.registered("r", government)), "applied");
    ASSERT_EQ(h.apply(p1.accountOpened("a", "2026-01-10")), "applied");
    ASSERT_EQ(h.apply(p1.depositLodged("d", "2026-01-10")), "applied");
    for (int n = 1; n <= workers; ++n)
      ASSERT_EQ(h.apply(p1.enrolled("e" + std::to_string(n), worker(n))), "applied");
  }

  // Every warning of the project and its workers, as "rule level [month] raised … [red …]
  // [cleared …]", in key order.
  std::vector<std::string> warnings() {
    std::vector<std::string> out;
    for (const auto& [key, value] : h.state.values) {
      if (!value || key.rfind("project:", 0) != 0) continue;
      FrameReader reader(*value);
      if (key.find(":worker:") != std::string::npos) {
        for (auto w : reader.root<msg::ProjectWorker>().getWarnings()) out.push_back(describe(w));
      } else {
        for (auto w : reader.root<msg::WageProject>().getWarnings()) out.push_back(describe(w));
      }
    }
    return out;
  }

  // Why each warning was raised, as stored: "rule | 中文 | English", in key order.
  std::vector<std::string> reasons() {
    std::vector<std::string> out;
    auto add = [&](msg::WageWarning::Reader w) {
      out.push_back(std::string(w.getRule().cStr()) + " | " + w.getReasonZh().cStr() + " | " +
                    w.getReason().cStr());
    };
    for (const auto& [key, value] : h.state.values) {
      if (!value || key.rfind("project:", 0) != 0) continue;
      FrameReader reader(*value);
      if (key.find(":worker:") != std::string::npos) {
        for (auto w : reader.root<msg::ProjectWorker>().getWarnings()) add(w);
      } else {
        for (auto w : reader.root<msg::WageProject>().getWarnings()) add(w);
      }
    }
    return out;
  }

  // The wage warnings emitted so far: "raised rule level dueOn" or "cleared clearedOn", with
  // their event ids collected in `ids`.
  std::vector<std::string> emitted() {
    std::vector<std::string> out;
    for (const auto& e : h.derivedEvents()) {
      auto envelope = e->root<msg::Envelope>();
      ids.insert(envelope.getEventId().cStr());
      if (envelope.isWageWarningRaised()) {
        auto r = envelope.getWageWarningRaised();
        // Each warning names its rule of the register: noWageAccount → …no_wage_account.
        std::string rule = "rights.wage_warning.";
        for (unsigned char c : enumName(r.getRule())) {
          if (std::isupper(c)) rule += '_';
          rule += static_cast<char>(std::tolower(c));
        }
        EXPECT_EQ(std::string(r.getRuleId().cStr()), rule);
        out.push_back("raised " + enumName(r.getRule()) + " " + enumName(r.getLevel()) + " " +
                      r.getDueOn().cStr());
      } else if (envelope.isWageWarningCleared()) {
        out.push_back(std::string("cleared ") +
                      envelope.getWageWarningCleared().getClearedOn().cStr());
      }
    }
    return out;
  }

  // Fires the timers due at `now` and applies what they raised, as it comes back from the log.
  std::vector<std::string> clockPasses(int64_t now) {
    h.fireTimers(now);
    return h.applyDerived();
  }

  int64_t open(Indicator indicator, int year = 2026) {
    return h.indicator(year, indicator, "510703");
  }

  RightsRules rules;
  test::RulesHarness h{rules};
  std::set<std::string> ids;
};

using Strings = std::vector<std::string>;

// --- noWageAccount (条例 art. 26): a wage account within 30 days of startOn (2026-01-05 + 30).

TEST_F(WagePaymentTest, AnAccountOpenedOnItsDueDayRaisesNothing) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  EXPECT_EQ(h.apply(p1.accountOpened("a", "2026-02-04")), "applied");
  EXPECT_EQ(clockPasses(after("2026-12-31")), Strings{});
  EXPECT_EQ(warnings(), Strings{});
  EXPECT_EQ(open(measure20::kProjectsWithWageAccount), 1);
}

TEST_F(WagePaymentTest, AnAccountOpenedTheDayAfterLeavesTheWarningRaisedAndCleared) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  EXPECT_EQ(h.apply(p1.accountOpened("a", "2026-02-05")), "applied");
  EXPECT_EQ(warnings(), Strings{"noWageAccount yellow raised 2026-02-04 cleared 2026-02-05"});
  EXPECT_EQ(emitted(), (Strings{"raised noWageAccount yellow 2026-02-04", "cleared 2026-02-05"}));
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 0);
}

TEST_F(WagePaymentTest, TheServicesClockRaisesNoWageAccountAtTheEndOfItsDueDay) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  EXPECT_EQ(clockPasses(after("2026-02-04") - 1), Strings{}) << "still in time on its last day";
  EXPECT_EQ(warnings(), Strings{});
  EXPECT_EQ(clockPasses(after("2026-02-04")), Strings{"applied"});
  EXPECT_EQ(warnings(), Strings{"noWageAccount yellow raised 2026-02-04"});
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 1);
  EXPECT_EQ(h.apply(p1.accountOpened("a", "2026-03-01")), "applied");
  EXPECT_EQ(warnings(), Strings{"noWageAccount yellow raised 2026-02-04 cleared 2026-03-01"});
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 0);
  EXPECT_EQ(emitted(), (Strings{"raised noWageAccount yellow 2026-02-04", "cleared 2026-03-01"}));
}

// The result depends on the events alone: the timer's raised event and a late cure's are the
// same event (the bus keeps one), and the warning is the same.
TEST_F(WagePaymentTest, ALateCureGivesTheSameWarningWhetherTheClockPassedFirstOrNot) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  clockPasses(after("2026-02-04"));
  h.apply(p1.accountOpened("a", "2026-03-01"));
  emitted();

  test::RulesHarness late{rules};
  late.apply(p1.registered("r"));
  late.apply(p1.depositLodged("d", "2026-01-10"));
  late.apply(p1.accountOpened("a", "2026-03-01"));
  std::set<std::string> lateIds;
  for (const auto& e : late.derivedEvents())
    lateIds.insert(e->root<msg::Envelope>().getEventId().cStr());
  EXPECT_EQ(ids, lateIds);
  EXPECT_EQ(late.state.values.at("project:P-1"), h.state.values.at("project:P-1"));
  EXPECT_EQ(late.state.counters, h.state.counters);
}

TEST_F(WagePaymentTest, AWarningIsRaisedOnceHoweverOftenItsEventComesBack) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  h.fireTimers(after("2026-02-04"));
  FrameReader raised(h.derived.at(0));
  EXPECT_EQ(h.apply(raised.root<msg::Envelope>()), "applied");
  EXPECT_EQ(h.apply(raised.root<msg::Envelope>()), "applied");
  EXPECT_EQ(warnings(), Strings{"noWageAccount yellow raised 2026-02-04"});
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 1);
  EXPECT_EQ(h.fireTimers(after("2026-12-31")), 0u);
}

// An alarm the facts overtake: the timer fired, but the bank's record of an account opened in
// time arrives before the alarm comes back from the log.
TEST_F(WagePaymentTest, AnAlarmOvertakenByACureInTimeRecordsNothing) {
  h.apply(p1.registered("r"));
  h.apply(p1.depositLodged("d", "2026-01-10"));
  h.fireTimers(after("2026-02-04"));
  h.apply(p1.accountOpened("a", "2026-02-01"));
  EXPECT_EQ(h.applyDerived(), Strings{"applied"});
  EXPECT_EQ(warnings(), Strings{});
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 0);
}

// --- noWageDeposit (art. 32): a wage deposit within 30 days of startOn.

TEST_F(WagePaymentTest, ADepositOnItsDueDayIsInTimeTheDayAfterIsLate) {
  h.apply(p1.registered("r"));
  h.apply(p1.accountOpened("a", "2026-01-10"));
  h.apply(p1.depositLodged("d", "2026-02-04"));
  EXPECT_EQ(warnings(), Strings{});

  test::RulesHarness late{rules};
  late.apply(p1.registered("r"));
  late.apply(p1.accountOpened("a", "2026-01-10"));
  EXPECT_EQ(late.fireTimers(after("2026-02-04")), 1u);
  late.applyDerived();
  late.apply(p1.depositLodged("d", "2026-02-05"));
  FrameReader project(*late.state.values.at("project:P-1"));
  ASSERT_EQ(project.root<msg::WageProject>().getWarnings().size(), 1u);
  EXPECT_EQ(describe(project.root<msg::WageProject>().getWarnings()[0]),
            "noWageDeposit yellow raised 2026-02-04 cleared 2026-02-05");
}

// --- labourCostLate (art. 24): a month's labour cost in the account by the end of the next.

TEST_F(WagePaymentTest, LabourCostForAMonthIsDueByTheEndOfTheNext) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-10"));
  EXPECT_EQ(h.apply(p1.labourCost("c", "2026-02", "2026-03-31")), "applied");
  EXPECT_EQ(clockPasses(after("2026-12-31")), Strings{});
  EXPECT_EQ(warnings(), Strings{});
}

TEST_F(WagePaymentTest, LabourCostADayLateIsRaisedAndCleared) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-10"));
  EXPECT_EQ(clockPasses(after("2026-03-31") - 1), Strings{});
  EXPECT_EQ(clockPasses(after("2026-03-31")), Strings{"applied"});
  EXPECT_EQ(warnings(), Strings{"labourCostLate yellow 2026-02 raised 2026-03-31"});
  h.apply(p1.labourCost("c", "2026-02", "2026-04-01"));
  EXPECT_EQ(warnings(),
            Strings{"labourCostLate yellow 2026-02 raised 2026-03-31 cleared 2026-04-01"});
}

// --- workerUnpaid (arts. 11–12, 31): paid for M by the payday (15th) of M+1; red at the end of
// M+2, in place.

TEST_F(WagePaymentTest, PaidOnThePaydayIsInTime) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-15"));
  EXPECT_EQ(clockPasses(after("2026-12-31")), Strings{});
  EXPECT_EQ(warnings(), Strings{});
}

TEST_F(WagePaymentTest, PaidTheDayAfterThePaydayIsAYellowWarningCleared) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-16"));
  EXPECT_EQ(warnings(),
            Strings{"workerUnpaid yellow 2026-02 raised 2026-03-15 cleared 2026-03-16"});
  EXPECT_EQ(open(measure20::kWorkersUnpaid), 0);
}

TEST_F(WagePaymentTest, StillUnpaidAtTheEndOfTheSecondMonthTheWarningTurnsRedInPlace) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  EXPECT_EQ(clockPasses(after("2026-03-15")), Strings{"applied"});
  EXPECT_EQ(warnings(), Strings{"workerUnpaid yellow 2026-02 raised 2026-03-15"});
  EXPECT_EQ(open(measure20::kWorkersUnpaid), 1);
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 1);
  EXPECT_EQ(clockPasses(after("2026-04-30") - 1), Strings{}) << "yellow on the last day of M+2";
  EXPECT_EQ(clockPasses(after("2026-04-30")), Strings{"applied"});
  EXPECT_EQ(warnings(), Strings{"workerUnpaid red 2026-02 raised 2026-03-15 red 2026-04-30"})
      << "one warning, not two";
  EXPECT_EQ(open(measure20::kWarningsYellowOpen), 0);
  EXPECT_EQ(open(measure20::kWarningsRedOpen), 1);
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-05-08"));
  EXPECT_EQ(
      warnings(),
      Strings{"workerUnpaid red 2026-02 raised 2026-03-15 red 2026-04-30 cleared 2026-05-08"});
  EXPECT_EQ(open(measure20::kWarningsRedOpen), 0);
  EXPECT_EQ(open(measure20::kWorkersUnpaid), 0);
  EXPECT_EQ(emitted(), (Strings{"raised workerUnpaid yellow 2026-03-15",
                                "raised workerUnpaid red 2026-04-30", "cleared 2026-05-08"}));
}

TEST_F(WagePaymentTest, AWarningSaysWhyWithItsFiguresAndSaysItAgainWhenItTurnsRed) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02", 18));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  clockPasses(after("2026-03-15"));
  EXPECT_EQ(reasons(), Strings{"rights.wage_warning.worker_unpaid | "
                               "该农民工2026-02出勤18天，至2026-03-15仍未发放工资，黄色预警 | "
                               "the worker worked 18 days in 2026-02 and was still unpaid on "
                               "2026-03-15: a yellow warning"});
  clockPasses(after("2026-04-30"));
  EXPECT_EQ(reasons(), Strings{"rights.wage_warning.worker_unpaid | "
                               "该农民工2026-02出勤18天，至2026-04-30仍未发放工资，红色预警 | "
                               "the worker worked 18 days in 2026-02 and was still unpaid on "
                               "2026-04-30: a red warning"});
}

TEST_F(WagePaymentTest, ALateDepositAndALeavingUnpaidSayTheirDaysAndMonths) {
  ASSERT_EQ(h.apply(p1.registered("r", false)), "applied");
  h.apply(p1.accountOpened("a", "2026-01-10"));
  h.apply(p1.depositLodged("d", "2026-02-05"));  // due 2026-02-04
  h.apply(p1.enrolled("e", worker(1)));
  h.apply(p1.attended("t1", worker(1), "2026-02"));
  h.apply(p1.attended("t2", worker(1), "2026-03"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.labourCost("c2", "2026-03", "2026-04-01"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-10"));
  h.apply(p1.left("l", worker(1), "2026-04-01"));
  EXPECT_EQ(reasons(),
            (Strings{"rights.wage_warning.no_wage_deposit | "
                     "开工30日内未存储工资保证金（应于2026-02-04前存储），黄色预警 | "
                     "no wage deposit lodged within 30 days of the start (due by 2026-02-04): a "
                     "yellow warning",
                     "rights.wage_warning.left_unpaid | "
                     "该农民工于2026-04-01退场时，仍有1个出勤月份的工资未发放，红色预警 | "
                     "the worker left on 2026-04-01 with the wages of 1 month(s) worked unpaid: a "
                     "red warning"}));
}

TEST_F(WagePaymentTest, PaidOnTheLastDayOfTheSecondMonthStaysYellowTheDayAfterIsRed) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-04-30"));
  h.apply(p1.attended("t2", worker(1), "2026-04"));
  h.apply(p1.labourCost("c2", "2026-04", "2026-05-01"));
  h.apply(p1.paid("p2", worker(1), "2026-04", "2026-07-01"));
  EXPECT_EQ(warnings(), (Strings{"workerUnpaid yellow 2026-02 raised 2026-03-15 cleared 2026-04-30",
                                 "workerUnpaid red 2026-04 raised 2026-05-15 red 2026-06-30 "
                                 "cleared 2026-07-01"}));
}

TEST_F(WagePaymentTest, NoDaysWorkedNoWagesOwed) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02", 0));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  EXPECT_EQ(clockPasses(after("2026-12-31")), Strings{});
  EXPECT_EQ(warnings(), Strings{});
}

// --- manyUnpaid (platform practice): more than 10 % of a month's workers unpaid on the payday.

class ManyUnpaidTest : public WagePaymentTest {
 protected:
  ManyUnpaidTest() : WagePaymentTest(WagePaymentPolicy{}) {}
  // `workers` worked in February; all but `late` were paid by the payday, those on 2026-03-20.
  void month(int workers, int late) {
    project(workers);
    h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
    for (int n = 1; n <= workers; ++n) {
      h.apply(p1.attended("t" + std::to_string(n), worker(n), "2026-02"));
      h.apply(p1.paid("p" + std::to_string(n), worker(n), "2026-02",
                      n <= workers - late ? "2026-03-10" : "2026-03-20"));
    }
  }
  std::vector<std::string> manyUnpaid() {
    std::vector<std::string> out;
    for (const auto& w : warnings())
      if (w.rfind("manyUnpaid", 0) == 0) out.push_back(w);
    return out;
  }
};

TEST_F(ManyUnpaidTest, ExactlyTenPercentUnpaidIsNotMany) {
  month(10, 1);
  EXPECT_EQ(manyUnpaid(), Strings{});
}

TEST_F(ManyUnpaidTest, JustOverTenPercentIsARedWarningClearedWhenTheLastIsPaid) {
  month(9, 1);  // 1 of 9: 11.1 %
  EXPECT_EQ(manyUnpaid(), Strings{"manyUnpaid red 2026-02 raised 2026-03-15 cleared 2026-03-20"});
  // The project's own warning comes first (the late worker's own, workerUnpaid, after it).
  EXPECT_EQ(reasons().at(0),
            "rights.wage_warning.many_unpaid | "
            "2026-02有出勤的9名农民工中1名（11.1%）至发薪日2026-03-15未发工资，超过10%，"
            "红色预警 | 1 of the 9 workers with attendance in 2026-02 (11.1 %) were unpaid "
            "on the payday, 2026-03-15: more than 10 %, a red warning");
}

TEST_F(ManyUnpaidTest, TheClockRaisesItOnThePaydayAndItClearsAtTenPercent) {
  project(10);
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  for (int n = 1; n <= 10; ++n) h.apply(p1.attended("t" + std::to_string(n), worker(n), "2026-02"));
  for (int n = 1; n <= 8; ++n)
    h.apply(p1.paid("p" + std::to_string(n), worker(n), "2026-02", "2026-03-10"));
  EXPECT_EQ(clockPasses(after("2026-03-15") - 1), Strings{});
  clockPasses(after("2026-03-15"));
  EXPECT_EQ(manyUnpaid(), Strings{"manyUnpaid red 2026-02 raised 2026-03-15"});
  h.apply(p1.paid("p9", worker(9), "2026-02", "2026-03-25"));
  EXPECT_EQ(manyUnpaid(), Strings{"manyUnpaid red 2026-02 raised 2026-03-15 cleared 2026-03-25"})
      << "one of ten still unpaid: no longer more than 10 %";
}

// --- paidOutsideAccount (art. 31): wages from the wage account straight to the worker.

TEST_F(WagePaymentTest, WagesPaidOutsideTheAccountAreAWarningUntilTheAccountPays) {
  project();
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-10", 3000, false));
  EXPECT_EQ(warnings(), Strings{"paidOutsideAccount yellow 2026-02 raised 2026-03-10"});
  h.apply(p1.paid("p2", worker(1), "2026-02", "2026-03-10", 3000, true));
  EXPECT_EQ(warnings(), Strings{"paidOutsideAccount yellow 2026-02 raised 2026-03-10"})
      << "the same day through the account does not undo the payment outside it";
  h.apply(p1.paid("p3", worker(1), "2026-02", "2026-03-11", 1, true));
  EXPECT_EQ(warnings(),
            Strings{"paidOutsideAccount yellow 2026-02 raised 2026-03-10 cleared 2026-03-11"});
}

// --- leftUnpaid (art. 30): the contractor settles before the worker leaves.

TEST_F(WagePaymentTest, LeavingPaidOnTheDayOfLeavingRaisesNothing) {
  project();
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-01"));
  EXPECT_EQ(h.apply(p1.left("l", worker(1), "2026-03-01")), "applied");
  EXPECT_EQ(warnings(), Strings{});
}

TEST_F(WagePaymentTest, LeavingWithAMonthUnpaidIsRedUntilPaid) {
  project();
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.attended("t", worker(1), "2026-02"));
  h.apply(p1.left("l", worker(1), "2026-03-01"));
  EXPECT_EQ(warnings(), Strings{"leftUnpaid red raised 2026-03-01"});
  EXPECT_EQ(open(measure20::kWarningsRedOpen), 1);
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-02"));
  EXPECT_EQ(warnings(), Strings{"leftUnpaid red raised 2026-03-01 cleared 2026-03-02"});
  EXPECT_EQ(open(measure20::kWarningsRedOpen), 0);
}

// A red warning on a government-invested project is a new arrear (措施二十), once a year.
TEST_F(WagePaymentTest, RedOnAGovernmentInvestedProjectIsANewArrearOnceAYear) {
  project(2, true);
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  for (int n = 1; n <= 2; ++n) {
    h.apply(p1.attended("t" + std::to_string(n), worker(n), "2026-02"));
    h.apply(p1.left("l" + std::to_string(n), worker(n), "2026-03-01"));
  }
  EXPECT_EQ(open(measure20::kWarningsRedOpen), 2);
  EXPECT_EQ(open(measure20::kGovernmentProjectArrears), 1);
}

// --- belowMinimumWage (最低工资规定): at least the minimum × daysWorked ÷ 21.75.

class MinimumWageTest : public WagePaymentTest {
 protected:
  MinimumWageTest() : WagePaymentTest(policy()) {}
  static WagePaymentPolicy policy() {
    WagePaymentPolicy p = oneWorkerPolicy();
    p.minimumMonthlyWageYuan["510703"] = 2175;  // 20 days: at least 2000 yuan
    return p;
  }
};

// February's 20 days worked, with its labour cost in time, paid `yuan` on 2026-03-10.
void workedAndPaid(test::RulesHarness& h, int yuan) {
  h.apply(p1.labourCost("c", "2026-02", "2026-03-01"));
  h.apply(p1.attended("t", worker(1), "2026-02", 20));
  h.apply(p1.paid("p", worker(1), "2026-02", "2026-03-10", yuan));
}

TEST_F(MinimumWageTest, PaidTheMinimumExactlyRaisesNothing) {
  project();
  workedAndPaid(h, 2000);
  EXPECT_EQ(warnings(), Strings{});
}

TEST_F(MinimumWageTest, AYuanBelowIsAWarningUntilTheRestIsPaid) {
  project();
  workedAndPaid(h, 1999);
  EXPECT_EQ(warnings(), Strings{"belowMinimumWage yellow 2026-02 raised 2026-03-10"});
  EXPECT_EQ(reasons(),
            Strings{"rights.wage_warning.below_minimum_wage | "
                    "该农民工2026-02出勤20天，发放工资1999元，低于最低工资标准2175元×20"
                    "÷21.75，黄色预警 | paid 1999 yuan for 20 days worked in 2026-02, "
                    "below the minimum wage of 2175 yuan × 20 ÷ 21.75: a yellow warning"});
  h.apply(p1.paid("p2", worker(1), "2026-02", "2026-03-12", 1));
  EXPECT_EQ(warnings(),
            Strings{"belowMinimumWage yellow 2026-02 raised 2026-03-10 cleared 2026-03-12"});
}

TEST_F(WagePaymentTest, WithoutAMinimumSetTheMinimumWageRuleIsOff) {
  project();
  workedAndPaid(h, 1);
  EXPECT_EQ(warnings(), Strings{});
}

// --- refusals: the reason, and nothing changed.

TEST_F(WagePaymentTest, EventsOfAnUnknownProjectAreRefused) {
  EXPECT_EQ(h.apply(p1.accountOpened("a", "2026-01-10")),
            "refused: project P-1 is not registered");
  EXPECT_EQ(h.apply(ProjectEvents("P-2").enrolled("e", worker(1))),
            "refused: project P-2 is not registered");
  EXPECT_TRUE(h.state.values.empty());
}

TEST_F(WagePaymentTest, AttendanceAndPaymentsOfAWorkerNotEnrolledAreRefused) {
  project();
  const std::string reason =
      "refused: the worker is not enrolled on project P-1";
  EXPECT_EQ(h.apply(p1.attended("t", worker(2), "2026-02")), reason);
  EXPECT_EQ(h.apply(p1.paid("p", worker(2), "2026-02", "2026-03-10")), reason);
  EXPECT_EQ(h.apply(p1.left("l", worker(2), "2026-03-10")), reason);
  EXPECT_EQ(reason.find(worker(2)), std::string::npos) << "no resident ID in a verdict";
}

TEST_F(WagePaymentTest, ASecondCompletionIsRefused) {
  project();
  EXPECT_EQ(h.apply(p1.completed("c1", "2026-12-20")), "applied");
  EXPECT_EQ(
      h.apply(p1.completed("c2", "2026-12-21")),
      "refused: project P-1 is already completed on 2026-12-20");
}

TEST_F(WagePaymentTest, TheFiguresOfMeasure20CountProjectsAccountsAndWorkers) {
  project(3);
  EXPECT_EQ(open(measure20::kProjectsMonitored), 1);
  EXPECT_EQ(open(measure20::kProjectsWithWageAccount), 1);
  EXPECT_EQ(open(measure20::kWorkersEnrolled), 3);
  h.apply(p1.registered("r2"));  // registering again updates
  h.apply(p1.enrolled("e1b", worker(1)));
  EXPECT_EQ(open(measure20::kProjectsMonitored), 1);
  EXPECT_EQ(open(measure20::kWorkersEnrolled), 3);
}

}  // namespace
}  // namespace mwp::rights
