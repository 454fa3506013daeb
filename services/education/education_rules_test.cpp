#include "education_rules.h"

#include <gtest/gtest.h>

#include "frames.h"
#include "ids.h"
#include "mwp/messages/education.capnp.h"
#include "rules_harness.h"

namespace mwp::education {
namespace {

using test::event;

constexpr const char* kParent = "510703199005121230";
constexpr const char* kChild7 = "510703201903010049";  // born 2019-03-01: 7 on 2026-09-01

std::string request(const std::string& id, const std::string& child, const std::string& stage,
                    const std::string& on = "2026-03-01") {
  return event(id, "schoolPlacementRequested",
               R"({"childId":")" + child + R"(","childName":"小明","stage":")" + stage +
                   R"(","residenceArea":"510703","requestedOn":")" + on + "\"}",
               kParent, "education");
}
std::string decide(const std::string& id, const std::string& child, const std::string& area,
                   const std::string& on, bool placed = true) {
  return event(id, "schoolPlacementDecided",
               R"({"childId":")" + child + R"(","school":"实验小学","schoolArea":")" + area +
                   R"(","placed":)" + (placed ? "true" : "false") + R"(,"decidedOn":")" + on +
                   "\"}",
               kParent, "education");
}

// A valid resident ID for a child of Mianyang born on `birth` (YYYYMMDD).
std::string childBornOn(const std::string& birth) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string body = "510703" + birth + "002";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return body + "10X98765432"[sum % 11];
}

using EducationRulesTest = test::RulesTest<EducationRules>;

TEST_F(EducationRulesTest, TheSchoolYearOfARequest) {
  EXPECT_EQ(formatDate(schoolYearStart(*parseDate("2026-03-01"))), "2026-09-01");
  EXPECT_EQ(formatDate(schoolYearStart(*parseDate("2026-10-15"))), "2026-09-01");
  EXPECT_EQ(formatDate(schoolYearStart(*parseDate("2026-02-10"))), "2025-09-01");
  EXPECT_EQ(ageOn(*parseDate("2020-09-01"), *parseDate("2026-09-01")), 6);
  EXPECT_EQ(ageOn(*parseDate("2020-09-02"), *parseDate("2026-09-01")), 5);
}

TEST_F(EducationRulesTest, TheChildsAgeOnTheFirstOfSeptemberMustFitTheStage) {
  EXPECT_EQ(h.apply(request("r1", childBornOn("20200901"), "primary")), "applied");  // 6 exactly
  EXPECT_EQ(h.apply(request("r2", childBornOn("20200902"), "primary")),
            "refused: the child is 5 on 2026-09-01; primary takes ages 6–12");
  EXPECT_EQ(h.lastRuleAndZh(),
            "education.enrolment.age | 该儿童 2026-09-01 为 5 周岁；primary 招收 6–12 周岁");
  EXPECT_EQ(h.apply(request("r3", kChild7, "juniorSecondary")),
            "refused: the child is 7 on 2026-09-01; juniorSecondary takes ages 12–15");
  EXPECT_EQ(h.apply(request("r4", childBornOn("20110901"), "juniorSecondary")), "applied");  // 15
  EXPECT_EQ(h.apply(request("r5", childBornOn("20100901"), "juniorSecondary")),
            "refused: the child is 16 on 2026-09-01; juniorSecondary takes ages 12–15");
}

TEST_F(EducationRulesTest, AChildIdWithNoBirthDateIsRefusedNamingTheField) {
  // The bus checks resident IDs; the rule does not count on it (month 13 here).
  EXPECT_EQ(h.applyUnchecked(request("r6", "510703201913010049", "primary")),
            "refused: childId: not a resident ID with a birth date");
}

TEST_F(EducationRulesTest, PlacementRateNearResidenceAndDaysToDecision) {
  h.apply(request("r1", kChild7, "primary"));
  h.apply(request("r2", childBornOn("20180601"), "primary"));
  EXPECT_EQ(h.apply(decide("d1", kChild7, "510703", "2026-03-11")), "applied");
  EXPECT_EQ(h.apply(decide("d2", childBornOn("20180601"), "510704", "2026-03-21")), "applied");
  EXPECT_EQ(h.indicator(2026, measure14::kPlacementsRequested, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure14::kPlaced, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure14::kPlacedInResidenceArea, "510703"), 1);
  EXPECT_EQ(h.state.counters["med:2026"]["14|median_days_to_decision|510703|10"], 1);
  EXPECT_EQ(h.state.counters["med:2026"]["14|median_days_to_decision|510703|20"], 1);
}

