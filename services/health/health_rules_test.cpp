#include "health_rules.h"

#include <gtest/gtest.h>

#include "rules_harness.h"

namespace mwp::health {
namespace {

using test::event;

constexpr const char* kMan = "510703199005121230";
constexpr const char* kWoman = "510722198803040026";

std::string check(const std::string& id, const char* worker, const std::string& type, bool free,
                  const std::string& result = "normal") {
  return event(id, "healthCheckCompleted",
               R"({"checkType":")" + type + R"(","free":)" + (free ? "true" : "false") +
                   R"(,"result":")" + result + R"(","performedOn":"2026-03-01"})",
               worker, "health");
}
std::string incident(const std::string& id, const std::string& incidentId,
                     const std::string& severity) {
  return event(id, "occupationalIncidentReported",
               R"({"incidentId":")" + incidentId +
                   R"(","employerCode":"91512081MA62K0260E","severity":")" + severity +
                   R"(","affectedWorkers":3,"occurredOn":"2026-02-20"})",
               "", "health");
}

using HealthRulesTest = test::RulesTest<HealthRules>;

TEST_F(HealthRulesTest, CervicalAndBreastChecksAreForWomenOnly) {
  EXPECT_EQ(h.apply(check("c1", kWoman, "cervicalCancer", true)), "applied");
  EXPECT_EQ(h.apply(check("c2", kMan, "breastCancer", true)),
            "refused: breastCancer checks are for women (措施十五); the resident ID is a man's");
  EXPECT_EQ(h.lastRuleAndZh(), "health.screening.women_only | breastCancer 检查面向女性农民工（措施十五），该身份证号码为男性");
  EXPECT_EQ(h.indicator(2026, measure15::kWomensCancerChecks, "510703"), 1);
}

// Three checks of three types: one occupational (paid), one HIV (free, referred), one
// pre-pregnancy (free).
void applyThreeChecks(test::RulesHarness& h) {
  h.apply(check("c1", kMan, "occupational", false));
  h.apply(check("c2", kMan, "hiv", true, "referred"));
  h.apply(check("c3", kWoman, "prePregnancy", true));
}

TEST_F(HealthRulesTest, ChecksAreCountedByType) {
  applyThreeChecks(h);
  EXPECT_EQ(h.indicator(2026, measure15::kHealthChecks, "510703"), 3);
  EXPECT_EQ(h.indicator(2026, measure15::kOccupationalChecks, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure15::kInfectiousDiseaseChecks, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure15::kPremaritalAndPrePregnancyChecks, "510703"), 1);
}

TEST_F(HealthRulesTest, FreeAndReferredChecksAreCountedApart) {
  applyThreeChecks(h);
  EXPECT_EQ(h.indicator(2026, measure15::kFreeChecks, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure15::kChecksReferred, "510703"), 1);
}

TEST_F(HealthRulesTest, IncidentsBySeverityEachOnce) {
  EXPECT_EQ(h.apply(incident("i1", "I-1", "minor")), "applied");
  EXPECT_EQ(h.apply(incident("i2", "I-2", "major")), "applied");
  EXPECT_EQ(h.apply(incident("i3", "I-2", "major")), "refused: incident I-2 is already reported");
  EXPECT_EQ(h.indicator(2026, measure15::kIncidents, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure15::kMajorIncidents, "510703"), 1);
}

// ---- occupational_check_coverage = exposed workers checked in the year ÷ exposed workers

std::string exposure(const std::string& id, const char* worker, const std::string& hazard,
                     const std::string& on) {
  return event(id, "hazardExposureRegistered",
               R"({"employerCode":"91512081MA62K0260E","hazard":")" + hazard +
                   R"(","registeredOn":")" + on + "\"}",
               worker, "health");
}

std::string occupationalCheck(const std::string& id, const char* worker, const std::string& on) {
  return event(id, "healthCheckCompleted",
               R"({"checkType":"occupational","free":true,"result":"normal","performedOn":")" + on +
                   "\"}",
               worker, "health");
}

