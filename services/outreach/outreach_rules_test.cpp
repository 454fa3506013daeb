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

}  // namespace
}  // namespace mwp::outreach
