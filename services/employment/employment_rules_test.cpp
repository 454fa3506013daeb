// The employment rules with no sockets and no Redis: every rule and refusal of measures 1–10 and 16, with the
// boundaries of the subsidy and of unemployment registration.
#include "employment_rules.h"

#include <gtest/gtest.h>

#include "ids.h"
#include "rules_harness.h"

namespace mwp::employment {
namespace {

using test::event;

constexpr const char* kWorker = "510703199005121230";    // male, born 1990
constexpr const char* kWorkerB = "510722198803040026";   // female
constexpr const char* kOutsider = "440305198507205678";  // male, hukou registered in Shenzhen
constexpr const char* kEmployer = "91512081MA62K0260E";

std::string registration(const std::string& id, const std::string& worker,
                         const std::string& hukou = "510722", const std::string& gender = "male",
                         const std::string& on = "2026-01-10", const std::string& area = "510703") {
  return event(id, "workerRegistered",
               R"({"name":"张三","gender":")" + gender +
                   R"(","phone":"13800000000","hukouArea":")" + hukou +
                   R"(","currentArea":"510703","currentCity":"绵阳","registeredOn":")" + on + "\"}",
               worker, "hrss", area);
}

std::string certificate(const std::string& id, const std::string& worker, const std::string& number,
                        const std::string& level, const std::string& issuedOn, int insuredMonths,
                        const std::string& occupation = "焊工",
                        const std::string& reportedAt = "2026-03-02T09:00:00+08:00") {
  return event(id, "skillCertified",
               R"({"certificateNo":")" + number + R"(","occupation":")" + occupation +
                   R"(","level":")" + level + R"(","issuedOn":")" + issuedOn +
                   R"(","insuredMonths":)" + std::to_string(insuredMonths) + "}",
               worker, "hrss", "510703", reportedAt);
}

class EmploymentRulesTest : public ::testing::Test {
 protected:
  // The subsidy decision recorded for the last certificate event, as the derived event says it.
  std::string lastSubsidy() {
    const auto& events = h.derivedEvents();
    if (events.empty()) return "none";
    auto e = events.back()->root<msg::Envelope>();
    if (e.isSubsidyGranted())
      return "granted " + std::to_string(e.getSubsidyGranted().getAmountYuan());
    return std::string("denied: ") + e.getSubsidyDenied().getReason().cStr();
  }

  EmploymentRules rules{SubsidyPolicy{}};
  test::RulesHarness h{rules};
};

// ---- the real-name registry (measure 2)

TEST_F(EmploymentRulesTest, RegisteringTwiceUpdatesAndCountsOnce) {
  EXPECT_EQ(h.apply(registration("r1", kWorker)), "applied");
  EXPECT_EQ(h.apply(registration("r2", kWorker, "510723")), "applied");
  EXPECT_EQ(h.indicator(2026, measure2::kWorkersRegistered, "510703"), 1);
  auto record = h.state.get("worker:" + std::string(kWorker));
  ASSERT_TRUE(record);
  FrameReader reader(*record);
  EXPECT_EQ(std::string(reader.root<msg::EmploymentRecord>().getProfile().getHukouArea().cStr()),
            "510723");
}

TEST_F(EmploymentRulesTest, AnUpdateOfAnUnknownWorkerIsRefused) {
  std::string update = event(
      "u1", "workerUpdated",
      R"({"currentArea":"440300","currentCity":"深圳","employed":true,"updatedOn":"2026-02-01"})",
      kWorker);
  EXPECT_EQ(h.apply(update), "refused: worker not in the real-name registry: register first");
  h.apply(registration("r1", kWorker));
  EXPECT_EQ(h.apply(update), "applied");
}

TEST_F(EmploymentRulesTest, TheRegistryIndexFollowsTheLastUpdate) {
  h.apply(registration("r1", kWorker, "510722", "male", "2026-01-10", "510703"));
  EXPECT_EQ(h.state.indexes["updated:510703"][kWorker], *parseDate("2026-01-10"));
  // The record moves to the office of the latest update.
  h.apply(event(
      "u1", "workerUpdated",
      R"({"currentArea":"510722","currentCity":"三台","employed":true,"updatedOn":"2026-02-01"})",
      kWorker, "hrss", "510722"));
  EXPECT_EQ(h.state.indexes["updated:510722"][kWorker], *parseDate("2026-02-01"));
  EXPECT_FALSE(h.state.indexes["updated:510703"][kWorker].has_value());
}

