// The rights rules with no sockets and no Redis: each deadline at its boundary and each refusal.
#include "rights_rules.h"

#include <gtest/gtest.h>

#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "mwp/messages/rights.capnp.h"
#include "rules_harness.h"

namespace mwp::rights {
namespace {

using test::event;

constexpr const char* kWorker = "510703199005121230";
constexpr const char* kEmployer = "91512081MA62K0260E";

// The first moment after `date` in China: when a deadline on `date` has passed.
int64_t after(const char* date) {
  return (int64_t{*parseDate(date)} + 1) * 86400 - 8 * 3600;
}

std::string wageFiled(const std::string& id, const std::string& caseNo, const std::string& on,
                      bool government = false, const std::string& owedUntil = "") {
  return event(id, "wageClaimFiled",
               R"({"caseNo":")" + caseNo + R"(","employerCode":")" + kEmployer +
                   R"(","project":"安置房","governmentInvested":)" +
                   (government ? "true" : "false") +
                   R"(,"amountYuan":50000,"workersAffected":8,"channel":"hotline","filedOn":")" +
                   on + (owedUntil.empty() ? "" : R"(","owedUntil":")" + owedUntil) + "\"}",
               kWorker);
}
std::string wageRejected(const std::string& id, const std::string& caseNo, const std::string& on) {
  return event(id, "wageClaimRejected",
               R"({"caseNo":")" + caseNo +
                   R"(","reason":"不属于劳动保障监察职责范围","decidedOn":")" + on + "\"}");
}
std::string wageAccepted(const std::string& id, const std::string& caseNo, const std::string& on) {
  return event(id, "wageClaimAccepted",
               R"({"caseNo":")" + caseNo + R"(","acceptedOn":")" + on + "\"}");
}
std::string wageExtended(const std::string& id, const std::string& caseNo, int days) {
  return event(id, "wageClaimExtended",
               R"({"caseNo":")" + caseNo + R"(","days":)" + std::to_string(days) +
                   R"(,"extendedOn":"2026-03-20"})");
}
std::string wageResolved(const std::string& id, const std::string& caseNo, const std::string& on) {
  return event(id, "wageClaimResolved",
               R"({"caseNo":")" + caseNo +
                   R"(","recoveredYuan":45000,"outcome":"partlyPaid","resolvedOn":")" + on + "\"}");
}
std::string disputeFiled(const std::string& id, const std::string& caseNo, const std::string& on) {
  return event(id, "disputeFiled",
               R"({"caseNo":")" + caseNo + R"(","category":"wages","claimYuan":20000,"filedOn":")" +
                   on + "\"}",
               kWorker);
}
std::string disputeAccepted(const std::string& id, const std::string& caseNo,
                            const std::string& on) {
  return event(id, "disputeAccepted",
               R"({"caseNo":")" + caseNo + R"(","simplified":true,"acceptedOn":")" + on + "\"}");
}

class RightsRulesTest : public ::testing::Test {
 protected:
  // The deadline of `stage` in a case's record: "dueOn done late overdue".
  std::string deadline(const std::string& key, msg::CaseStage stage) {
    auto stored = h.state.get(key);
    if (!stored) return "no case";
    FrameReader reader(*stored);
    for (auto d : reader.root<msg::RightsCase>().getDeadlines()) {
      if (d.getStage() != stage) continue;
      return std::string(d.getDueOn().cStr()) + (d.getDoneOn().size() ? " done" : "") +
             (d.getLate() ? " late" : "") + (d.getOverdue() ? " overdue" : "") +
             (d.getCalendarMissing() ? " calendarMissing " + std::to_string(d.getCalendarMissing())
                                     : "");
    }
    return "no deadline";
  }

  // The rule each stage's period comes from, "stage rule" in the order the stages were opened.
  std::vector<std::string> deadlineRules(const std::string& key) {
    std::vector<std::string> out;
    FrameReader reader(h.state.get(key).value_or(""));
    for (auto d : reader.root<msg::RightsCase>().getDeadlines())
      out.push_back(enumName(d.getStage()) + " " + d.getRule().cStr());
    return out;
  }

  // The caseOverdue events emitted so far: "caseNo stage dueOn".
  std::vector<std::string> overdue() {
    std::vector<std::string> out;
    for (const auto& e : h.derivedEvents()) {
      auto o = e->root<msg::Envelope>().getCaseOverdue();
      out.push_back(std::string(o.getCaseNo().cStr()) + " " + enumName(o.getStage()) + " " +
                    o.getDueOn().cStr());
    }
    return out;
  }

  RightsRules rules{DeadlinePolicy{}, WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)};
  test::RulesHarness h{rules};
};

TEST_F(RightsRulesTest, AcceptanceIsDueOnTheFifthWorkingDayOverAWeekend) {
  EXPECT_EQ(h.apply(wageFiled("w1", "WC-1", "2026-03-06")), "applied");  // a Friday
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-03-13");
  EXPECT_EQ(h.apply(wageAccepted("w2", "WC-1", "2026-03-13")), "applied");
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-03-13 done");
  EXPECT_EQ(h.indicator(2026, measure20::kStagesLate, "510703"), 0);
}

