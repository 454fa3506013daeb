// Housing, education, health and outreach through the real bus and Redis, each as its binary:
// indicators on /metrics, worker sections on the query socket, and a replay that changes nothing.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "bus_client.h"
#include "bus_fixture.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kMan = "510703199005121230";
constexpr const char* kWoman = "510722198803040026";
constexpr const char* kChild = "510703201903010049";

struct Scenario {
  const char* binary;
  const char* name;
  std::vector<std::string> events;
  std::string lastEventId;  // the service has applied everything once this has a verdict
};

class ServicesTest : public test::BusFixture {
 protected:

  // Starts the service, publishes the scenario, waits until it is applied.
  std::unique_ptr<test::RunningService> run(const Scenario& s) {
    auto service = std::make_unique<test::RunningService>(s.binary, s.name, *bus_);
    for (const auto& r : publish(s.events)) {
      EXPECT_EQ(r.status, msg::IngestReply::Status::ACK) << r.eventId << ": " << r.reason;
    }
    service->waitForVerdict(s.lastEventId);
    return service;
  }

  double value(test::RunningService& s, const std::string& measure, const std::string& indicator,
               const std::string& area, double expected) {
    return s
        .waitForMetric(
            "mwp_measure_value",
            {{"measure", measure}, {"indicator", indicator}, {"area", area}, {"year", "2026"}},
            expected)
        .value_or(-1);
  }

  // Every mwp_measure_value sample, as text, after the next refresh.
  std::string measureValues(test::RunningService& s) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::string out;
    std::istringstream lines(s.metrics());
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("mwp_measure_value{", 0) == 0) out += line + "\n";
    }
    return out;
  }

  // Publishing the scenario again stores nothing new and changes no figure and no section.
  void expectReplayChangesNothing(test::RunningService& s, const Scenario& scenario,
                                  const std::string& worker) {
    std::string before = measureValues(s), section = s.section(worker).second;
    for (const auto& r : publish(scenario.events)) {
      EXPECT_EQ(r.status, msg::IngestReply::Status::DUPLICATE) << r.eventId;
    }
    EXPECT_EQ(measureValues(s), before);
    EXPECT_EQ(s.section(worker).second, section);
  }

};

Scenario housing() {
  auto allocate = [](const std::string& id, const char* worker, const std::string& unit) {
    return event(
        id, "publicRentalAllocated",
        R"({"unitId":")" + unit +
            R"(","estate":"园艺山公租房","areaSqm":42.5,"monthlyRentYuan":380,"leaseStart":"2026-03-01","leaseEnd":"2029-02-28"})",
        worker, "housing");
  };
  return {MWP_HOUSING_BINARY,
          "housing",
          {allocate("h1", kMan, "U-1"), allocate("h2", kWoman, "U-1"),
           event("h3", "rentSubsidyGranted",
                 R"({"monthlyYuan":300,"months":12,"grantedOn":"2026-02-01"})", kWoman, "housing"),
           event("h4", "dormitoryBedsProvided",
                 R"({"employerCode":"91512081MA62K0260E","beds":120,"providedOn":"2026-02-01"})",
                 "", "housing", "MYGX")},
          "h4"};
}

TEST_F(ServicesTest, HousingAllocatesEachUnitToOneWorker) {
  auto scenario = housing();
  auto s = run(scenario);
  EXPECT_EQ(s->verdict("h2").second,
            R"({"status":"refused","rule":"housing.public_rental.one_unit",)"
            R"("reason":"unit U-1 is held by another worker","reasonZh":"房源 U-1 已由他人承租"})");
  auto section = s->section(kMan);
  ASSERT_EQ(section.first, "json");
  EXPECT_NE(section.second.find(R"("unitId":"U-1")"), std::string::npos) << section.second;
  EXPECT_EQ(value(*s, "11", "units_allocated", "all", 1), 1);
  EXPECT_EQ(value(*s, "11", "dormitory_beds", "MYGX", 120), 120);
  EXPECT_EQ(value(*s, "11", "rent_subsidies", "all", 1), 1);
  expectReplayChangesNothing(*s, scenario, kMan);
}

Scenario education() {
  return {
      MWP_EDUCATION_BINARY,
      "education",
      {event(
           "e1", "schoolPlacementRequested",
           std::string(R"({"childId":")") + kChild +
               R"(","childName":"张小明","stage":"primary","residenceArea":"510703","requestedOn":"2026-03-01"})",
           kMan, "education"),
       event(
           "e2", "schoolPlacementDecided",
           std::string(R"({"childId":")") + kChild +
               R"(","school":"涪城区实验小学","schoolArea":"510703","placed":true,"decidedOn":"2026-03-11"})",
           kMan, "education")},
      "e2"};
}

TEST_F(ServicesTest, EducationPlacesChildrenNearTheirParents) {
  auto scenario = education();
  auto s = run(scenario);
  auto section = s->section(kMan);
  ASSERT_EQ(section.first, "json");
  EXPECT_NE(section.second.find(R"("placed":"涪城区实验小学")"), std::string::npos)
      << section.second;
  EXPECT_EQ(section.second.find(kChild), std::string::npos) << "the child's ID is shown masked";
  EXPECT_EQ(value(*s, "14", "placement_rate", "all", 1), 1);
  EXPECT_EQ(value(*s, "14", "placed_near_residence", "all", 1), 1);
  EXPECT_EQ(value(*s, "14", "median_days_to_decision", "510703", 10), 10);
  EXPECT_EQ(value(*s, "14", "undecided_over_30_days", "all", 0), 0);
  expectReplayChangesNothing(*s, scenario, kMan);
}