// 措施二: 按季度更新 — a record last updated more than 92 days ago is stale, per area, today.
TEST_F(EmploymentRulesTest, ARecordNotUpdatedForMoreThan92DaysIsStale) {
  // Today is 2026-03-02: 2025-11-30 is 92 days ago, 2025-11-29 is 93.
  h.apply(registration("r1", kWorker, "510722", "male", "2025-11-29", "510703"));
  h.apply(registration("r2", kWorkerB, "510722", "female", "2025-11-30", "510703"));
  h.apply(registration("r3", kOutsider, "440305", "male", "2025-06-01", "510722"));
  auto values = staleRecords(h.state, Catalogue::builtIn(), test::fixtureNow());
  EXPECT_EQ(test::computedValue(values, measure2::kRecordsStale, "510703", 2026), 1);
  EXPECT_EQ(test::computedValue(values, measure2::kRecordsStale, "510722", 2026), 1);
  EXPECT_EQ(test::computedValue(values, measure2::kRecordsStale, "MYGX", 2026), 0)
      << "every area reports, 0 where nothing is stale";
  EXPECT_EQ(values.size(), Catalogue::builtIn().reportingAreas().size());
  // An update makes the record fresh again.
  h.apply(event(
      "u1", "workerUpdated",
      R"({"currentArea":"510703","currentCity":"绵阳","employed":true,"updatedOn":"2026-03-01"})",
      kWorker, "hrss", "510703"));
  values = staleRecords(h.state, Catalogue::builtIn(), test::fixtureNow());
  EXPECT_EQ(test::computedValue(values, measure2::kRecordsStale, "510703", 2026), 0);
}

// ---- job fairs (measure 1)

std::string fair(const std::string& id, const std::string& fairId, const std::string& campaign,
                 const std::string& on = "2026-02-20") {
  return event(id, "jobFairHeld",
               R"({"fairId":")" + fairId + R"(","campaign":")" + campaign + R"(","heldOn":")" + on +
                   R"(","employers":10,"vacancies":100,"attendees":500,"agreementsSigned":40})");
}

TEST_F(EmploymentRulesTest, FairsAreCountedPerCampaignAndEachFairOnce) {
  EXPECT_EQ(h.apply(fair("f1", "F1", "springBreeze")), "applied");
  EXPECT_EQ(h.apply(fair("f2", "F2", "privateEnterpriseWeek")), "applied");
  EXPECT_EQ(h.apply(fair("f3", "F3", "jobsToCountryside")), "applied");
  EXPECT_EQ(h.apply(fair("f4", "F4", "regular", "2025-12-01")), "applied");
  EXPECT_EQ(h.apply(fair("f5", "F1", "springBreeze")), "refused: fair F1 is already counted");
  EXPECT_EQ(h.indicator(2026, measure1::kFairsHeld, "510703"), 3);
  EXPECT_EQ(h.indicator(2025, measure1::kFairsHeld, "510703"), 1)
      << "counted in the year it was held";
  EXPECT_EQ(h.indicator(2026, measure1::kSpringCampaignFairs, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure1::kCountrysideFairs, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure1::kAgreementsSigned, "510703"), 120);
}

// ---- employment assistance (measure 3)

std::string unemployment(const std::string& id, const std::string& since, const std::string& on) {
  return event(id, "unemploymentRegistered",
               R"({"residentSince":")" + since + R"(","registeredOn":")" + on + "\"}", kWorkerB,
               "hrss", "510722");
}