TEST_F(RightsRulesTest, AcceptanceTheDayAfterIsLate) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  h.apply(wageAccepted("w2", "WC-1", "2026-03-16"));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE),
            "2026-03-13 done late");
  EXPECT_EQ(h.indicator(2026, measure20::kStagesLate, "510703"), 1);
}

TEST_F(RightsRulesTest, AcceptanceOverNationalDayIsDueAfterTheHolidays) {
  h.apply(wageFiled("w1", "WC-1", "2026-09-30"));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-10-13");
}

TEST_F(RightsRulesTest, A2019AcceptanceIsDueOnTheMakeUpSaturdayAfterNationalDay) {
  // 国办发明电〔2018〕15号: 2019-10-01…07 off, Saturday 10-12 worked. Filed Monday 09-30, the five
  // working days are 10-08…10-11 and that Saturday (weekends alone would end on 10-07).
  h.apply(wageFiled("w1", "WC-1", "2019-09-30"));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2019-10-12");
  EXPECT_EQ(h.fireTimers(after("2019-10-12") - 1), 0u) << "still due on the worked Saturday";
  EXPECT_EQ(h.fireTimers(after("2019-10-12")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"WC-1 wageClaimAcceptance 2019-10-12"}));
  h.apply(wageFiled("w2", "WC-2", "2019-09-30"));
  h.apply(wageAccepted("w3", "WC-2", "2019-10-12"));
  EXPECT_EQ(deadline("case:wage:WC-2", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2019-10-12 done");
  h.apply(wageFiled("w4", "WC-3", "2019-09-30"));
  h.apply(wageAccepted("w5", "WC-3", "2019-10-14"));
  EXPECT_EQ(deadline("case:wage:WC-3", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE),
            "2019-10-12 done late");
}

TEST_F(RightsRulesTest, A2019AcceptanceCountsTheMakeUpSundayBeforeNationalDay) {
  // Sunday 2019-09-29 worked: filed Friday 09-27, the days are 09-29, 09-30, 10-08, 10-09, 10-10.
  h.apply(wageFiled("w1", "WC-1", "2019-09-27"));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2019-10-10");
}

TEST_F(RightsRulesTest, ADeadlineInAYearWithoutItsCalendarIsFlaggedWithTheYear) {
  // The list ends with 2026: five working days from Monday 2026-12-28 run into 2027, counted by
  // weekends alone (01-01 would be 元旦) — kept, so the clerk has a date, but marked provisional.
  h.apply(wageFiled("w1", "WC-1", "2026-12-28"));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE),
            "2027-01-04 calendarMissing 2027");
  h.apply(wageFiled("w2", "WC-2", "2026-12-21"));
  EXPECT_EQ(deadline("case:wage:WC-2", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-12-28")
      << "ends in a year with its calendar";
}

TEST_F(RightsRulesTest, APassedDeadlineEmitsOneCaseOverdueAtTheEndOfItsDay) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  EXPECT_EQ(h.fireTimers(after("2026-03-13") - 1), 0u) << "still due on its last day";
  EXPECT_EQ(h.fireTimers(after("2026-03-13")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"WC-1 wageClaimAcceptance 2026-03-13"}));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-03-13")
      << "the timer only raises the event: the state changes as it comes back from the log";
  EXPECT_EQ(h.applyDerived(), (std::vector<std::string>{"applied"}));
  EXPECT_EQ(h.fireTimers(after("2026-12-31")), 0u) << "once per case and stage";
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE),
            "2026-03-13 overdue");
  EXPECT_EQ(h.indicator(2026, measure20::kCasesOverdue, "510703"), 1);
  const auto& derived = h.derivedEvents();  // kept: the envelope reads from its frame
  auto e = derived[0]->root<msg::Envelope>();
  EXPECT_EQ(std::string(e.getEventId().cStr()), "overdue:wage:WC-1:wageClaimAcceptance:2026-03-13");
  EXPECT_EQ(std::string(e.getOccurredAt().cStr()), "2026-03-14T00:00:00+08:00");
}

TEST_F(RightsRulesTest, AStageDoneInTimeEmitsNothing) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  h.apply(wageAccepted("w2", "WC-1", "2026-03-09"));
  h.apply(wageResolved("w3", "WC-1", "2026-04-01"));
  EXPECT_EQ(h.fireTimers(after("2027-12-31")), 0u);
  EXPECT_TRUE(overdue().empty());
  EXPECT_EQ(h.indicator(2026, measure20::kClaimsResolved, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure20::kYuanRecovered, "510703"), 45000);
  EXPECT_EQ(h.indicator(2026, measure20::kCasesOpen, "510703"), 0);
  EXPECT_EQ(h.state.counters["med:2026"]["20|median_days_to_resolve|510703|26"], 1);
}

TEST_F(RightsRulesTest, ACaseArrivingYearsLateIsOverdueAtOnce) {
  h.apply(wageFiled("w1", "WC-OLD", "2024-01-05"));
  EXPECT_EQ(h.fireTimers(test::fixtureNow()), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"WC-OLD wageClaimAcceptance 2024-01-12"}));
  h.applyDerived();
  EXPECT_EQ(h.indicator(2024, measure20::kCasesOverdue, "510703"), 1);
}

