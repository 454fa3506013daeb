#include "housing_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "reporting.h"
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

// ---- completed_share_allocated = units of the year's completions let to migrant workers ÷
// units completed in the year, both in the area and year of the completion

std::string completed(const std::string& id, const std::string& estate, int units,
                      const std::string& on, const std::string& area = "510703") {
  return event(id, "publicRentalCompleted",
               R"({"estate":")" + estate + R"(","units":)" + std::to_string(units) +
                   R"(,"completedOn":")" + on + "\"}",
               "", "housing", area);
}

// publicRentalAllocated of a unit of `estate`, its lease from `start`.
std::string allocateIn(const std::string& id, const std::string& worker, const std::string& unit,
                       const std::string& estate, const std::string& start = "2026-03-01") {
  return event(id, "publicRentalAllocated",
               R"({"unitId":")" + unit + R"(","estate":")" + estate +
                   R"(","areaSqm":42.5,"monthlyRentYuan":380,"leaseStart":")" + start +
                   R"(","leaseEnd":"2029-02-28"})",
               worker, "housing");
}

TEST_F(HousingRulesTest, UnitsCompletedAreTheBaseOfTheShareAllocated) {
  EXPECT_EQ(h.apply(completed("k1", "园艺山", 120, "2026-02-01")), "applied");
  EXPECT_EQ(h.apply(completed("k2", "塘汛", 80, "2025-12-01")), "applied");
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsCompleted, "510703"), 120);
  EXPECT_EQ(h.indicator(2025, measure11::kUnitsCompleted, "510703"), 80);
  EXPECT_EQ(h.ratio(2026, measure11::kCompletedShareAllocated, "510703"), 0);
  EXPECT_EQ(h.ratio(2024, measure11::kCompletedShareAllocated, "510703"), std::nullopt)
      << "nothing completed: no share, not 0";
}

// More lettings than the year completed — of the year's estate, of an estate completed before
// mwp, and the same unit let again — and the share still cannot pass 1.
TEST_F(HousingRulesTest, TheShareCountsOnlyTheYearsCompletedUnitsEachOnce) {
  h.apply(completed("k1", "园艺山", 2, "2025-02-01"));
  EXPECT_EQ(h.apply(allocateIn("a1", test::numberedResidentId(1), "YYS-1", "园艺山")), "applied");
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0.5);
  // An estate completed before mwp: no year's share.
  h.apply(allocateIn("a2", test::numberedResidentId(2), "OLD-1", "老城区"));
  EXPECT_EQ(h.last.rule, "housing.public_rental.completed_share") << "a unit's first letting";
  h.apply(vacate("v1", test::numberedResidentId(1).c_str(), "YYS-1"));
  // The same unit let again.
  EXPECT_EQ(h.apply(allocateIn("a3", test::numberedResidentId(3), "YYS-1", "园艺山")), "applied");
  EXPECT_EQ(h.last.rule, "") << "a re-letting is in no share";
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0.5);
  h.apply(allocateIn("a4", test::numberedResidentId(4), "YYS-2", "园艺山"));
  h.apply(allocateIn("a5", test::numberedResidentId(5), "YYS-3", "园艺山"));  // one too many
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsAllocated, "510703"), 5) << "every allocation";
  EXPECT_EQ(h.indicator(2025, measure11::kCompletedUnitsAllocated, "510703"), 2);
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 1);
  // The unit let beyond the phase belongs to the estate's next phase, when it is reported.
  h.apply(completed("k2", "园艺山", 4, "2026-01-15"));
  EXPECT_EQ(h.ratio(2026, measure11::kCompletedShareAllocated, "510703"), 0.25);
}

// A unit counts in the area and year of its estate's completion, not of its letting: a phase of
// 2025 in 三台县 let in 2026 by the 涪城区 office raises 三台县's 2025 share.
TEST_F(HousingRulesTest, ALettingCountsInTheAreaAndYearOfTheCompletion) {
  // Let before the completion is reported.
  h.apply(allocateIn("a1", test::numberedResidentId(1), "TX-1", "塘汛"));
  EXPECT_EQ(h.indicator(2026, measure11::kCompletedUnitsAllocated, "510703"), 0);
  h.apply(completed("k1", "塘汛", 4, "2025-12-01", "510722"));
  h.apply(allocateIn("a2", test::numberedResidentId(2), "TX-2", "塘汛"));
  EXPECT_EQ(h.indicator(2025, measure11::kCompletedUnitsAllocated, "510722"), 2);
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510722"), 0.5);
  EXPECT_EQ(h.ratio(2026, measure11::kCompletedShareAllocated, "510703"), std::nullopt);
  // Of two phases, the earlier is let first.
  h.apply(completed("k2", "塘汛", 2, "2026-01-10", "510722"));
  h.apply(allocateIn("a3", test::numberedResidentId(3), "TX-3", "塘汛"));
  h.apply(allocateIn("a4", test::numberedResidentId(4), "TX-4", "塘汛"));
  h.apply(allocateIn("a5", test::numberedResidentId(5), "TX-5", "塘汛"));
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510722"), 1);
  EXPECT_EQ(h.ratio(2026, measure11::kCompletedShareAllocated, "510722"), 0.5);
}