TEST_F(EmploymentRulesTest, UnemploymentRegistrationNeedsExactlySixMonthsOfResidence) {
  EXPECT_EQ(h.apply(unemployment("x1", "2025-09-01", "2026-02-28")),
            "refused: resident in the town since 2025-09-01: unemployment registration needs 6 "
            "months of residence (措施三), reached on 2026-03-01");
  EXPECT_EQ(h.lastRuleAndZh(),
            "employment.unemployment.residence_6_months | 自 2025-09-01 起在城镇居住；"
            "失业登记需在城镇居住满6个月（措施三），2026-03-01 满足");
  EXPECT_EQ(h.apply(unemployment("x2", "2025-09-01", "2026-03-01")), "applied");
  EXPECT_EQ(h.indicator(2026, measure3::kUnemploymentRegistrations, "510722"), 1);
}

TEST_F(EmploymentRulesTest, SixMonthsFromTheLastDayOfALongMonthEndsOnTheShortMonthsLastDay) {
  EXPECT_EQ(h.apply(unemployment("x1", "2025-08-31", "2026-02-27")).rfind("refused", 0), 0u);
  EXPECT_EQ(h.apply(unemployment("x2", "2025-08-31", "2026-02-28")), "applied");
}

// The bus checks dates; the rules do not take that on trust: a date that is no date is a
// refusal naming the field, and changes nothing.
TEST_F(EmploymentRulesTest, ADateThatIsNoDateIsRefusedNamingTheField) {
  EXPECT_EQ(h.applyUnchecked(unemployment("x1", "2025-02-30", "2026-02-01")),
            "refused: residentSince: not a date in the form YYYY-MM-DD");
  EXPECT_EQ(h.indicator(2026, measure3::kUnemploymentRegistrations, "510722"), 0);
  EXPECT_EQ(
      h.applyUnchecked(event("f1", "jobFairHeld",
                             R"({"fairId":"F-1","campaign":"springBreeze","heldOn":"2026-13-01",)"
                             R"("employers":1,"vacancies":1,"attendees":1,"agreementsSigned":1})")),
      "refused: heldOn: not a date in the form YYYY-MM-DD");
  EXPECT_EQ(h.apply(fair("f2", "F-1", "springBreeze")), "applied")
      << "the refused fair left no trace";
}

TEST_F(EmploymentRulesTest, PoorWorkersPlacedAreCountedApart) {
  auto job = [](const std::string& id, bool poor) {
    return event(id, "employmentRegistered",
                 std::string(R"({"employerCode":")") + kEmployer +
                     R"(","startedOn":"2026-03-01","registeredPoor":)" + (poor ? "true" : "false") +
                     "}",
                 kWorker);
  };
  h.apply(job("j1", true));
  h.apply(job("j2", false));
  EXPECT_EQ(h.indicator(2026, measure3::kEmploymentRegistrations, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure3::kPoorWorkersPlaced, "510703"), 1);
}

// ---- training (measure 4)

TEST_F(EmploymentRulesTest, AWorkerCountsOnceAYearTowardTheTrainedTarget) {
  auto course = [](const std::string& id, const std::string& worker, const std::string& on) {
    return event(
        id, "trainingCompleted",
        R"({"programme":"ecommerce","hours":40,"provider":"绵阳职院","completedOn":")" + on + "\"}",
        worker);
  };
  h.apply(course("t1", kWorker, "2026-01-10"));
  h.apply(course("t2", kWorker, "2026-02-10"));
  h.apply(course("t3", kWorkerB, "2026-02-10"));
  h.apply(course("t4", kWorker, "2025-11-10"));
  EXPECT_EQ(h.indicator(2026, measure4::kTrained, "510703"), 2);
  EXPECT_EQ(h.indicator(2025, measure4::kTrained, "510703"), 1);
}

// ---- the skill-upgrade subsidy (measures 4 and 6)

TEST_F(EmploymentRulesTest, AnEligibleWorkerIsPaidByLevel) {
  h.apply(registration("r1", kWorker));
  EXPECT_EQ(h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 12)), "applied");
  EXPECT_EQ(lastSubsidy(), "granted 1000");
  EXPECT_EQ(h.apply(certificate("c2", kWorker, "C2", "intermediate", "2026-02-01", 12, "电工")),
            "applied");
  EXPECT_EQ(lastSubsidy(), "granted 1500");
  EXPECT_EQ(h.apply(certificate("c3", kWorker, "C3", "senior", "2026-02-01", 12, "钳工")),
            "applied");
  EXPECT_EQ(lastSubsidy(), "granted 2000");
  EXPECT_EQ(h.indicator(2026, measure4::kSubsidiesGranted, "510703"), 3);
  EXPECT_EQ(h.indicator(2026, measure4::kSubsidyYuan, "510703"), 4500);
  EXPECT_EQ(h.indicator(2026, measure6::kCertificatesIssued, "510703"), 3);
}