TEST_F(HealthRulesTest, AnExposedWorkerCountsOnceAYearWhateverTheHazards) {
  EXPECT_EQ(h.apply(exposure("x1", kMan, "dust", "2026-01-10")), "applied");
  EXPECT_EQ(h.apply(exposure("x2", kMan, "noise", "2026-02-10")),
            "applied: already exposed in 2026: one worker to check, counted once");
  EXPECT_EQ(h.indicator(2026, measure15::kExposedWorkers, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure15::kExposedChecked, "510703"), 0);
  EXPECT_EQ(h.members("worklist:exposedNotChecked:510703"),
            std::vector<std::string>{std::string(kMan) + "|2026|@2026-01-10"});
}

TEST_F(HealthRulesTest, AnOccupationalCheckInTheYearOfTheExposureIsCoverage) {
  h.apply(exposure("x1", kMan, "dust", "2026-01-10"));
  h.apply(check("c0", kMan, "general", false));  // not an occupational check: not coverage
  EXPECT_EQ(h.indicator(2026, measure15::kExposedChecked, "510703"), 0);
  EXPECT_EQ(h.apply(occupationalCheck("c1", kMan, "2026-04-01")), "applied");
  EXPECT_EQ(h.apply(occupationalCheck("c2", kMan, "2026-09-01")), "applied");  // once a year
  EXPECT_EQ(h.indicator(2026, measure15::kExposedChecked, "510703"), 1);
  EXPECT_TRUE(h.members("worklist:exposedNotChecked:all").empty());
}

// The health service keeps no registry of workers: a check of a worker it never heard of is
// applied. An occupational check of a worker with no exposure that year says it is not coverage.
TEST_F(HealthRulesTest, AnOccupationalCheckOfAWorkerNotExposedThatYearIsAppliedButNotCoverage) {
  EXPECT_EQ(h.apply(occupationalCheck("c1", kMan, "2026-02-01")),
            "applied: no hazard exposure registered for this worker in 2026: the occupational "
            "check is recorded but is not coverage until an exposure of 2026 is registered");
  EXPECT_EQ(h.lastRuleAndZh(),
            "health.occupational.exposed_in_year | 该农民工 2026 年无接害登记：职业健康检查予以记录，但不计入职业健康检查覆盖率，登记 "
            "2026 年接害后计入");
  EXPECT_EQ(h.indicator(2026, measure15::kOccupationalChecks, "510703"), 1);
  // Exposed in 2025 only: a 2026 check is not that year's coverage either.
  h.apply(exposure("x1", kWoman, "dust", "2025-06-01"));
  EXPECT_EQ(h.apply(occupationalCheck("c2", kWoman, "2026-02-01")).rfind("applied: no hazard", 0),
            0u);
  EXPECT_EQ(h.apply(check("c3", kWoman, "general", true)), "applied") << "not occupational";
  EXPECT_EQ(h.apply(occupationalCheck("c4", kWoman, "2025-07-01")), "applied") << "exposed then";
  EXPECT_EQ(h.indicator(2025, measure15::kExposedChecked, "510703"), 1);
}

TEST_F(HealthRulesTest, ExposedWhenRegisteredAndCheckedInThatSameYear) {
  // Checked in 2025, exposed from 2026: the 2025 check does not cover the 2026 exposure.
  h.apply(occupationalCheck("c1", kMan, "2025-11-01"));
  h.apply(exposure("x1", kMan, "chemical", "2026-01-10"));
  EXPECT_EQ(h.indicator(2026, measure15::kExposedChecked, "510703"), 0);
  // A check reported before the exposure registered in the same year covers it.
  h.apply(occupationalCheck("c2", kWoman, "2026-02-01"));
  h.apply(exposure("x2", kWoman, "dust", "2026-03-01"));
  EXPECT_EQ(h.indicator(2026, measure15::kExposedWorkers, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure15::kExposedChecked, "510703"), 1);
  EXPECT_EQ(h.members("worklist:exposedNotChecked:510703"),
            std::vector<std::string>{std::string(kMan) + "|2026|@2026-01-10"});
}

}  // namespace
}  // namespace mwp::health
