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
                      bool government = false) {
  return event(
      id, "wageClaimFiled",
      R"({"caseNo":")" + caseNo + R"(","employerCode":")" + kEmployer +
          R"(","project":"安置房","governmentInvested":)" + (government ? "true" : "false") +
          R"(,"amountYuan":50000,"workersAffected":8,"channel":"hotline","filedOn":")" + on + "\"}",
      kWorker);
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
             (d.getCalendarMissing()
                  ? " calendarMissing " + std::to_string(d.getCalendarMissing())
                  : "");
    }
    return "no deadline";
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
  auto derived = h.derivedEvents();  // kept: the envelope reads from its frame
  auto e = derived[0]->root<msg::Envelope>();
  EXPECT_EQ(std::string(e.getEventId().cStr()), "overdue:wage:WC-1:wageClaimAcceptance");
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

TEST_F(RightsRulesTest, ResolutionIsDueSixtyWorkingDaysAfterAcceptancePlusOneExtension) {
  h.apply(wageFiled("w1", "WC-1", "2026-03-02"));
  h.apply(wageAccepted("w2", "WC-1", "2026-03-02"));
  auto due60 = formatDate(WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)
                              .addWorkingDays(*parseDate("2026-03-02"), 60).day);
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_RESOLUTION), due60);
  EXPECT_EQ(h.apply(wageExtended("w3", "WC-1", 31)),
            "refused: an extension of at most 30 working days");
  EXPECT_EQ(h.apply(wageExtended("w4", "WC-1", 30)), "applied");
  auto due90 = formatDate(WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE)
                              .addWorkingDays(*parseDate("2026-03-02"), 90).day);
  EXPECT_EQ(deadline("case:wage:WC-1", msg::CaseStage::WAGE_CLAIM_RESOLUTION), due90);
  EXPECT_EQ(h.apply(wageExtended("w5", "WC-1", 5)),
            "refused: wage claim WC-1 is already extended once");
}

TEST_F(RightsRulesTest, TheAwardIsDueOnTheFortyFifthDayAndAnExtensionMovesItOnce) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-01"));
  h.apply(disputeAccepted("d2", "LD-1", "2026-03-02"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_AWARD), "2026-04-16");
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_MEDIATION), "2026-03-17");
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
  EXPECT_EQ(h.fireTimers(after("2026-04-16")), 1u) << "only the mediation deadline (03-17) is due";
  EXPECT_EQ(overdue(), (std::vector<std::string>{"LD-1 disputeMediation 2026-03-17"}));
}

TEST_F(RightsRulesTest, DisputeAcceptanceIsDueFiveCalendarDaysAfterFiling) {
  h.apply(disputeFiled("d1", "LD-1", "2026-03-06"));
  EXPECT_EQ(deadline("case:dispute:LD-1", msg::CaseStage::DISPUTE_ACCEPTANCE), "2026-03-11");
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
  EXPECT_EQ(h.lastRuleAndZh(), "record.stage | 劳动争议 LD-9 尚未受理");
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