TEST_F(EmploymentRulesTest, TheSubsidyEventIdIsDerivedFromItsCause) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 12));
  auto derived = h.derivedEvents().back()->root<msg::Envelope>();
  EXPECT_EQ(std::string(derived.getEventId().cStr()), "subsidy:c1");
  EXPECT_EQ(std::string(derived.getCausedBy().cStr()), "c1");
  EXPECT_EQ(derived.getSource(), msg::Department::MWP_SERVICE);
}

TEST_F(EmploymentRulesTest, AnUnregisteredWorkerIsDenied) {
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24));
  EXPECT_EQ(lastSubsidy(), "denied: not in the real-name registry");
  EXPECT_EQ(h.indicator(2026, measure4::kSubsidiesDenied, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure6::kCertificatesIssued, "510703"), 1)
      << "the certificate counts";
}

TEST_F(EmploymentRulesTest, AWorkerNotOfMianyangIsDenied) {
  h.apply(registration("r1", kOutsider, "440305"));
  h.apply(certificate("c1", kOutsider, "C1", "junior", "2026-02-01", 24));
  EXPECT_EQ(lastSubsidy(), "denied: not 绵阳籍: hukou area 440305 is outside 5107");
}

TEST_F(EmploymentRulesTest, TheInsuredMonthsThresholdIsInclusive) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 11));
  EXPECT_EQ(
      lastSubsidy(),
      "denied: unemployment insurance paid for 11 months; 12 are required (人社厅发〔2019〕12号, "
      "for a claim of 2026-03-02)");
  h.apply(certificate("c2", kWorker, "C2", "junior", "2026-02-01", 12, "电工"));
  EXPECT_EQ(lastSubsidy(), "granted 1000");
}

// 人社部发〔2017〕40号 asked 36 months of insurance; 人社厅发〔2019〕12号 12 from 2019-01-01: a
// claim is judged by the version in force on its date (the day the certificate was reported).
TEST_F(EmploymentRulesTest, AClaimOf2018Needs36MonthsOfInsuranceOneOf2019Twelve) {
  h.apply(registration("r1", kWorker));
  const char* lastDayOf2018 = "2018-12-31T09:00:00+08:00";
  const char* firstDayOf2019 = "2019-01-01T09:00:00+08:00";
  h.apply(certificate("c1", kWorker, "C1", "junior", "2018-12-01", 35, "焊工", lastDayOf2018));
  EXPECT_EQ(
      lastSubsidy(),
      "denied: unemployment insurance paid for 35 months; 36 are required (人社部发〔2017〕40号, "
      "for a claim of 2018-12-31)");
  {
    auto denied = h.derivedEvents().back()->root<msg::Envelope>().getSubsidyDenied();
    EXPECT_EQ(std::string(denied.getReasonZh().cStr()),
              "失业保险累计缴纳 35 个月，需满 36 个月（人社部发〔2017〕40号，2018-12-31 申领）");
  }
  h.apply(certificate("c2", kWorker, "C2", "junior", "2018-12-01", 36, "电工", lastDayOf2018));
  EXPECT_EQ(lastSubsidy(), "granted 1000");
  h.apply(certificate("c3", kWorker, "C3", "junior", "2018-12-01", 11, "钳工", firstDayOf2019));
  EXPECT_EQ(
      lastSubsidy(),
      "denied: unemployment insurance paid for 11 months; 12 are required (人社厅发〔2019〕12号, "
      "for a claim of 2019-01-01)");
  h.apply(certificate("c4", kWorker, "C4", "junior", "2018-12-01", 12, "车工", firstDayOf2019));
  EXPECT_EQ(lastSubsidy(), "granted 1000");
}

