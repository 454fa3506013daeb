// Measure 20's monitoring figures, with no sockets and no Redis: open warnings by area and rule,
// and government-invested projects with a red warning open — counted once, and only while red.
#include <gtest/gtest.h>

#include "ids.h"
#include "rights_case.h"
#include "rights_rules.h"
#include "rules_harness.h"
#include "wage_monitoring.h"

namespace mwp::rights {
namespace {

using test::event;

constexpr const char* kGovernmentWorker = "510703199005121230";
constexpr const char* kOtherWorker = "510722198803040026";

// A project started on 2026-01-05 with its deposit in time and no wage account, one worker
// enrolled who worked in February.
std::vector<std::string> project(const std::string& id, const std::string& area, bool government,
                                 const std::string& worker) {
  auto e = [&](const std::string& kind, const std::string& fields, const std::string& w = "") {
    return event(id + "-" + kind, kind, R"({"projectId":")" + id + "\"," + fields + "}", w,
                 "housing", area);
  };
  return {
      e("projectRegistered",
        R"("name":"安置房","sector":"building","ownerCode":"12510700MB1D2E3F41","contractorCode":"91510703MA6A2B3C4K","governmentInvested":)" +
            std::string(government ? "true" : "false") +
            R"(,"contractYuan":9000000,"startOn":"2026-01-05","plannedEndOn":"2027-06-30","payday":15)"),
      e("wageDepositLodged", R"("amountYuan":90000,"form":"cash","lodgedOn":"2026-01-10")"),
      e("projectWorkerEnrolled",
        R"("employerCode":"91512081MA62K0260E","trade":"钢筋工","contractSigned":true,"enrolledOn":"2026-01-06")",
        worker),
      e("attendanceReported", R"("month":"2026-02","daysWorked":20)", worker),
      e("labourCostTransferred",
        R"("month":"2026-02","amountYuan":6000,"transferredOn":"2026-03-01")")};
}

class WageMonitoringTest : public ::testing::Test {
 protected:
  WageMonitoringTest() {
    for (const auto& e : project("P-G", "510703", true, kGovernmentWorker))
      EXPECT_EQ(h.apply(e), "applied");
    for (const auto& e : project("P-N", "510704", false, kOtherWorker))
      EXPECT_EQ(h.apply(e), "applied");
  }

  // The service's clock passes the end of `date`; the warnings it raises come back from the log.
  void clockPasses(const char* date) {
    h.fireTimers(endOfDay(*parseDate(date)));
    h.applyDerived();
  }

  // "indicator area" → value, of 2026.
  std::map<std::string, double> figures() {
    std::map<std::string, double> out;
    for (const auto& v : openWageWarnings(h.state, Catalogue::builtIn(), 0)) {
      EXPECT_EQ(v.year, 2026);
      out[v.indicator + " " + v.area] += v.value;
    }
    return out;
  }

  static WagePaymentPolicy policy() {
    WagePaymentPolicy p;
    p.manyUnpaidPercent = 100;  // one worker: keep manyUnpaid's red out of the way
    return p;
  }
  RightsRules rules{DeadlinePolicy{}, WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE),
                    policy()};
  test::RulesHarness h{rules};
};

using Figures = std::map<std::string, double>;

TEST_F(WageMonitoringTest, OpenWarningsAreCountedByAreaAndRule) {
  clockPasses("2026-03-15");  // both: no wage account since 02-04, the worker unpaid on the payday
  EXPECT_EQ(figures(), (Figures{{"warnings_open_no_wage_account 510703", 1},
                                {"warnings_open_no_wage_account 510704", 1},
                                {"warnings_open_worker_unpaid 510703", 1},
                                {"warnings_open_worker_unpaid 510704", 1}}));
}

TEST_F(WageMonitoringTest, AGovernmentProjectCountsWhileItHasARedWarningOpen) {
  clockPasses("2026-03-15");
  EXPECT_EQ(figures().count("government_projects_red_open 510703"), 0u) << "yellow only";
  clockPasses("2026-04-30");  // still unpaid at the end of M+2: red
  auto red = figures();
  EXPECT_EQ(red["government_projects_red_open 510703"], 1);
  EXPECT_EQ(red.count("government_projects_red_open 510704"), 0u) << "not government-invested";

  // The worker leaves unpaid: a second red warning on the same project, still one project.
  EXPECT_EQ(
      h.apply(event("left", "projectWorkerLeft", R"({"projectId":"P-G","leftOn":"2026-05-02"})",
                    kGovernmentWorker, "housing")),
      "applied");
  EXPECT_EQ(figures()["warnings_open_left_unpaid 510703"], 1);
  EXPECT_EQ(figures()["government_projects_red_open 510703"], 1);

  // Paid at last: both red warnings cleared, the project no longer counts.
  EXPECT_EQ(
      h.apply(event(
          "paid", "wagePaid",
          R"({"projectId":"P-G","month":"2026-02","amountYuan":6000,"throughWageAccount":true,"paidOn":"2026-05-08"})",
          kGovernmentWorker, "bank")),
      "applied");
  auto paid = figures();
  EXPECT_EQ(paid.count("government_projects_red_open 510703"), 0u);
  EXPECT_EQ(paid.count("warnings_open_worker_unpaid 510703"), 0u);
  EXPECT_EQ(paid["warnings_open_no_wage_account 510703"], 1) << "still no wage account";
}

TEST(WarningIdRule, TheRuleIsTheLastPartThatNamesOne) {
  EXPECT_EQ(ruleOfWarningId("P-1:workerUnpaid:2026-02:5f3a"), WarningRule::WORKER_UNPAID);
  EXPECT_EQ(ruleOfWarningId("P-1:noWageAccount"), WarningRule::NO_WAGE_ACCOUNT);
  EXPECT_EQ(ruleOfWarningId("manyUnpaid:leftUnpaid:5f3a"), WarningRule::LEFT_UNPAID);
  EXPECT_EQ(ruleOfWarningId("P-1:caseOverdue"), std::nullopt);
}

}  // namespace
}  // namespace mwp::rights