// The alarm and the department's report race: the timer fires by the wall clock, the report
// arrives when the department sends it. The log's order decides, the same in every replay.
TEST_F(RightsRulesTest, AnAlarmAfterAStageDoneInTimeRecordsNothing) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  EXPECT_EQ(h.fireTimers(after("2026-03-13")), 1u);
  h.apply(wageAccepted("w2", "WC-1", "2026-03-12"));  // done in time, reported after the alarm
  EXPECT_EQ(h.applyDerived(), (std::vector<std::string>{"applied"}));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-03-13 done");
  EXPECT_EQ(h.indicator(2026, measure20::kCasesOverdue, "510703"), 0);
}

TEST_F(RightsRulesTest, AnAlarmAfterAStageDoneLateIsRecorded) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  EXPECT_EQ(h.fireTimers(after("2026-03-13")), 1u);
  h.apply(wageAccepted("w2", "WC-1", "2026-03-20"));
  EXPECT_EQ(h.applyDerived(), (std::vector<std::string>{"applied"}));
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE),
            "2026-03-13 done late overdue");
  EXPECT_EQ(h.indicator(2026, measure20::kCasesOverdue, "510703"), 1);
}

// 若干规定 art. 18: refused (不予受理) within the 5 working days, the complaint is closed — never
// overdue; after them the refusal is refused with the reason and the case stays due.
TEST_F(RightsRulesTest, ARefusalWithinTheFiveWorkingDaysClosesTheComplaint) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));  // a Friday: due 03-13
  EXPECT_EQ(h.apply(wageRejected("r1", "WC-1", "2026-03-13")), "applied") << "its last day";
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_ACCEPTANCE), "2026-03-13 done");
  EXPECT_EQ(h.fireTimers(after("2027-12-31")), 0u);
  EXPECT_EQ(h.indicator(2026, measure20::kClaimsRejected, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure20::kCasesOpen, "510703"), 0);
  EXPECT_EQ(h.indicator(2026, measure20::kStagesLate, "510703"), 0);
  EXPECT_EQ(h.apply(wageRejected("r2", "WC-1", "2026-03-13")),
            "refused: wage claim WC-1 is already accepted or closed: it can no longer "
            "be refused");
  EXPECT_EQ(h.lastRuleAndZh(),
            "record.stage | 欠薪投诉 WC-1 已受理或已结案，不能再不予受理");
  EXPECT_EQ(h.apply(wageAccepted("a1", "WC-1", "2026-03-13")),
            "refused: wage claim WC-1 is already accepted");
}

TEST_F(RightsRulesTest, ARefusalAfterTheFiveWorkingDaysIsRefusedAndTheCaseStaysOverdue) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-06"));
  EXPECT_EQ(h.apply(wageRejected("r1", "WC-1", "2026-03-16")),
            "refused: a refusal (不予受理) is due within 5 working days of the complaint; "
            "they ended on 2026-03-13 (若干规定 art. 18)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.wage_claim.refusal_in_time | 不予受理须在接到投诉之日起5个工作日内作出，"
            "期限已于 2026-03-13 届满（关于实施《劳动保障监察条例》若干规定第十八条）");
  EXPECT_EQ(h.apply(wageRejected("r2", "WC-1", "2026-03-05")),
            "refused: decidedOn: before the complaint was filed on 2026-03-06");
  EXPECT_EQ(h.lastRuleAndZh(),
            "record.dates_in_order | decidedOn 早于投诉日 2026-03-06");
  EXPECT_EQ(h.fireTimers(after("2026-03-13")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"WC-1 wageClaimAcceptance 2026-03-13"}));
  EXPECT_EQ(h.indicator(2026, measure20::kClaimsRejected, "510703"), 0);
}

// 劳动保障监察条例 art. 20: wages owed until more than 2 years before the complaint are past the
// limit — their acceptance is refused (the clerk refuses the complaint instead); 2 years exactly
// are within it.
TEST_F(RightsRulesTest, AnAcceptancePastTheTwoYearLimitIsRefused) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-02", false, "2024-03-02"));
  EXPECT_EQ(h.apply(wageAccepted("a1", "WC-1", "2026-03-03")), "applied") << "2 years exactly";
  h.apply(wageFiled("w2", "WC-2", "2026-03-02", false, "2024-03-01"));
  EXPECT_EQ(h.apply(wageAccepted("a2", "WC-2", "2026-03-03")),
            "refused: wages owed until 2024-03-01, more than 2 years before the complaint "
            "of 2026-03-02: no longer investigated; record a refusal (wageClaimRejected) "
            "instead (劳动保障监察条例 art. 20)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.wage_claim.limit_2_years | 工资拖欠截至 2024-03-01，至 2026-03-02 "
            "投诉已超过2年，不再查处，应作不予受理（劳动保障监察条例第二十条）");
  EXPECT_EQ(h.apply(wageRejected("r2", "WC-2", "2026-03-03")), "applied");
  h.apply(wageFiled("w3", "WC-3", "2026-03-02"));
  EXPECT_EQ(h.apply(wageAccepted("a3", "WC-3", "2026-03-03")), "applied")
      << "a complaint that does not say until when is not judged by the limit";
}