TEST_F(ServicesTest, EducationCountsARequestWaitingMoreThanThirtyDaysUntilToday) {
  auto scenario = education();
  scenario.events.pop_back();  // the request of 2026-03-01, never decided
  scenario.lastEventId = "e1";
  auto s = run(scenario);
  // Counted from today's date when the gauges are read: this test runs long after March 2026.
  EXPECT_EQ(value(*s, "14", "undecided_over_30_days", "510703", 1), 1);
  EXPECT_EQ(value(*s, "14", "undecided_over_30_days", "all", 1), 1);
}

Scenario health() {
  auto check = [](const std::string& id, const char* worker, const std::string& type) {
    return event(id, "healthCheckCompleted",
                 R"({"checkType":")" + type +
                     R"(","free":true,"result":"normal","performedOn":"2026-03-01"})",
                 worker, "health");
  };
  return {
      MWP_HEALTH_BINARY,
      "health",
      {check("k1", kWoman, "cervicalCancer"), check("k2", kMan, "breastCancer"),
       check("k3", kMan, "occupational"),
       event(
           "k4", "occupationalIncidentReported",
           R"({"incidentId":"I-9","employerCode":"91512081MA62K0260E","severity":"major","affectedWorkers":5,"occurredOn":"2026-02-20"})",
           "", "health")},
      "k4"};
}

TEST_F(ServicesTest, HealthCountsChecksAndRaisesMajorIncidents) {
  auto scenario = health();
  auto s = run(scenario);
  EXPECT_EQ(
      s->verdict("k2").second,
      R"({"status":"refused","rule":"health.screening.women_only",)"
      R"("reason":"breastCancer checks are for women (措施十五); the resident ID is a man's",)"
      R"("reasonZh":"breastCancer 检查面向女性农民工（措施十五），该身份证号码为男性"})");
  EXPECT_NE(s->section(kWoman).second.find(R"("checkType":"cervicalCancer")"), std::string::npos);
  EXPECT_EQ(value(*s, "15", "womens_cancer_checks", "all", 1), 1);
  EXPECT_EQ(value(*s, "15", "free_checks", "all", 2), 2);
  EXPECT_EQ(value(*s, "15", "major_incidents", "all", 1), 1);
  EXPECT_EQ(s->metric("mwp_measure_target", {{"measure", "15"}, {"indicator", "major_incidents"}}),
            0);
  expectReplayChangesNothing(*s, scenario, kWoman);
}

Scenario outreach() {
  auto activity = [](const std::string& id, int measure, const std::string& name,
                     const std::string& area, const std::string& on) {
    return event(id, "activityReported",
                 R"({"measure":)" + std::to_string(measure) + R"(,"activity":")" + name +
                     R"(","heldOn":")" + on + R"(","count":1,"participants":120,"fundsYuan":8000})",
                 "", "areaGovernment", area);
  };
  return {
      MWP_OUTREACH_BINARY,
      "outreach",
      {activity("o1", 23, "condolenceVisitOutside", "510722", "2026-01-20"),
       activity("o2", 12, "springTravelBus", "510781", "2026-02-10"),
       activity("o3", 29, "serviceOrganisationEstablished", "510722", "2019-06-01"),
       event(
           "o4", "activityReported",
           R"({"measure":26,"activity":"newYearLetterPublished","heldOn":"2026-01-25","count":1,"participants":0,"fundsYuan":0})",
           "", "propaganda", "510703")},
      "o4"};
}

TEST_F(ServicesTest, OutreachCountsActivitiesAndKeepsTheChecklists) {
  auto scenario = outreach();
  auto s = run(scenario);
  EXPECT_EQ(value(*s, "23", "condolence_visit_outside", "510722", 1), 1);
  EXPECT_EQ(value(*s, "23", "condolence_visit_outside", "510703", 0), 0)
      << "a county with no visit shows 0 against its target of 1";
  EXPECT_EQ(
      s->metric("mwp_measure_target",
                {{"measure", "23"}, {"indicator", "condolence_visit_outside"}, {"area", "510703"}}),
      1);
  EXPECT_EQ(value(*s, "12", "spring_travel_bus", "all", 1), 1);
  EXPECT_EQ(value(*s, "29", "areas_with_service_organisation", "510722", 1), 1)
      << "established in 2019, it still counts in 2026";
  EXPECT_EQ(value(*s, "29", "areas_with_service_organisation", "all", 1), 1);
  // One per county and park: city-wide the target is 14, in Prometheus and in the gateway's JSON.
  EXPECT_EQ(s->metric("mwp_measure_target", {{"measure", "29"},
                                             {"indicator", "areas_with_service_organisation"},
                                             {"area", "all"}}),
            14);
  auto asked = s->indicators(2026, "all", 29);
  ASSERT_EQ(asked.first, "json");
  EXPECT_NE(asked.second.find(
                R"("indicator":"areas_with_service_organisation","area":"all","year":2026,"value":1,"target":14})"),
            std::string::npos)
      << asked.second;
  EXPECT_EQ(value(*s, "26", "new_year_letter_published", "all", 1), 1);
  EXPECT_EQ(s->section(kMan).first, "notFound");
  std::string before = measureValues(*s);
  for (const auto& r : publish(scenario.events))
    EXPECT_EQ(r.status, msg::IngestReply::Status::DUPLICATE);
  EXPECT_EQ(measureValues(*s), before);
}

}  // namespace
}  // namespace mwp