// MWP_SUBSIDY_MIN_INSURED_MONTHS overrides the version in force now (2019 on), not the 2017 one.
TEST_F(EmploymentRulesTest, TheConfiguredInsuredMonthsOverrideOnlyTheVersionInForceNow) {
  SubsidyPolicy policy;
  policy.minInsuredMonths = 24;
  EmploymentRules configured{policy};
  test::RulesHarness harness{configured};
  harness.apply(registration("r1", kWorker));
  harness.apply(certificate("c1", kWorker, "C1", "junior", "2018-12-01", 30, "焊工",
                            "2018-12-31T09:00:00+08:00"));
  harness.apply(certificate("c2", kWorker, "C2", "junior", "2026-02-01", 23, "电工"));
  harness.apply(certificate("c3", kWorker, "C3", "junior", "2026-02-01", 24, "钳工"));
  const auto& events = harness.derivedEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_NE(std::string(events[0]->root<msg::Envelope>().getSubsidyDenied().getReason().cStr())
                .find("36 are required"),
            std::string::npos);
  EXPECT_NE(std::string(events[1]->root<msg::Envelope>().getSubsidyDenied().getReason().cStr())
                .find("24 are required"),
            std::string::npos);
  EXPECT_TRUE(events[2]->root<msg::Envelope>().isSubsidyGranted());
}

TEST_F(EmploymentRulesTest, AClaimExactlyTwelveMonthsAfterTheCertificateIsInTime) {
  h.apply(registration("r1", kWorker));
  // Reported on 2026-03-02 (the fixture clock); certificates of 2025-03-02 and 2025-03-01.
  h.apply(certificate("c1", kWorker, "C1", "junior", "2025-03-02", 24));
  EXPECT_EQ(lastSubsidy(), "granted 1000");
  h.apply(certificate("c2", kWorker, "C2", "junior", "2025-03-01", 24, "电工"));
  EXPECT_EQ(
      lastSubsidy(),
      "denied: claimed on 2026-03-02, more than 12 months after the certificate of 2025-03-01");
}

TEST_F(EmploymentRulesTest, OneSubsidyPerOccupationAndLevelAndNoneBelowAHigherOne) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "intermediate", "2026-01-01", 24));
  EXPECT_EQ(lastSubsidy(), "granted 1500");
  h.apply(certificate("c2", kWorker, "C2", "intermediate", "2026-02-01", 24));
  EXPECT_EQ(lastSubsidy(), "denied: already paid for 焊工 at intermediate");
  h.apply(certificate("c3", kWorker, "C3", "junior", "2026-02-01", 24));
  EXPECT_EQ(lastSubsidy(), "denied: already paid for 焊工 at a higher level (intermediate)");
  h.apply(certificate("c4", kWorker, "C4", "senior", "2026-02-01", 24));
  EXPECT_EQ(lastSubsidy(), "granted 2000") << "a higher level is still paid";
}

TEST_F(EmploymentRulesTest, AtMostThreeSubsidiesAYearByTheYearOfTheClaim) {
  h.apply(registration("r1", kWorker));
  const char* trades[] = {"焊工", "电工", "钳工", "车工"};
  for (int i = 0; i < 3; ++i) {
    h.apply(certificate("c" + std::to_string(i), kWorker, "C" + std::to_string(i), "junior",
                        "2026-02-01", 24, trades[i]));
    EXPECT_EQ(lastSubsidy(), "granted 1000") << trades[i];
  }
  h.apply(certificate("c3", kWorker, "C3", "junior", "2026-02-01", 24, trades[3]));
  EXPECT_EQ(lastSubsidy(),
            "denied: already paid 3 skill-upgrade subsidies in 2026: at most 3 a year per worker");
  {
    auto denied = h.derivedEvents().back()->root<msg::Envelope>().getSubsidyDenied();
    EXPECT_EQ(std::string(denied.getRule().cStr()), "employment.subsidy.max_per_year");
    EXPECT_EQ(std::string(denied.getReasonZh().cStr()),
              "2026 年已领取 3 次技能提升补贴，每人每年至多 3 次");
  }
  // Claimed in the next year (the certificate of late 2026, reported in January 2027): paid.
  h.setNow(1798761600);  // 2027-01-01T08:00:00+08:00
  h.apply(certificate("c4", kWorker, "C4", "junior", "2026-12-20", 24, trades[3],
                      "2027-01-01T08:00:00+08:00"));
  EXPECT_EQ(lastSubsidy(), "granted 1000");
}