TEST(RightsLimit, TheTwoYearsAreConfigurable) {
  DeadlinePolicy policy;
  policy.wageClaimLimitYears = 3;
  RightsRules rules{policy, WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)};
  test::RulesHarness h{rules};
  h.apply(wageFiled("w1", "WC-1", "2026-03-02", false, "2023-03-02"));
  EXPECT_EQ(h.apply(wageAccepted("a1", "WC-1", "2026-03-03")), "applied");
  h.apply(wageFiled("w2", "WC-2", "2026-03-02", false, "2023-03-01"));
  EXPECT_NE(h.apply(wageAccepted("a2", "WC-2", "2026-03-03")).find("more than 3 years"),
            std::string::npos);
  EXPECT_NE(h.lastRuleAndZh().find("超过3年"), std::string::npos);
}

TEST_F(RightsRulesTest, ResolutionIsDueSixtyWorkingDaysAfterAcceptancePlusOneExtension) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-02"));
  h.apply(wageAccepted("w2", "WC-1", "2026-03-02"));
  auto due60 = formatDate(WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)
                              .addWorkingDays(*parseDate("2026-03-02"), 60)
                              .day);
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_RESOLUTION), due60);
  EXPECT_EQ(h.apply(wageExtended("w3", "WC-1", 31)),
            "refused: an extension of at most 30 working days");
  EXPECT_EQ(h.apply(wageExtended("w4", "WC-1", 30)), "applied");
  auto due90 = formatDate(WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)
                              .addWorkingDays(*parseDate("2026-03-02"), 90)
                              .day);
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_RESOLUTION), due90);
  EXPECT_EQ(h.apply(wageExtended("w5", "WC-1", 5)),
            "refused: wage claim WC-1 is already extended once");
}

TEST_F(RightsRulesTest, TheAwardIsDueOnTheFortyFifthDayAndAnExtensionMovesItOnce) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-16");
  auto extend = [](const std::string& id, int days) {
    return event(
        id, "disputeExtended",
        R"({"caseNo":"LD-1","days":)" + std::to_string(days) + R"(,"extendedOn":"2026-04-10"})");
  };
  EXPECT_EQ(h.apply(extend("d3", 16)),
            "refused: an extension of at most 15 days (劳动争议调解仲裁法 art. 43)");
  EXPECT_EQ(h.apply(extend("d4", 15)), "applied");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-05-01");
  EXPECT_EQ(h.apply(extend("d5", 1)), "refused: dispute LD-1 is already extended once");
  // The 45th day passes, but the extension holds the award until 05-01.
  EXPECT_EQ(h.fireTimers(after("2026-04-16")), 0u);
  EXPECT_EQ(h.fireTimers(after("2026-05-01")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"LD-1 disputeAward 2026-05-01"}));
}

std::string disputeSuspended(const std::string& id, const std::string& on) {
  return event(id, "disputeSuspended", R"({"caseNo":"LD-1","suspendedOn":")" + on + "\"}");
}
std::string disputeResumed(const std::string& id, const std::string& on) {
  return event(id, "disputeResumed", R"({"caseNo":"LD-1","resumedOn":")" + on + "\"}");
}

// 劳动争议调解仲裁法 art. 42: mediation inside arbitration has no deadline of its own — the 15
// days of art. 14 are for mediation bodies before arbitration. An arbitration mediating past its
// 15th day is in time until the award is due.
TEST_F(RightsRulesTest, MediationInsideArbitrationHasNoDeadline) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_MEDIATION), "no deadline");
  EXPECT_EQ(h.fireTimers(after("2026-04-16") - 1), 0u) << "nothing is due before the award";
  auto mediated = [](const std::string& id) {
    return event(id, "disputeMediated",
                 R"({"caseNo":"LD-1","settled":false,"mediatedOn":"2026-04-01"})", "",
                 "tradeUnion");
  };
  EXPECT_EQ(h.apply(mediated("d3")), "applied");
  EXPECT_EQ(h.apply(mediated("d4")), "refused: dispute LD-1 is already mediated");
  EXPECT_EQ(h.indicator(2026, measure21::kStagesLate, "510703"), 0);
  EXPECT_EQ(h.fireTimers(after("2026-04-16")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"LD-1 disputeAward 2026-04-16"}));
}

// 劳动人事争议仲裁办案规则 art. 46(6): the days a case is suspended (中止, art. 47) do not count
// toward the 45 days (+15) of 劳动争议调解仲裁法 art. 43.
TEST_F(RightsRulesTest, ASuspensionStopsTheAwardClockAndAResumptionRestartsIt) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));  // award due 04-16
  EXPECT_EQ(h.apply(disputeSuspended("s1", "2026-03-10")), "applied");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-16");
  EXPECT_EQ(h.fireTimers(after("2026-12-31")), 0u) << "no clock runs while suspended";
  EXPECT_EQ(h.apply(disputeResumed("r1", "2026-03-20")), "applied");  // 10 days stopped
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-26");
  EXPECT_EQ(h.fireTimers(after("2026-04-26") - 1), 0u) << "still due on its last day";
  EXPECT_EQ(h.fireTimers(after("2026-04-26")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"LD-1 disputeAward 2026-04-26"}));
}

