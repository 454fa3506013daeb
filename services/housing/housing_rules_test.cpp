#include "housing_rules.h"

#include <gtest/gtest.h>

#include "rules_harness.h"

namespace mwp::housing {
namespace {

using test::event;

constexpr const char* kA = "510703199005121230";
constexpr const char* kB = "510722198803040026";

std::string allocate(const std::string& id, const char* worker, const std::string& unit,
                     const std::string& end = "2029-02-28") {
  return event(
      id, "publicRentalAllocated",
      R"({"unitId":")" + unit +
          R"(","estate":"园艺山","areaSqm":42.5,"monthlyRentYuan":380,"leaseStart":"2026-03-01","leaseEnd":")" +
          end + "\"}",
      worker, "housing");
}
std::string vacate(const std::string& id, const char* worker, const std::string& unit) {
  return event(id, "publicRentalVacated",
               R"({"unitId":")" + unit + R"(","vacatedOn":"2026-06-01"})", worker, "housing");
}

using HousingRulesTest = test::RulesTest<HousingRules>;

TEST_F(HousingRulesTest, OneUnitPerWorkerAndOneWorkerPerUnit) {
  EXPECT_EQ(h.apply(allocate("a1", kA, "U-1")), "applied");
  EXPECT_EQ(h.apply(allocate("a2", kA, "U-2")),
            "refused: this worker already holds unit U-1: vacate it first");
  EXPECT_EQ(h.apply(allocate("a3", kB, "U-1")), "refused: unit U-1 is held by another worker");
  EXPECT_EQ(h.lastRuleAndZh(), "housing.public_rental.one_unit | 房源 U-1 已由他人承租");
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsAllocated, "510703"), 1);
}

TEST_F(HousingRulesTest, VacatingFreesTheUnitForTheNextWorker) {
  h.apply(allocate("a1", kA, "U-1"));
  EXPECT_EQ(h.apply(vacate("v1", kB, "U-1")), "refused: this worker does not hold unit U-1");
  EXPECT_EQ(h.apply(vacate("v2", kA, "U-2")), "refused: this worker does not hold unit U-2");
  EXPECT_EQ(h.apply(vacate("v3", kA, "U-1")), "applied");
  EXPECT_EQ(h.apply(allocate("a2", kB, "U-1")), "applied");
  EXPECT_EQ(h.apply(allocate("a3", kA, "U-3")), "applied");
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsAllocated, "510703"), 3);
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsVacated, "510703"), 1);
}

TEST_F(HousingRulesTest, ALeaseMustEndAfterItStarts) {
  EXPECT_EQ(h.apply(allocate("a1", kA, "U-1", "2026-03-01")),
            "refused: the lease must end after it starts");
}

// The bus checks dates; the rules do not take that on trust: a grant dated on no day is refused
// naming the field, and the subsidy written before the date was read is not kept.
TEST_F(HousingRulesTest, ADateThatIsNoDateIsRefusedNamingTheField) {
  EXPECT_EQ(h.applyUnchecked(event("r1", "rentSubsidyGranted",
                                   R"({"monthlyYuan":300,"months":6,"grantedOn":"2026-02-30"})", kA,
                                   "housing")),
            "refused: grantedOn: not a date in the form YYYY-MM-DD");
  EXPECT_FALSE(h.state.get(std::string("worker:") + kA)) << "nothing kept for the worker";
}

TEST_F(HousingRulesTest, BedsSubsidiesAndTheProvidentFundAreCounted) {
  h.apply(event("b1", "dormitoryBedsProvided",
                R"({"employerCode":"91512081MA62K0260E","beds":120,"providedOn":"2026-02-01"})", "",
                "housing", "MYGX"));
  h.apply(event("s1", "rentSubsidyGranted",
                R"({"monthlyYuan":300,"months":12,"grantedOn":"2026-02-01"})", kA, "housing"));
  std::string fund =
      R"({"employerCode":"91512081MA62K0260E","monthlyContributionYuan":420,"enrolledOn":"2026-02-01"})";
  EXPECT_EQ(h.apply(event("f1", "providentFundEnrolled", fund, kA, "providentFund")), "applied");
  EXPECT_EQ(h.apply(event("f2", "providentFundEnrolled", fund, kA, "providentFund")),
            "refused: already enrolled in the provident fund through employer 91512081MA62K0260E");
  EXPECT_EQ(h.indicator(2026, measure11::kDormitoryBeds, "MYGX"), 120);
  EXPECT_EQ(h.indicator(2026, measure11::kRentSubsidies, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure11::kRentSubsidyYuan, "510703"), 3600);
  EXPECT_EQ(h.indicator(2026, measure11::kProvidentFundEnrolments, "510703"), 1);
}

// completed_share_allocated = units allocated in the year ÷ units completed in the year.
TEST_F(HousingRulesTest, UnitsCompletedAreTheBaseOfTheShareAllocated) {
  EXPECT_EQ(h.apply(event("k1", "publicRentalCompleted",
                          R"({"estate":"园艺山","units":120,"completedOn":"2026-02-01"})", "",
                          "housing")),
            "applied");
  EXPECT_EQ(h.apply(event("k2", "publicRentalCompleted",
                          R"({"estate":"塘汛","units":80,"completedOn":"2025-12-01"})", "",
                          "housing")),
            "applied");
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsCompleted, "510703"), 120);
  EXPECT_EQ(h.indicator(2025, measure11::kUnitsCompleted, "510703"), 80);
}

// An allocation counts in the year its lease starts, against that year's completions: one of
// December 2025 reported in March 2026 is 2025's, and its verdict says so.
TEST_F(HousingRulesTest, AnAllocationCountsInTheYearItsLeaseStartsAndSaysSoWhenReportedLater) {
  EXPECT_EQ(
      h.apply(event("a1", "publicRentalAllocated",
                    R"({"unitId":"Y-1","estate":"园艺山","areaSqm":42.5,"monthlyRentYuan":380,)"
                    R"("leaseStart":"2025-12-15","leaseEnd":"2028-12-14"})",
                    kA, "housing")),
      "applied: counted among the units allocated in 2025, the year its lease starts, "
      "against that year's completions");
  EXPECT_EQ(h.indicator(2025, measure11::kUnitsAllocated, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsAllocated, "510703"), 0);
  EXPECT_EQ(h.apply(allocate("a2", kB, "Y-2")), "applied") << "a lease of the year reported in";
}

}  // namespace
}  // namespace mwp::housing