// The limit of 3 a year is in force from 2023-01-01: a fourth claim of 2022-12-31 is paid, a
// fourth of 2023-01-01 is not.
TEST_F(EmploymentRulesTest, ClaimsBefore2023AreNotCappedAtThreeAYear) {
  h.apply(registration("r1", kWorker));
  const char* trades[] = {"焊工", "电工", "钳工", "车工", "铣工", "磨工", "木工", "瓦工"};
  for (int i = 0; i < 8; ++i) {
    h.apply(certificate("c" + std::to_string(i), kWorker, "C" + std::to_string(i), "junior",
                        "2022-12-01", 24, trades[i],
                        i < 4 ? "2022-12-31T09:00:00+08:00" : "2023-01-01T09:00:00+08:00"));
    EXPECT_EQ(lastSubsidy(), i < 7 ? "granted 1000"
                                   : "denied: already paid 3 skill-upgrade subsidies in 2023: at "
                                     "most 3 a year per worker")
        << trades[i];
  }
}

TEST_F(EmploymentRulesTest, TheYearlyLimitIsConfiguration) {
  EmploymentRules twice{SubsidyPolicy{.maxPerYear = 2}};
  test::RulesHarness harness{twice};
  harness.apply(registration("r1", kWorker));
  harness.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24, "焊工"));
  harness.apply(certificate("c2", kWorker, "C2", "junior", "2026-02-01", 24, "电工"));
  harness.apply(certificate("c3", kWorker, "C3", "junior", "2026-02-01", 24, "钳工"));
  auto last = harness.derivedEvents().back()->root<msg::Envelope>();
  ASSERT_TRUE(last.isSubsidyDenied());
  EXPECT_EQ(std::string(last.getSubsidyDenied().getReason().cStr()),
            "already paid 2 skill-upgrade subsidies in 2026: at most 2 a year per worker");
}

TEST_F(EmploymentRulesTest, LevelsTheMeasureDoesNotCoverAreDenied) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "technician", "2026-02-01", 24));
  EXPECT_EQ(
      lastSubsidy(),
      "denied: level technician is not covered: the measure pays junior, intermediate and senior");
}

TEST_F(EmploymentRulesTest, TheThresholdAndAmountsAreConfiguration) {
  SubsidyPolicy policy;
  policy.minInsuredMonths = 36;  // the 2017 national notice
  policy.amountYuan[msg::SkillLevel::JUNIOR] = 800;
  EmploymentRules strict{policy};
  test::RulesHarness harness{strict};
  harness.apply(registration("r1", kWorker));
  harness.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24));
  harness.apply(certificate("c2", kWorker, "C2", "junior", "2026-02-01", 36, "电工"));
  const auto& events = harness.derivedEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0]->root<msg::Envelope>().isSubsidyDenied());
  EXPECT_EQ(events[1]->root<msg::Envelope>().getSubsidyGranted().getAmountYuan(), 800u);
}

TEST_F(EmploymentRulesTest, ACertificateReSentUnderAnotherIdCountsOnce) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24));
  EXPECT_EQ(h.apply(certificate("c1-again", kWorker, "C1", "junior", "2026-02-01", 24)),
            "refused: certificate C1 is already recorded");
  EXPECT_EQ(h.indicator(2026, measure4::kSubsidiesGranted, "510703"), 1);
}

TEST_F(EmploymentRulesTest, MailingNeedsTheCertificateAndHappensOnce) {
  auto mailed = [](const std::string& id, const std::string& number) {
    return event(
        id, "certificateMailed",
        R"({"certificateNo":")" + number + R"(","trackingNo":"SF1","mailedOn":"2026-03-01"})",
        kWorker);
  };
  EXPECT_EQ(h.apply(mailed("m1", "C9")), "refused: certificate C9 is not recorded for this worker");
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24));
  EXPECT_EQ(h.apply(mailed("m2", "C1")), "applied");
  EXPECT_EQ(h.apply(mailed("m3", "C1")), "refused: certificate C1 is already mailed");
  EXPECT_EQ(h.indicator(2026, measure6::kCertificatesMailed, "510703"), 1);
}