TEST_F(EducationRulesTest, ADecisionNeedsAWaitingRequestAndComesOnce) {
  EXPECT_EQ(h.apply(decide("d1", kChild7, "510703", "2026-03-11")),
            "refused: no request waiting for this child from this parent");
  h.apply(request("r1", kChild7, "primary"));
  EXPECT_EQ(h.apply(request("r2", kChild7, "primary")),
            "refused: a request for this child is already waiting for a decision");
  EXPECT_EQ(h.apply(decide("d2", kChild7, "510703", "2026-02-11")),
            "refused: decided before it was requested");
  EXPECT_EQ(h.apply(decide("d3", kChild7, "510703", "2026-03-11")), "applied");
  EXPECT_EQ(h.apply(decide("d4", kChild7, "510703", "2026-03-12")),
            "refused: no request waiting for this child from this parent");
}

// How long a request has waited depends on today, so the rules keep only the index of open
// requests (read by undecidedTooLong, tested against Redis in EducationServiceTest) and, once
// decided, whether the decision came late — facts of the events, the same in any replay.
TEST_F(EducationRulesTest, AnOpenRequestIsIndexedByItsDayUntilDecided) {
  h.apply(request("r1", kChild7, "primary", "2026-03-01"));
  EXPECT_EQ(h.state.indexes["undecided:510703"][std::string("request:") + kChild7],
            *parseDate("2026-03-01"));
  h.apply(decide("d1", kChild7, "510703", "2026-04-10"));
  EXPECT_EQ(h.state.indexes["undecided:510703"][std::string("request:") + kChild7], std::nullopt);
}

TEST_F(EducationRulesTest, ADecisionMoreThanThirtyDaysAfterTheRequestIsOverdue) {
  h.apply(request("r1", kChild7, "primary", "2026-03-01"));
  h.apply(decide("d1", kChild7, "510703", "2026-03-31"));  // day 30: in time
  h.apply(request("r2", kChild7, "primary", "2026-04-01"));
  h.apply(decide("d2", kChild7, "510703", "2026-05-02"));  // day 31: late
  FrameReader reader(*h.state.get(std::string("worker:") + kParent));
  auto placements = reader.root<msg::EducationRecord>().getPlacements();
  ASSERT_EQ(placements.size(), 2u);
  EXPECT_FALSE(placements[0].getOverdue());
  EXPECT_TRUE(placements[1].getOverdue());
}

// Today is 2026-03-02: a request of 2026-01-30 has waited 31 days, one of 2026-01-31 30 days.
TEST_F(EducationRulesTest, RequestsUndecidedForMoreThanThirtyDaysAreCountedByTheYearTheyWereMade) {
  auto undecided = [&] {
    return undecidedTooLong(h.state, Catalogue::builtIn(), test::fixtureNow(),
                            StagePolicy{}.decisionDays);
  };
  EXPECT_TRUE(undecided().empty()) << "nothing waiting, nothing reported";
  h.apply(request("r1", kChild7, "primary", "2026-01-30"));
  EXPECT_EQ(test::computedValue(undecided(), measure14::kUndecidedOver30Days, "510703", 2026), 1);
  h.apply(decide("d1", kChild7, "510703", "2026-03-01"));
  EXPECT_EQ(test::computedValue(undecided(), measure14::kUndecidedOver30Days, "510703", 2026),
            std::nullopt)
      << "decided: no longer waiting";
  h.apply(request("r2", kChild7, "primary", "2026-01-31"));
  EXPECT_TRUE(undecided().empty()) << "30 days is in time";
}

TEST_F(EducationRulesTest, TheSectionShowsTheChildsIdMasked) {
  h.apply(request("r1", kChild7, "primary"));
  FrameReader reader(*h.state.get(std::string("worker:") + kParent));
  auto p = reader.root<msg::EducationRecord>().getPlacements()[0];
  EXPECT_EQ(std::string(p.getChildIdMasked().cStr()), "510***********0049");
}

}  // namespace
}  // namespace mwp::education
