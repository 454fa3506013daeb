#include "outreach_rules.h"

#include <gtest/gtest.h>

#include "rules_harness.h"

namespace mwp::outreach {
namespace {

using test::event;

std::string activity(const std::string& id, int measure, const std::string& name,
                     const std::string& area, const std::string& on = "2026-01-20", int count = 1) {
  return event(id, "activityReported",
               R"({"measure":)" + std::to_string(measure) + R"(,"activity":")" + name +
                   R"(","heldOn":")" + on + R"(","count":)" + std::to_string(count) +
                   R"(,"participants":200,"fundsYuan":5000})",
               "", "areaGovernment", area);
}

using OutreachRulesTest = test::RulesTest<OutreachRules>;

TEST_F(OutreachRulesTest, ActivitiesCountPerMeasureActivityAreaAndYear) {
  EXPECT_EQ(h.apply(activity("a1", 23, "condolenceVisitOutside", "510722")), "applied");
  EXPECT_EQ(h.apply(activity("a2", 23, "familyVisit", "510722", "2026-01-21", 40)), "applied");
  EXPECT_EQ(h.apply(activity("a3", 23, "condolenceVisitOutside", "510703", "2025-12-30")),
            "applied");
  EXPECT_EQ(h.indicator(2026, measure23::kCondolenceVisitOutside, "510722"), 1);
  EXPECT_EQ(h.indicator(2026, measure23::kFamilyVisit, "510722"), 40);
  EXPECT_EQ(h.indicator(2026, measure23::kActivities, "510722"), 41);
  EXPECT_EQ(h.indicator(2026, measure23::kParticipants, "510722"), 400);
  EXPECT_EQ(h.indicator(2026, measure23::kFundsYuan, "510722"), 10000);
  EXPECT_EQ(h.indicator(2025, measure23::kCondolenceVisitOutside, "510703"), 1);
}

// The bus refuses an activity its measure does not list; the rules do not take that on trust.
TEST_F(OutreachRulesTest, AnActivityItsMeasureDoesNotListIsRefusedNamingTheCataloguesRule) {
  EXPECT_EQ(h.applyUnchecked(activity("x1", 23, "noSuchVisit", "510722")),
            "refused: activity: noSuchVisit is not one measure 23 lists");
  EXPECT_EQ(h.lastRuleAndZh(), "catalogue.activity_listed | activity noSuchVisit 不是措施 23 所列的活动");
  EXPECT_EQ(h.indicator(2026, measure23::kActivities, "510722"), 0);
}

TEST_F(OutreachRulesTest, AnActivitysIndicatorIsItsNameInSnakeCaseAsTheCatalogueLists) {
  // (An activity its measure does not list is refused by the bus: see EventRules tests.)
  EXPECT_EQ(activityIndicator(23, "condolenceVisitOutside"), measure23::kCondolenceVisitOutside);
  EXPECT_EQ(activityIndicator(23, "condolenceVisitOutside")->name, "condolence_visit_outside");
  for (int m : {12, 13, 17, 18, 19, 23, 24, 25, 26, 27, 28, 29, 30}) {
    auto measure = Catalogue::builtIn().measure(m);
    for (auto a : measure.getActivities()) {
      auto own = activityIndicator(m, a.cStr());
      bool listed = false;
      for (auto i : measure.getIndicators()) listed |= own && own->name == i.getName().cStr();
      EXPECT_TRUE(listed) << "measure " << m << " has no indicator for " << a.cStr();
    }
  }
  EXPECT_EQ(activityIndicator(12, "cultureEvent"), std::nullopt) << "measure 18's, not 12's";
}

TEST_F(OutreachRulesTest, AChecklistRemembersItsEarliestDate) {
  h.apply(activity("a1", 29, "serviceOrganisationEstablished", "510722", "2026-02-01"));
  h.apply(activity("a2", 29, "serviceOrganisationEstablished", "510722", "2019-05-01"));
  EXPECT_EQ(h.state.get("checklist:29:510722"), "2019-05-01");
}

// 措施二十九, 三十: once a county or park has its service organisation (or budget line), it has it
// in every year after; measure 23's checklist is the year's count of visits, not computed here.
TEST_F(OutreachRulesTest, AOnceDoneChecklistIsOneForEveryAreaThatHasDoneItAndZeroElsewhere) {
  h.apply(activity("a1", 29, "serviceOrganisationEstablished", "510722", "2019-06-01"));
  h.apply(activity("a2", 30, "budgetLineEstablished", "MYGX", "2026-01-15"));
  h.apply(activity("a3", 23, "condolenceVisitOutside", "510703"));
  auto values = checklists(h.state, Catalogue::builtIn(), test::fixtureNow());
  EXPECT_EQ(test::computedValue(values, measure29::kAreasWithServiceOrganisation, "510722", 2026),
            1);
  EXPECT_EQ(test::computedValue(values, measure29::kAreasWithServiceOrganisation, "MYGX", 2026), 0);
  EXPECT_EQ(test::computedValue(values, measure30::kAreasWithBudgetLine, "MYGX", 2026), 1);
  EXPECT_EQ(test::computedValue(values, measure30::kAreasWithBudgetLine, "510722", 2026), 0);
  EXPECT_EQ(values.size(), 2 * Catalogue::builtIn().reportingAreas().size());
  EXPECT_EQ(test::computedValue(values, measure23::kCondolenceVisitOutside, "510703", 2026),
            std::nullopt);
}

TEST_F(OutreachRulesTest, OtherKindsAreIgnored) {
  EXPECT_EQ(h.apply(test::fixtureLines()[2]), "ignored");
}

// ---- activities reported twice, and measure 23's returnees