// The alarm can come back before a suspension the department reports late: the stage is then
// overdue, and a resumption moves its day without setting a second alarm (a timer left behind
// would fire in one run of the log and not in another).
TEST_F(RightsRulesTest, AResumptionOfAStageAlreadyOverdueSetsNoSecondAlarm) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));  // award due 04-16
  EXPECT_EQ(h.fireTimers(after("2026-04-16")), 1u);
  EXPECT_EQ(h.applyDerived(), (std::vector<std::string>{"applied"}));
  EXPECT_EQ(h.apply(disputeSuspended("s1", "2026-03-10")), "applied");
  EXPECT_EQ(h.apply(disputeResumed("r1", "2026-03-20")), "applied");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-26 overdue");
  EXPECT_TRUE(h.state.timers.empty());
}

TEST_F(RightsRulesTest, SuspensionsAndTheExtensionAddUp) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  h.apply(disputeSuspended("s1", "2026-03-10"));
  h.apply(disputeResumed("r1", "2026-03-15"));  // 5 days: 04-21
  h.apply(disputeSuspended("s2", "2026-04-01"));
  EXPECT_EQ(h.apply(event("e1", "disputeExtended",
                          R"({"caseNo":"LD-1","days":15,"extendedOn":"2026-04-02"})")),
            "applied")
      << "an extension while suspended waits for the resumption";
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-05-06");
  EXPECT_TRUE(h.state.timers.empty());
  h.apply(disputeResumed("r2", "2026-04-03"));  // 2 days more
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-05-08");
  auto awarded =
      event("a1", "disputeAwarded",
            R"({"caseNo":"LD-1","awardedYuan":100,"final":false,"awardedOn":"2026-05-08"})");
  EXPECT_EQ(h.apply(awarded), "applied");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-05-08 done");
}

TEST_F(RightsRulesTest, ASuspensionIsRefusedOutsideTheAwardPeriodAndAResumptionWithoutOne) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  EXPECT_EQ(h.apply(disputeSuspended("s0", "2026-03-02")),
            "refused: dispute LD-1 is not accepted yet: its arbitration period has not "
            "begun");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 劳动争议仲裁案件 LD-1 尚未受理，"
            "仲裁期限未开始，无从中止");
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  EXPECT_EQ(h.apply(disputeResumed("r0", "2026-03-05")),
            "refused: dispute LD-1 is not suspended: there is nothing to resume (劳动人事争议仲裁办案规则 "
            "art. 47)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 劳动争议仲裁案件 LD-1 未中止审理，"
            "无从恢复（劳动人事争议仲裁办案规则第四十七条）");
  EXPECT_EQ(h.apply(disputeSuspended("s1", "2026-03-01")),
            "refused: suspendedOn: before the case was accepted on 2026-03-02");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | suspendedOn 早于受理日 2026-03-02");
  EXPECT_EQ(h.apply(disputeSuspended("s2", "2026-04-17")),
            "refused: the award period ended on 2026-04-16: a later suspension cannot "
            "stop it (劳动争议调解仲裁法 art. 43)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 仲裁期限已于 2026-04-16 届满，中止不能使其停止计算（劳动争议调解仲裁法第四十三条）");
  EXPECT_EQ(h.apply(disputeSuspended("s3", "2026-04-16")), "applied") << "its last day";
  EXPECT_EQ(h.apply(disputeSuspended("s4", "2026-04-16")),
            "refused: dispute LD-1 is already suspended since 2026-04-16");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 劳动争议仲裁案件 LD-1 已于 2026-04-16 "
            "中止审理");
  EXPECT_EQ(h.apply(disputeResumed("r1", "2026-04-15")),
            "refused: resumedOn: before the suspension of 2026-04-16");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | resumedOn 早于中止日 2026-04-16");
  auto awarded =
      event("a1", "disputeAwarded",
            R"({"caseNo":"LD-1","awardedYuan":100,"final":false,"awardedOn":"2026-04-20"})");
  EXPECT_EQ(h.apply(awarded),
            "refused: dispute LD-1 is suspended: resume it before the award (劳动人事争议仲裁办案规则 "
            "art. 47)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 劳动争议仲裁案件 LD-1 中止审理中，"
            "恢复审理后方可裁决（劳动人事争议仲裁办案规则第四十七条）");
  h.apply(event("c1", "disputeClosed",
                R"({"caseNo":"LD-1","outcome":"withdrawn","closedOn":"2026-05-10"})"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-16 done")
      << "withdrawn while suspended: its clock stopped in time, so not late";
  EXPECT_EQ(h.apply(disputeSuspended("s5", "2026-04-16")),
            "refused: dispute LD-1 is already closed: it cannot be suspended");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.dispute.suspension | 劳动争议仲裁案件 LD-1 已结案，不能中止审理");
}

// The alarm and the suspension race as the alarm and any report do (above): the log decides.
TEST_F(RightsRulesTest, AnAlarmAfterASuspensionInTimeRecordsNothing) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  EXPECT_EQ(h.fireTimers(after("2026-04-16")), 1u);
  h.apply(disputeSuspended("s1", "2026-04-10"));  // in time, reported after the alarm
  EXPECT_EQ(h.applyDerived(), (std::vector<std::string>{
                                  "applied: not overdue: the stage's clock stopped on 2026-04-10"}));
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.deadline.alarm_after_stop | 期限已于 2026-04-10 停止计算，不记为超期");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-16");
  EXPECT_EQ(h.indicator(2026, measure21::kCasesOverdue, "510703"), 0);
}