TEST_F(EmploymentRulesTest, ASubsidyEventComingBackConfirmsTheRecordedDecision) {
  h.apply(registration("r1", kWorker));
  h.apply(certificate("c1", kWorker, "C1", "junior", "2026-02-01", 24));
  std::string back =
      event("subsidy:c1", "subsidyGranted",
            R"({"certificateNo":"C1","level":"junior","amountYuan":1000})", kWorker, "mwpService");
  EXPECT_EQ(h.apply(back), "applied");
  std::string stray =
      event("subsidy:x", "subsidyGranted",
            R"({"certificateNo":"C7","level":"junior","amountYuan":1000})", kWorker, "mwpService");
  EXPECT_EQ(h.apply(stray), "refused: no subsidy decision recorded for certificate C7");
  EXPECT_EQ(h.indicator(2026, measure4::kSubsidiesGranted, "510703"), 1) << "nothing counted twice";
}

// ---- loans (measure 10) and social-security services (measure 16)

std::string loanApplied(const std::string& id, const std::string& number, bool eligible) {
  return event(id, "guaranteeLoanApplied",
               R"({"applicationNo":")" + number + R"(","amountYuan":100000,"eligible":)" +
                   (eligible ? "true" : "false") + R"(,"appliedOn":"2026-02-01"})",
               kWorker);
}
std::string loanDecided(const std::string& id, const std::string& number, bool approved) {
  return event(id, "guaranteeLoanDecided",
               R"({"applicationNo":")" + number + R"(","approved":)" +
                   (approved ? "true" : "false") +
                   R"(,"amountYuan":100000,"decidedOn":"2026-02-20"})",
               kWorker);
}

TEST_F(EmploymentRulesTest, LoansKeepTheCountersOfTheirRatio) {
  h.apply(loanApplied("a1", "L1", true));
  h.apply(loanApplied("a2", "L2", true));
  h.apply(loanApplied("a3", "L3", false));
  EXPECT_EQ(h.apply(loanDecided("d1", "L1", true)), "applied");
  EXPECT_EQ(h.apply(loanDecided("d2", "L2", false)), "applied");
  EXPECT_EQ(h.apply(loanDecided("d3", "L3", false)), "applied");
  EXPECT_EQ(h.indicator(2026, measure10::kLoansApplied, "510703"), 3);
  EXPECT_EQ(h.indicator(2026, measure10::kEligibleLoansDecided, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure10::kEligibleLoansApproved, "510703"), 1);
}

TEST_F(EmploymentRulesTest, ALoanDecisionNeedsItsApplicationAndComesOnce) {
  EXPECT_EQ(h.apply(loanDecided("d1", "L9", true)),
            "refused: no loan application L9 for this worker");
  h.apply(loanApplied("a1", "L1", true));
  h.apply(loanDecided("d2", "L1", true));
  EXPECT_EQ(h.apply(loanDecided("d3", "L1", true)),
            "refused: loan application L1 is already decided");
}

TEST_F(EmploymentRulesTest, OneSocialSecurityCardPerWorker) {
  auto card = [](const std::string& id) {
    return event(id, "socialSecurityCardIssued", R"({"issuedOn":"2026-02-01"})", kWorker);
  };
  EXPECT_EQ(h.apply(card("k1")).rfind("applied", 0), 0u) << "noted: the worker is not insured";
  EXPECT_EQ(h.apply(card("k2")),
            "refused: a social security card is already issued to this worker");
  EXPECT_EQ(h.indicator(2026, measure16::kCardsIssued, "510703"), 1);
}

TEST_F(EmploymentRulesTest, OtherServicesKindsAreIgnored) {
  EXPECT_EQ(h.apply(test::fixtureLines()[29]), "ignored");  // wageClaimAccepted
}

}  // namespace
}  // namespace mwp::employment