// A letting beyond the completed units an estate has reported is applied and in no share; its
// verdict does not say so, since whether it is depends on completions, events of another
// partition that a replay may apply in another order, and a verdict must be the same in each.
TEST_F(HousingRulesTest, ALettingBeyondTheReportedCompletionsIsInNoShare) {
  EXPECT_EQ(h.apply(allocateIn("a1", test::numberedResidentId(1), "TX-1", "塘汛")), "applied");
  h.apply(completed("k1", "塘汛", 2, "2025-12-01"));
  EXPECT_EQ(h.apply(allocateIn("a2", test::numberedResidentId(2), "TX-2", "塘汛")), "applied");
  EXPECT_EQ(h.apply(allocateIn("a3", test::numberedResidentId(3), "TX-3", "塘汛")), "applied");
  EXPECT_EQ(h.indicator(2025, measure11::kCompletedUnitsAllocated, "510703"), 2)
      << "the phase's two units are let (TX-1 was kept for it), TX-3 is beyond them";
  EXPECT_EQ(h.indicator(2026, measure11::kUnitsAllocated, "510703"), 3);
}

// A unit is not let before it is built: an estate's lettings of before a phase's completion — let
// before mwp knew of the estate, or of an earlier phase — are not in that phase's share.
TEST_F(HousingRulesTest, ALettingBeforeAPhaseWasCompletedIsNotInItsShare) {
  h.apply(allocateIn("a1", test::numberedResidentId(1), "TX-1", "塘汛", "2024-05-01"));
  h.apply(completed("k1", "塘汛", 4, "2025-12-01"));
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0)
      << "the unit let in 2024 is not of the phase completed in December 2025";
  EXPECT_EQ(h.apply(allocateIn("a2", test::numberedResidentId(2), "TX-2", "塘汛", "2025-11-01")),
            "applied");
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0)
      << "let a month before the phase was completed";
  EXPECT_EQ(h.apply(allocateIn("a3", test::numberedResidentId(3), "TX-3", "塘汛", "2026-01-05")),
            "applied");
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0.25);
  // An earlier phase reported late takes the lettings of its time.
  h.apply(completed("k0", "塘汛", 2, "2024-03-01"));
  EXPECT_EQ(h.indicator(2024, measure11::kCompletedUnitsAllocated, "510703"), 2);
  EXPECT_EQ(h.ratio(2025, measure11::kCompletedShareAllocated, "510703"), 0.25);
}

// The same estate's completions and lettings, applied as the service applies them (with its
// quarter and 春运 counts), in three orders: a completion and other workers' lettings are events of
// different partitions, so a replay can apply them in another order than the live run did.
class HousingShareOrder : public ::testing::Test {
 protected:
  // What a replay compares: every value and every counter (a counter at 0 is one never counted).
  static std::string stateAfter(const std::vector<std::string>& events) {
    auto rules = withReporting(std::make_unique<HousingRules>(), msg::Service::HOUSING,
                               Catalogue::builtIn());
    test::RulesHarness h{*rules};
    for (const auto& e : events) EXPECT_TRUE(h.apply(e).rfind("applied", 0) == 0) << e;
    std::string out;
    for (const auto& [key, value] : h.state.values) out += key + "=" + value.value_or("-") + "\n";
    for (const auto& [hash, fields] : h.state.counters) {
      for (const auto& [field, n] : fields) {
        if (n != 0) out += hash + "/" + field + "=" + std::to_string(n) + "\n";
      }
    }
    return out;
  }
};

TEST_F(HousingShareOrder, TheShareIsTheSameWhateverOrderCompletionsAndLettingsComeIn) {
  // Three phases of one estate in two counties, reported out of date order, and seven units let
  // in four quarters: more than the first two phases hold.
  std::vector<std::string> completions = {
      completed("k1", "塘汛", 2, "2026-05-06", "510703"),
      completed("k2", "塘汛", 3, "2025-11-20", "510722"),
      completed("k3", "塘汛", 4, "2026-08-15", "510703"),
  };
  std::vector<std::string> lettings;
  const char* starts[] = {"2026-01-10", "2026-02-01", "2026-04-20", "2026-05-30",
                          "2026-07-01", "2026-09-09", "2026-10-02"};
  for (int i = 0; i < 7; ++i) {
    lettings.push_back(allocateIn("a" + std::to_string(i), test::numberedResidentId(i),
                                  "TX-" + std::to_string(i), "塘汛", starts[i]));
  }
  auto completionsFirst = completions;
  completionsFirst.insert(completionsFirst.end(), lettings.begin(), lettings.end());
  auto lettingsFirst = lettings;
  lettingsFirst.insert(lettingsFirst.end(), completions.begin(), completions.end());
  std::vector<std::string> interleaved;
  for (size_t i = 0; i < lettings.size(); ++i) {
    interleaved.push_back(lettings[lettings.size() - 1 - i]);
    if (i < completions.size()) interleaved.push_back(completions[i]);
  }
  auto expected = stateAfter(completionsFirst);
  EXPECT_EQ(stateAfter(lettingsFirst), expected);
  EXPECT_EQ(stateAfter(interleaved), expected);
  // The phases fill earliest first, each in its completion's area, year and quarter.
  EXPECT_NE(expected.find("indp:2025-Q4/11|completed_units_allocated|510722=3"), std::string::npos)
      << expected;
  EXPECT_NE(expected.find("indp:2026-Q2/11|completed_units_allocated|510703=2"), std::string::npos)
      << expected;
  EXPECT_NE(expected.find("indp:2026-Q3/11|completed_units_allocated|510703=2"), std::string::npos)
      << expected;
}

}  // namespace
}  // namespace mwp::housing