TEST_F(OutreachRulesTest, OneActivityReportedByTwoDepartmentsCountsOnce) {
  auto reported = [](const std::string& id, const std::string& source,
                     const std::string& activityId) {
    return event(id, "activityReported",
                 R"({"measure":23,"activity":"familyVisit","heldOn":"2026-01-20","count":5,)"
                 R"("participants":20,"fundsYuan":1000)" +
                     (activityId.empty() ? "" : R"(,"activityId":")" + activityId + "\"") + "}",
                 "", source, "510722");
  };
  EXPECT_EQ(h.apply(reported("a1", "tradeUnion", "visit-2026-01")), "applied");
  EXPECT_EQ(h.apply(reported("a2", "areaGovernment", "visit-2026-01")),
            "applied: activity visit-2026-01 was reported before: counted once");
  EXPECT_EQ(h.lastRuleAndZh(), "outreach.activity.counted_once | 活动 visit-2026-01 已报送，只计一次");
  EXPECT_EQ(h.indicator(2026, measure23::kFamilyVisit, "510722"), 5);
  // Without an activityId each report counts, as before.
  h.apply(reported("a3", "tradeUnion", ""));
  h.apply(reported("a4", "areaGovernment", ""));
  EXPECT_EQ(h.indicator(2026, measure23::kFamilyVisit, "510722"), 15);
}

constexpr const char* kReturnee = "510703199005121230";
constexpr const char* kOther = "510722198803040026";

std::string returned(const std::string& id, const char* worker, const std::string& on,
                     const std::string& village = "510722103201") {
  return event(id, "workerReturned",
               R"({"returnedOn":")" + on + R"(","village":")" + village +
                   R"(","reason":"springFestival"})",
               worker, "areaGovernment", "510722");
}

std::string visited(const std::string& id, const char* worker, const std::string& on,
                    const std::string& village = "510722103201") {
  return event(id, "familyVisited",
               R"({"visitedOn":")" + on + R"(","village":")" + village +
                   R"(","form":"inPerson","note":"送春联"})",
               worker, "areaGovernment", "510722");
}

TEST_F(OutreachRulesTest, AReturneeCountsInTheYearReturnedInTheCountyOfTheVillage) {
  // Reported by 涪城's office, the village is in 三台: the worker counts in 三台 (510722).
  EXPECT_EQ(h.apply(event("r1", "workerReturned",
                          R"({"returnedOn":"2026-01-25","village":"510722103201","reason":"family"})",
                          kReturnee, "areaGovernment", "510703")),
            "applied");
  EXPECT_EQ(h.indicator(2026, measure23::kReturnees, "510722"), 1);
  EXPECT_EQ(h.indicator(2026, measure23::kReturnees, "510703"), 0);
  EXPECT_EQ(h.apply(returned("r2", kReturnee, "2026-02-10")),
            "applied: already a returnee of 2026 (returned on 2026-01-25): counted once a year");
  EXPECT_EQ(h.lastRuleAndZh(),
            "outreach.returnee.once_a_year | 2026 年已计为返乡农民工（2026-01-25 返乡），每年计一次");
  h.apply(returned("r3", kReturnee, "2025-01-20"));  // returned in another year: that year's
  EXPECT_EQ(h.indicator(2026, measure23::kReturnees, "510722"), 1);
  EXPECT_EQ(h.indicator(2025, measure23::kReturnees, "510722"), 1);
  EXPECT_EQ(h.members("worklist:returneesNotVisited:510722103201"),
            (std::vector<std::string>{std::string(kReturnee) + "|2025|510722103201@2025-01-20",
                                      std::string(kReturnee) + "|2026|510722103201@2026-01-25"}));
  EXPECT_EQ(h.state.counters["village-coverage:2026"]["510722103201|returnees"], 1);
}

TEST_F(OutreachRulesTest, AVisitToAReturneesFamilyIsCoverageOnce) {
  h.apply(returned("r1", kReturnee, "2026-01-25"));
  h.apply(returned("r2", kOther, "2026-01-26", "510722103202"));
  EXPECT_EQ(h.apply(visited("v1", kReturnee, "2026-02-01")), "applied");
  EXPECT_EQ(h.apply(visited("v2", kReturnee, "2026-02-03")),
            "applied: the family was visited already on 2026-02-01: counted once");
  EXPECT_EQ(h.lastRuleAndZh(), "outreach.returnee.family_visit | 已于 2026-02-01 走访，只计一次");
  EXPECT_EQ(h.indicator(2026, measure23::kReturnees, "510722"), 2);
  EXPECT_EQ(h.indicator(2026, measure23::kReturneesVisited, "510722"), 1);
  EXPECT_EQ(h.state.counters["village-coverage:2026"]["510722103201|visited"], 1);
  EXPECT_EQ(h.members("worklist:returneesNotVisited:510722"),
            std::vector<std::string>{std::string(kOther) + "|2026|510722103202@2026-01-26"});
  EXPECT_TRUE(h.members("worklist:returneesNotVisited:510722103201").empty());
}

TEST_F(OutreachRulesTest, AVisitWithoutAReturnThatYearIsAppliedButNotCoverage) {
  h.apply(returned("r1", kReturnee, "2025-01-25"));  // returned last year, not this one
  EXPECT_EQ(h.apply(visited("v1", kReturnee, "2026-02-01")),
            "applied: no workerReturned of 2026 for this worker: the visit is recorded but is not "
            "coverage");
  EXPECT_EQ(h.lastRuleAndZh(),
            "outreach.returnee.family_visit | 该农民工 2026 年无返乡记录，走访予以记录，但不计入覆盖率");
  EXPECT_EQ(h.indicator(2026, measure23::kReturneesVisited, "510722"), 0);
  EXPECT_EQ(h.indicator(2025, measure23::kReturneesVisited, "510722"), 0);
}

}  // namespace
}  // namespace mwp::outreach