TEST_F(RightsRulesTest, DisputeAcceptanceIsDueFiveCalendarDaysAfterFiling) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-06"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_ACCEPTANCE), "2026-03-11");
}

// A deadline names the rule its period comes from, so a clerk reading the record sees why the
// day is due; a clock stopped and restarted keeps it.
TEST_F(RightsRulesTest, EveryDeadlineNamesTheRuleOfItsPeriod) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  h.apply(disputeSuspended("s1", "2026-03-10"));
  h.apply(disputeResumed("s2", "2026-03-20"));
  EXPECT_EQ(deadlineRules("case:dispute:LD-1"),
            (std::vector<std::string>{"disputeAcceptance rights.dispute.accept_5_days",
                                      "disputeAward rights.dispute.award_45_days"}));
  h.apply(wageFiled("w1", "WC-1", "2026-03-02"));
  h.apply(wageAccepted("w2", "WC-1", "2026-03-04"));
  EXPECT_EQ(deadlineRules("case:wage:WC-1"),
            (std::vector<std::string>{"wageClaimAcceptance rights.wage_claim.accept_5_working_days",
                                      "wageClaimResolution rights.wage_claim.resolve_60_working_days"}));
  h.apply(event("a1", "legalAidRequested",
                R"({"caseNo":"LA-1","matter":"wages","requestedOn":"2026-03-06"})", kWorker,
                "justice"));
  EXPECT_EQ(deadlineRules("case:aid:LA-1"),
            (std::vector<std::string>{"legalAidDecision rights.legal_aid.decision_period"}));
}

TEST_F(RightsRulesTest, LegalAidIsDecidedWithinSevenWorkingDays) {
  std::string request =
      event("a1", "legalAidRequested",
            R"({"caseNo":"LA-1","matter":"wages","requestedOn":"2026-03-06"})", kWorker, "justice");
  EXPECT_EQ(h.apply(request), "applied");
  EXPECT_EQ(deadline("case:aid:LA-1", msg::CaseStage::LEGAL_AID_DECISION), "2026-03-17");
  auto decided = [](const std::string& id) {
    return event(id, "legalAidDecided",
                 R"({"caseNo":"LA-1","granted":true,"decidedOn":"2026-03-10"})", "", "justice");
  };
  EXPECT_EQ(h.apply(decided("a2")), "applied");
  EXPECT_EQ(h.apply(decided("a3")), "refused: legal-aid request LA-1 is already decided");
  EXPECT_EQ(h.indicator(2026, measure22::kAidGranted, "510703"), 1);
}

std::string aidRequested(const std::string& caseNo, const std::string& matter,
                         const std::string& on) {
  return event(
      "req-" + caseNo, "legalAidRequested",
      R"({"caseNo":")" + caseNo + R"(","matter":")" + matter + R"(","requestedOn":")" + on + "\"}",
      kWorker, "justice");
}
std::string aidMaterial(const std::string& id, const std::string& kind, const std::string& on) {
  std::string field = kind == "legalAidMaterialRequested" ? "requestedOn" : "suppliedOn";
  return event(id, kind, R"({"caseNo":"LA-1",")" + field + R"(":")" + on + "\"}", "", "justice");
}

// 程序规定 (2012) art. 13: the time spent supplying missing material is not counted — the working
// days left when the clock stopped run again from the day the material came.
TEST_F(RightsRulesTest, MissingMaterialStopsTheLegalAidClockAndItsSupplyRestartsIt) {
  h.apply(aidRequested("LA-1", "wages", "2026-03-06"));  // a Friday: due Tuesday 03-17
  EXPECT_EQ(h.apply(aidMaterial("m1", "legalAidMaterialRequested", "2026-03-09")), "applied");
  EXPECT_EQ(h.fireTimers(after("2026-12-31")), 0u) << "no clock runs while material is missing";
  // 03-10…03-17 were 6 working days left; from Friday 03-20 they end on Monday 03-30.
  EXPECT_EQ(h.apply(aidMaterial("m2", "legalAidMaterialSupplied", "2026-03-20")), "applied");
  EXPECT_EQ(deadline("case:aid:LA-1", msg::CaseStage::LEGAL_AID_DECISION), "2026-03-30");
  EXPECT_EQ(h.fireTimers(after("2026-03-30") - 1), 0u);
  EXPECT_EQ(h.fireTimers(after("2026-03-30")), 1u);
  EXPECT_EQ(overdue(), (std::vector<std::string>{"LA-1 legalAidDecision 2026-03-30"}));
}

