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

class OutreachRulesTest : public ::testing::Test {
 protected:
  OutreachRules rules;
  test::RulesHarness h{rules};
};

TEST_F(OutreachRulesTest, ActivitiesCountPerMeasureActivityAreaAndYear) {
  EXPECT_EQ(h.apply(activity("a1", 23, "condolenceVisitOutside", "510722")), "applied");
  EXPECT_EQ(h.apply(activity("a2", 23, "familyVisit", "510722", "2026-01-21", 40)), "applied");
  EXPECT_EQ(h.apply(activity("a3", 23, "condolenceVisitOutside", "510703", "2025-12-30")),
            "applied");
  EXPECT_EQ(h.indicator(2026, 23, "condolence_visit_outside", "510722"), 1);
  EXPECT_EQ(h.indicator(2026, 23, "family_visit", "510722"), 40);
  EXPECT_EQ(h.indicator(2026, 23, "activities", "510722"), 41);
  EXPECT_EQ(h.indicator(2026, 23, "participants", "510722"), 400);
  EXPECT_EQ(h.indicator(2026, 23, "funds_yuan", "510722"), 10000);
  EXPECT_EQ(h.indicator(2025, 23, "condolence_visit_outside", "510703"), 1);
}

TEST_F(OutreachRulesTest, AnActivitysIndicatorIsItsNameInSnakeCaseAsTheCatalogueLists) {
  // (An activity its measure does not list is refused by the bus: see EventRules tests.)
  EXPECT_EQ(activityIndicator("condolenceVisitOutside"), "condolence_visit_outside");
  for (int m : {12, 13, 17, 18, 19, 23, 24, 25, 26, 27, 28, 29, 30}) {
    auto measure = Catalogue::builtIn().measure(m);
    for (auto a : measure.getActivities()) {
      bool listed = false;
      for (auto i : measure.getIndicators())
        listed |= activityIndicator(a.cStr()) == i.getName().cStr();
      EXPECT_TRUE(listed) << "measure " << m << " has no indicator for " << a.cStr();
    }
  }
}

TEST_F(OutreachRulesTest, AChecklistRemembersItsEarliestDate) {
  h.apply(activity("a1", 29, "serviceOrganisationEstablished", "510722", "2026-02-01"));
  h.apply(activity("a2", 29, "serviceOrganisationEstablished", "510722", "2019-05-01"));
  EXPECT_EQ(h.state.get("checklist:29:510722"), "2019-05-01");
}

TEST_F(OutreachRulesTest, OtherKindsAreIgnored) {
  EXPECT_EQ(h.apply(test::fixtureLines()[2]), "ignored");
}

}  // namespace
}  // namespace mwp::outreach
