#include "catalogue.h"

#include <gtest/gtest.h>

#include "event_kinds.h"

namespace mwp {
namespace {

const Catalogue& catalogue() {
  return Catalogue::builtIn();
}

TEST(Catalogue, HasAllThirtyMeasuresInOrder) {
  auto measures = catalogue().data().getMeasures();
  ASSERT_EQ(measures.size(), 30u);
  for (unsigned i = 0; i < 30; ++i) {
    EXPECT_EQ(measures[i].getNumber(), i + 1);
    EXPECT_GT(measures[i].getTitleZh().size(), 0u);
    EXPECT_GT(measures[i].getTitleEn().size(), 0u);
    EXPECT_GT(measures[i].getLead().size(), 0u) << "measure " << i + 1 << " has no lead";
    EXPECT_GT(measures[i].getIndicators().size(), 0u) << "measure " << i + 1;
  }
}

TEST(Catalogue, CarriesThePolicysTargets) {
  auto fairs = catalogue().measure(1).getIndicators()[0];
  EXPECT_EQ(std::string(fairs.getName().cStr()), "fairs_held");
  EXPECT_EQ(fairs.getTarget().getAtLeast(), 100);
  auto trained = catalogue().measure(4).getIndicators()[0];
  EXPECT_EQ(std::string(trained.getName().cStr()), "trained");
  EXPECT_EQ(trained.getTarget().getAtLeast(), 10000);
  auto visits = catalogue().measure(23).getIndicators()[1];
  EXPECT_EQ(std::string(visits.getName().cStr()), "condolence_visit_outside");
  EXPECT_TRUE(visits.getPerArea()) << "措施二十三: each county and park at least one visit a year";
  EXPECT_EQ(visits.getTarget().getAtLeast(), 1);
}

TEST(Catalogue, EveryKindOfTheSchemaCountsTowardAMeasureAndNoOtherKindIsNamed) {
  std::set<std::string> schemaKinds(allKinds().begin(), allKinds().end());
  std::set<std::string> catalogueKinds(catalogue().kinds().begin(), catalogue().kinds().end());
  EXPECT_EQ(schemaKinds, catalogueKinds);
  EXPECT_EQ(schemaKinds.size(), 45u);
}

TEST(Catalogue, OutreachMeasuresListTheirActivities) {
  for (int n : {12, 13, 17, 18, 19, 23, 24, 25, 26, 27, 28, 29, 30}) {
    EXPECT_EQ(catalogue().measure(n).getService(), msg::Service::OUTREACH) << n;
    EXPECT_GT(catalogue().measure(n).getActivities().size(), 0u) << n;
  }
  EXPECT_TRUE(catalogue().isListedActivity(12, "springTravelBus"));
  EXPECT_FALSE(catalogue().isListedActivity(12, "cultureEvent"));
}

TEST(Catalogue, AreasAreTheNineCountiesAndTheParks) {
  EXPECT_TRUE(catalogue().isReportingArea("510703"));
  EXPECT_TRUE(catalogue().isReportingArea("510781"));
  EXPECT_TRUE(catalogue().isReportingArea("MYGX"));
  EXPECT_FALSE(catalogue().isReportingArea("510700"));  // the city itself reports through a county
  EXPECT_FALSE(catalogue().isReportingArea("440300"));
  EXPECT_EQ(catalogue().reportingAreas().size(), 14u);
}

TEST(Catalogue, LeadAndCooperatingDepartmentsMayReportAndOthersMayNot) {
  using D = msg::Department;
  EXPECT_TRUE(catalogue().mayReport(D::HRSS, "jobFairHeld", 0));
  EXPECT_TRUE(catalogue().mayReport(D::TRADE_UNION, "jobFairHeld", 0));  // cooperating
  EXPECT_FALSE(catalogue().mayReport(D::HEALTH, "jobFairHeld", 0));
  EXPECT_TRUE(catalogue().mayReport(D::COURT, "disputeAccepted", 0));
  EXPECT_TRUE(catalogue().mayReport(D::TRANSPORT, "activityReported", 12));
  EXPECT_FALSE(catalogue().mayReport(D::TRANSPORT, "activityReported", 30));
  EXPECT_TRUE(catalogue().mayReport(D::FINANCE, "activityReported", 30));
}

TEST(Catalogue, DerivedKindsOnlyFromServicesAndServicesOnlyDerivedKinds) {
  using D = msg::Department;
  EXPECT_TRUE(catalogue().mayReport(D::MWP_SERVICE, "subsidyGranted", 0));
  EXPECT_FALSE(catalogue().mayReport(D::HRSS, "subsidyGranted", 0));
  EXPECT_FALSE(catalogue().mayReport(D::MWP_SERVICE, "workerRegistered", 0));
}

TEST(Catalogue, RefusesADataFileWithAnUnknownMember) {
  EXPECT_ANY_THROW(Catalogue(R"({"measures": [{"number": 1, "titel": "x"}]})"));
}

}  // namespace
}  // namespace mwp