TEST_F(RightsRulesTest, MaterialIsAskedForOnceAtATimeWithinThePeriodAndSuppliedOnlyWhenAsked) {
  h.apply(aidRequested("LA-1", "wages", "2026-03-06"));
  EXPECT_EQ(h.apply(aidMaterial("m0", "legalAidMaterialSupplied", "2026-03-09")),
            "refused: legal-aid request LA-1: no material was asked for");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | 法律援助申请 LA-1 未通知补充材料");
  EXPECT_EQ(h.apply(aidMaterial("m1", "legalAidMaterialRequested", "2026-03-05")),
            "refused: requestedOn: before the application of 2026-03-06");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | requestedOn 早于申请日 2026-03-06");
  EXPECT_EQ(h.apply(aidMaterial("m2", "legalAidMaterialRequested", "2026-03-18")),
            "refused: the decision period ended on 2026-03-17: a later request for material "
            "cannot stop it (法律援助法 art. 43)");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | 审查期限已于 2026-03-17 届满，"
            "补充材料通知不能使其停止计算（法律援助法第四十三条）");
  EXPECT_EQ(h.apply(aidMaterial("m3", "legalAidMaterialRequested", "2026-03-17")), "applied");
  EXPECT_EQ(h.apply(aidMaterial("m4", "legalAidMaterialRequested", "2026-03-18")),
            "refused: legal-aid request LA-1: material was asked for on 2026-03-17 and "
            "is not supplied yet");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | 法律援助申请 LA-1 已于 "
            "2026-03-17 通知补充材料，尚未补齐");
  EXPECT_EQ(h.apply(aidMaterial("m5", "legalAidMaterialSupplied", "2026-03-16")),
            "refused: suppliedOn: before the material was asked for on 2026-03-17");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | suppliedOn 早于补充材料通知日 "
            "2026-03-17");
  EXPECT_EQ(h.apply(aidMaterial("m6", "legalAidMaterialSupplied", "2026-03-20")), "applied");
  EXPECT_EQ(deadline("case:aid:LA-1", msg::CaseStage::LEGAL_AID_DECISION), "2026-03-20")
      << "asked for on the last day: none left, due the day it came";
  h.apply(event("d1", "legalAidDecided",
                R"({"caseNo":"LA-1","granted":true,"decidedOn":"2026-03-20"})", "", "justice"));
  EXPECT_EQ(h.apply(aidMaterial("m7", "legalAidMaterialRequested", "2026-03-20")),
            "refused: legal-aid request LA-1 is already decided: no material can be "
            "asked for");
  EXPECT_EQ(h.lastRuleAndZh(),
            "rights.legal_aid.material_stops_clock | 法律援助申请 LA-1 已作出决定，"
            "不能再要求补充材料");
}

// 法律援助法 art. 42 (in force 2022-01-01): a migrant worker claiming wages or work-injury damages
// skips the means test — a refusal on it is refused; on another ground, or of another matter, or
// of a request made before the law, it stands.
TEST_F(RightsRulesTest, ARefusalOnTheMeansTestOfAWagesOrInjuryRequestIsRefused) {
  auto refused = [](const std::string& caseNo, const std::string& ground) {
    return event("dec-" + caseNo + ground, "legalAidDecided",
                 R"({"caseNo":")" + caseNo +
                     R"(","granted":false,"reason":"经济状况不符合条件","ground":")" + ground +
                     R"(","decidedOn":"2026-03-10"})",
                 "", "justice");
  };
  const std::string kArt42 =
      "refused: a migrant worker claiming wages or work-injury damages is exempt from the means "
      "test: aid cannot be refused on it (法律援助法 art. 42)";
  const std::string kArt42Zh =
      "rights.legal_aid.means_test_exempt | "
      "农民工请求支付劳动报酬或者工伤事故人身损害赔偿申请法律援助的，免予核查经济困难状况，"
      "不得以经济困难审查为由不予援助（法律援助法第四十二条）";
  h.apply(aidRequested("LA-W", "wages", "2026-03-06"));
  h.apply(aidRequested("LA-I", "injury", "2026-03-06"));
  h.apply(aidRequested("LA-O", "other", "2026-03-06"));
  h.apply(aidRequested("LA-2021", "wages", "2021-12-31"));
  EXPECT_EQ(h.apply(refused("LA-W", "meansTest")), kArt42);
  EXPECT_EQ(h.lastRuleAndZh(), kArt42Zh);
  EXPECT_EQ(h.apply(refused("LA-I", "meansTest")), kArt42);
  EXPECT_EQ(h.apply(refused("LA-O", "meansTest")), "applied");
  EXPECT_EQ(h.apply(refused("LA-W", "noMerit")), "applied");
  EXPECT_EQ(h.apply(refused("LA-2021", "meansTest")), "applied") << "before the law was in force";
  EXPECT_EQ(h.indicator(2026, measure22::kAidRefused, "510703"), 2);
}

// The decision period by the date of the request: 程序规定 (2012) art. 13 before 2022-01-01,
// 法律援助法 art. 43 from then — both 7 working days by default, each configurable.
TEST(RightsLegalAidPeriod, TheRulesInForceOnTheRequestsDayGiveThePeriod) {
  DeadlinePolicy policy;
  policy.legalAidDecisionWorkingDaysBefore2022 = 7;
  policy.legalAidDecisionWorkingDays = 5;
  RightsRules rules{policy, WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)};
  test::RulesHarness h{rules};
  auto dueOn = [&](const std::string& key) {
    FrameReader reader(*h.state.get(key));
    return std::string(reader.root<msg::RightsCase>().getDeadlines()[0].getDueOn().cStr());
  };
  h.apply(aidRequested("LA-A", "wages", "2021-12-30"));  // Thursday: 7 working days, 元旦 skipped
  h.apply(aidRequested("LA-B", "wages", "2022-01-04"));  // Tuesday: 5
  EXPECT_EQ(dueOn("case:aid:LA-A"), "2022-01-11");
  EXPECT_EQ(dueOn("case:aid:LA-B"), "2022-01-11");
}

TEST_F(RightsRulesTest, EventsOutOfOrderAreRefusedWithTheReason) {
  EXPECT_EQ(h.apply(wageAccepted("x1", "WC-9", "2026-03-02")),
            "refused: wage claim WC-9 is not filed");
  EXPECT_EQ(h.apply(wageResolved("x2", "WC-9", "2026-03-02")),
            "refused: wage claim WC-9 is not filed");
  h.apply(wageFiled("w1", "WC-9", "2026-03-02"));
  EXPECT_EQ(h.apply(wageFiled("w1b", "WC-9", "2026-03-02")),
            "refused: wage claim WC-9 is already filed");
  EXPECT_EQ(h.apply(wageResolved("x3", "WC-9", "2026-03-03")),
            "refused: wage claim WC-9 is not accepted yet");
  EXPECT_EQ(h.apply(wageExtended("x4", "WC-9", 10)),
            "refused: wage claim WC-9 can be extended only between acceptance and resolution");
  EXPECT_EQ(h.apply(wageAccepted("x5", "WC-9", "2026-03-01")),
            "refused: wage claim WC-9: accepted before it was filed");
  h.apply(wageAccepted("w2", "WC-9", "2026-03-03"));
  EXPECT_EQ(h.apply(wageAccepted("x6", "WC-9", "2026-03-03")),
            "refused: wage claim WC-9 is already accepted");

  h.apply(disputeFiled("d1", "LD-9", "2026-03-01"));
  auto award =
      event("x7", "disputeAwarded",
            R"({"caseNo":"LD-9","awardedYuan":100,"final":false,"awardedOn":"2026-03-05"})");
  EXPECT_EQ(h.apply(award), "refused: dispute LD-9 is not accepted yet");
  EXPECT_EQ(h.lastRuleAndZh(), "record.stage | 劳动争议仲裁案件 LD-9 尚未受理");
  auto close = [](const std::string& id) {
    return event(id, "disputeClosed",
                 R"({"caseNo":"LD-9","outcome":"withdrawn","closedOn":"2026-03-05"})");
  };
  EXPECT_EQ(h.apply(close("d2")), "applied");
  EXPECT_EQ(h.apply(close("d3")), "refused: dispute LD-9 is already closed");
  EXPECT_EQ(h.indicator(2026, measure21::kDisputesWithdrawn, "510703"), 1);
}

// MEASURES.md: a claim on a government-invested project counts as a new arrear once it is found
// founded (paid or partly paid) — not when filed, and not when found unfounded.
TEST_F(RightsRulesTest, FoundedClaimsOnGovernmentInvestedProjectsCountAsNewArrears) {
  auto resolved = [](const std::string& id, const std::string& caseNo, const std::string& outcome) {
    return event(id, "wageClaimResolved",
                 R"({"caseNo":")" + caseNo + R"(","recoveredYuan":0,"outcome":")" + outcome +
                     R"(","resolvedOn":"2026-03-20"})");
  };
  h.apply(wageFiled("w1", "WC-1", "2026-03-02", true));
  h.apply(wageFiled("w2", "WC-2", "2026-03-02", false));
  h.apply(wageFiled("w3", "WC-3", "2026-03-02", true));
  EXPECT_EQ(h.indicator(2026, measure20::kGovernmentProjectArrears, "510703"), 0)
      << "filed, not yet found founded";
  for (const char* c : {"WC-1", "WC-2", "WC-3"})
    h.apply(wageAccepted(std::string("a-") + c, c, "2026-03-03"));
  EXPECT_EQ(h.apply(resolved("r1", "WC-1", "partlyPaid")), "applied");
  EXPECT_EQ(h.apply(resolved("r2", "WC-2", "paid")), "applied");
  EXPECT_EQ(h.apply(resolved("r3", "WC-3", "unfounded")), "applied");
  EXPECT_EQ(h.indicator(2026, measure20::kGovernmentProjectArrears, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure20::kClaimsFiled, "510703"), 3);
  EXPECT_EQ(h.indicator(2026, measure20::kYuanClaimed, "510703"), 150000);
}

TEST_F(RightsRulesTest, ClosingACaseEndsItsOpenStagesAndItsTimers) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  h.apply(event("d3", "disputeClosed",
                R"({"caseNo":"LD-1","outcome":"settled","closedOn":"2026-03-10"})"));
  EXPECT_TRUE(h.state.timers.empty());
  EXPECT_EQ(h.fireTimers(after("2027-01-01")), 0u);
}

// The bus checks dates; the rules do not take that on trust.
TEST_F(RightsRulesTest, ADateThatIsNoDateIsRefusedNamingTheFieldAndChangesNothing) {
  EXPECT_EQ(h.apply(wageFiled("w1", "WC-1", "2026-03-06")), "applied");
  EXPECT_EQ(h.applyUnchecked(wageAccepted("w2", "WC-1", "2026-03-32")),
            "refused: acceptedOn: not a date in the form YYYY-MM-DD");
  EXPECT_EQ(h.apply(wageAccepted("w3", "WC-1", "2026-03-13")), "applied")
      << "still waiting for acceptance";
}

}  // namespace
}  // namespace mwp::rights
