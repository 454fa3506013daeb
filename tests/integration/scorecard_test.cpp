// Each county accountable (GET /v1/scorecard, ?period= on /v1/measures): a small published
// scenario through the real bus, the employment, outreach and rights services as processes, and
// the gateway on 127.0.0.1. 江油市 holds a fair every quarter; 三台县 visits its workers outside
// in Q1, says it had nothing to report of fairs in Q1 (late, on the 12th day) and in Q2 (in time);
// 平武县 sends nothing; 涪城区 has two insured workers of whom one holds a card, a wage claim and a
// dispute past their deadlines, and a project with two red wage warnings open.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>

#include "bus_client.h"
#include "gateway.h"
#include "gateway_answers.h"
#include "rules_harness.h"
#include "service_harness.h"
#include "system_suite.h"
#include "wage_events.h"

namespace mwp {
namespace {

using test::areaOf;
using test::contains;
using test::event;

std::string fair(const std::string& id, const std::string& area, const std::string& heldOn) {
  return event(id, "jobFairHeld",
               R"({"fairId":")" + id + R"(","campaign":"regular","heldOn":")" + heldOn +
                   R"(","employers":10,"vacancies":100,"attendees":300,"agreementsSigned":20})",
               "", "hrss", area, heldOn + "T18:00:00+08:00");
}

// `json` (made with test::event's default occurredAt of 2 March) sent on `occurredAt` instead.
std::string sentOn(std::string json, const std::string& occurredAt) {
  const std::string kDefault = "2026-03-02T09:00:00+08:00";
  auto at = json.find(kDefault);
  if (at != std::string::npos) json.replace(at, kDefault.size(), occurredAt);
  return json;
}

// 涪城区 (510703): what the scorecard takes from other measures than the targets'. Card coverage
// (措施十六) of one in two insured workers; a wage claim never accepted (措施二十, due in five
// working days) and a dispute never awarded (措施二十一, 45 days): two cases overdue of two
// measures; and a government project whose April wages went unpaid for one worker of three
// (措施二十: workerUnpaid and manyUnpaid red, paidOutsideAccount yellow), as
// wage_payment_test.cpp's month a year later.
std::vector<std::string> fuchengScenario() {
  const std::string kWaiting = "510703199005121230", kServed = "510722198803040026";
  auto registered = [](const std::string& id, const std::string& worker, const char* name,
                       const char* gender) {
    return event(id, "workerRegistered",
                 std::string(R"({"name":")") + name + R"(","gender":")" + gender +
                     R"(","phone":"13900000000","hukouArea":"510722","currentArea":"510703","currentCity":"绵阳","registeredOn":"2026-01-05"})",
                 worker, "hrss", "510703");
  };
  std::vector<std::string> events{
      registered("sc-reg-1", kWaiting, "王五", "male"),
      registered("sc-reg-2", kServed, "李四", "female"),
      event("sc-ins-1", "insuranceEnrolled", R"({"scheme":"pension","enrolledOn":"2026-01-10"})",
            kWaiting, "hrss", "510703"),
      event("sc-ins-2", "insuranceEnrolled", R"({"scheme":"medical","enrolledOn":"2026-01-12"})",
            kServed, "hrss", "510703"),
      event("sc-card-2", "socialSecurityCardIssued", R"({"issuedOn":"2026-02-01"})", kServed,
            "hrss", "510703"),
      event(
          "sc-claim", "wageClaimFiled",
          R"({"caseNo":"WC-SC","employerCode":"91512081MA62K0260E","project":"厂房","governmentInvested":false,"amountYuan":30000,"workersAffected":3,"channel":"online","filedOn":"2026-01-20"})",
          kWaiting, "hrss", "510703", "2026-01-20T10:00:00+08:00"),
      event("sc-dispute-filed", "disputeFiled",
            R"({"caseNo":"LD-SC","category":"wages","claimYuan":9000,"filedOn":"2026-01-05"})",
            kWaiting, "hrss", "510703", "2026-01-05T10:00:00+08:00"),
      event("sc-dispute-accepted", "disputeAccepted",
            R"({"caseNo":"LD-SC","simplified":false,"acceptedOn":"2026-01-06"})", "", "hrss",
            "510703", "2026-01-06T10:00:00+08:00")};
  const test::wage::ProjectEvents site("P-SC-1");
  const std::string kAfter = "2026-05-25T10:00:00+08:00";  // after the month's payments
  std::vector<std::string> project{site.registered("sc-p-registered", true, "2026-03-01"),
                                   site.accountOpened("sc-p-account", "2026-03-10"),
                                   site.depositLodged("sc-p-deposit", "2026-04-20"),
                                   site.labourCost("sc-p-cost", "2026-04", "2026-05-10")};
  for (int n = 1; n <= 3; ++n) {
    std::string w = std::to_string(n);
    project.push_back(site.enrolled("sc-p-enrolled-" + w, test::wage::worker(n), "2026-03-05"));
    project.push_back(site.attended("sc-p-attended-" + w, test::wage::worker(n), "2026-04", 22));
  }
  project.push_back(site.paid("sc-p-paid-1", test::wage::worker(1), "2026-04", "2026-05-12"));
  project.push_back(
      site.paid("sc-p-paid-2", test::wage::worker(2), "2026-04", "2026-05-20", 6000, false));
  for (auto& e : project) events.push_back(sentOn(e, kAfter));
  return events;
}

std::vector<std::string> scenario() {
  return {
      fair("sc-fair-1", "510781", "2026-02-10"),  // in 2026's 春运 (2 February – 13 March)
      fair("sc-fair-2", "510781", "2026-05-10"),
      fair("sc-fair-3", "510781", "2026-08-10"),
      fair("sc-fair-4", "510781", "2026-11-10"),
      event(
          "sc-visit", "activityReported",
          R"({"measure":23,"activity":"condolenceVisitOutside","heldOn":"2026-01-20","count":1,"participants":30,"fundsYuan":20000})",
          "", "areaGovernment", "510722", "2026-03-25T10:00:00+08:00"),
      event("sc-none-q1", "periodReported",
            R"({"measure":1,"period":"2026-Q1","nothingToReport":true})", "", "areaGovernment",
            "510722", "2026-04-12T10:00:00+08:00"),
      event("sc-none-q2", "periodReported",
            R"({"measure":1,"period":"2026-Q2","nothingToReport":true})", "", "areaGovernment",
            "510722", "2026-07-03T10:00:00+08:00"),
  };
}

class ScorecardTest : public test::SystemSuite<ScorecardTest> {
 public:  // what SystemSuite starts and sends, once
  static test::SystemSpec systemSpec() {
    return {{{"employment", MWP_EMPLOYMENT_BINARY},
             {"outreach", MWP_OUTREACH_BINARY},
             {"rights", MWP_RIGHTS_BINARY}},
            test::keyLine("office", "integrator", "k-office"),
            std::chrono::milliseconds(1000),
            {{"MWP_INDICATOR_REFRESH_MS", "100"}}};
  }

  static void sendTheScenario() {
    auto events = scenario();
    for (auto& e : fuchengScenario()) events.push_back(std::move(e));
    send(events);
    for (const char* id :
         {"sc-fair-1", "sc-fair-2", "sc-fair-3", "sc-fair-4", "sc-none-q1", "sc-none-q2"}) {
      services_["employment"]->waitForVerdict(id);
    }
    services_["outreach"]->waitForVerdict("sc-visit");
    services_["employment"]->waitForVerdict("sc-card-2");
    // The overdue cases and the red warnings are raised by the rights service's clock, and
    // counted when they come back through the bus.
    auto& rights = *services_["rights"];
    rights.waitForVerdict("sc-p-paid-2");
    rights.waitForVerdict("wageWarning:P-SC-1:manyUnpaid:2026-04:red");
    for (const char* measure : {"20", "21"}) {
      rights.waitForMetric("mwp_measure_value",
                           {{"measure", measure},
                            {"indicator", "cases_overdue"},
                            {"area", "510703"},
                            {"year", "2026"}},
                           1);
    }
    rights.waitForMetric(
        "mwp_measure_value",
        {{"measure", "20"}, {"indicator", "warnings_red_open"}, {"area", "510703"}, {"year", "2026"}},
        2);
  }

 protected:
  httplib::Result get(const std::string& path, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    headers.emplace("Authorization", "Bearer k-office");
    return client.Get(path, headers);
  }
};

TEST_F(ScorecardTest, EachAreaIsJudgedByItsOwnTargetWhateverTheCitysTotal) {
  auto r = get("/v1/scorecard?year=2026");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.rfind(R"({"year":2026,"areas":[)", 0), 0u) << r->body;
  auto jiangyou = areaOf(r->body, "510781");
  EXPECT_TRUE(contains(jiangyou, R"("nameZh":"江油市")"));
  EXPECT_TRUE(contains(
      jiangyou, R"({"measure":1,"indicator":"fairs_held","value":4,"target":4,"met":true})"));
  auto santai = areaOf(r->body, "510722");
  EXPECT_TRUE(contains(
      santai, R"({"measure":1,"indicator":"fairs_held","value":0,"target":4,"met":false})"));
  EXPECT_TRUE(contains(
      santai,
      R"({"measure":23,"indicator":"condolence_visit_outside","value":1,"target":1,"met":true})"));
  auto pingwu = areaOf(r->body, "510727");
  EXPECT_TRUE(contains(
      pingwu,
      R"({"measure":23,"indicator":"condolence_visit_outside","value":0,"target":1,"met":false})"));
  EXPECT_TRUE(contains(pingwu, R"("casesOverdue":0,"redWageWarnings":0)"));
  EXPECT_TRUE(contains(r->body, R"("unavailable":[])")) << "every service asked answered";
}

// What the scorecard takes from measures other than the targets' is the area's own: 涪城区's card
// coverage, its overdue cases of two measures (20 and 21) and its red warnings (not the yellow one,
// nor the government project's count); 三台县 has none of them.
TEST_F(ScorecardTest, CoverageOverdueCasesAndRedWarningsAreEachAreasOwn) {
  auto r = get("/v1/scorecard?year=2026");
  ASSERT_EQ(r->status, 200) << r->body;
  auto fucheng = areaOf(r->body, "510703");
  EXPECT_TRUE(contains(
      fucheng, R"({"measure":16,"indicator":"card_coverage","value":0.5,"target":1,"met":false})"));
  EXPECT_TRUE(contains(fucheng, R"("casesOverdue":2,"redWageWarnings":2)"));
  auto santai = areaOf(r->body, "510722");
  EXPECT_EQ(santai.find(R"("indicator":"card_coverage")"), std::string::npos)
      << "no insured worker in 三台县: no ratio, not 0 or 1\n"
      << santai;
  EXPECT_TRUE(contains(santai, R"("casesOverdue":0,"redWageWarnings":0)"));
}

TEST_F(ScorecardTest, AQuartersReportingCountsExplicitReportsAndEventsAndTheirTimeliness) {
  auto r = get("/v1/scorecard?year=2026&period=2026-Q1");
  ASSERT_EQ(r->status, 200) << r->body;
  // The three services running own 27 measures: each area owes 27 reports for the quarter.
  // 三台县: measure 23 by its visit (sent in March), measure 1 by a nothingToReport on 12 April.
  EXPECT_TRUE(contains(areaOf(r->body, "510722"),
                       R"("reporting":{"expected":27,"reported":2,"onTime":1})"));
  // 江油市's fair of 10 February was sent the same day.
  EXPECT_TRUE(contains(areaOf(r->body, "510781"),
                       R"("reporting":{"expected":27,"reported":1,"onTime":1})"));
  EXPECT_TRUE(contains(areaOf(r->body, "510727"),
                       R"("reporting":{"expected":27,"reported":0,"onTime":0})"));
  // In a quarter, 措施一's per-area target is one fair.
  EXPECT_TRUE(
      contains(areaOf(r->body, "510781"),
               R"({"measure":1,"indicator":"fairs_held","value":1,"target":1,"met":true})"));

  auto m1 = get("/v1/measures/1?period=2026-Q1");
  ASSERT_EQ(m1->status, 200) << m1->body;
  EXPECT_TRUE(contains(
      m1->body,
      R"("period":"2026-Q1","reporting":{"period":"2026-Q1","expected":14,"reported":2,"onTime":1,"nothingToReport":1,)"));
  EXPECT_TRUE(contains(m1->body, R"("late":["510722"])"));
  EXPECT_TRUE(contains(m1->body, R"("missing":["510703","510704")"));
}

TEST_F(ScorecardTest, IndicatorsAreCountedByQuarterAndBySpringTravel) {
  auto spring = get("/v1/measures/1?period=2026-spring&area=510781");
  ASSERT_EQ(spring->status, 200) << spring->body;
  EXPECT_TRUE(
      contains(spring->body, R"("indicator":"fairs_held","area":"510781","year":2026,"value":1,)"));
  auto q3 = get("/v1/measures/1?period=2026-Q3&area=510781");
  EXPECT_TRUE(contains(
      q3->body, R"("indicator":"fairs_held","area":"510781","year":2026,"value":1,"target":1})"));
  auto all = get("/v1/measures?period=2026-Q2");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(all->body.rfind(R"({"year":2026,"period":"2026-Q2","measures":[)", 0), 0u);
  for (const char* bad : {"2026-Q5", "2026-spring2", "2018-spring", "2026"}) {
    auto r = get(std::string("/v1/measures/1?period=") + bad);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_TRUE(contains(r->body, "period"));
  }
  EXPECT_EQ(get("/v1/scorecard?year=2025&period=2026-Q1")->status, 400);
}

TEST_F(ScorecardTest, ReportingIsExportedPerMeasureAndPerArea) {
  auto& outreach = *services_["outreach"];
  EXPECT_EQ(outreach.waitForMetric("mwp_measure_reporting",
                                   {{"measure", "23"},
                                    {"area", "all"},
                                    {"year", "2026"},
                                    {"quarter", "1"},
                                    {"status", "reported"}},
                                   1),
            1);
  EXPECT_EQ(outreach.metric("mwp_measure_reporting", {{"measure", "23"},
                                                      {"area", "all"},
                                                      {"year", "2026"},
                                                      {"quarter", "1"},
                                                      {"status", "expected"}}),
            14);
  auto& employment = *services_["employment"];
  EXPECT_EQ(
      employment.waitForMetric(
          "mwp_measure_target",
          {{"measure", "1"}, {"indicator", "fairs_held"}, {"area", "510722"}, {"year", "2026"}}, 4),
      4);
}

// What the office opens in Excel: the CSV with a byte-order mark, read here by Python's csv module.
TEST_F(ScorecardTest, TheCsvOpensInPythonsCsvModuleWithTheChineseNames) {
  auto r = get("/v1/scorecard?year=2026", {{"Accept", "text/csv"}});
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  ASSERT_EQ(r->body.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 with a BOM, so Excel reads it right";
  std::string file = ::testing::TempDir() + "scorecard.csv";
  std::ofstream(file, std::ios::binary) << r->body;
  std::string script =
      "import csv,sys\n"
      "text = open(sys.argv[1], encoding='utf-8').read()\n"
      "assert text.startswith('\\ufeff')\n"
      "rows = list(csv.DictReader(text[1:].splitlines()))\n"
      "for r in rows:\n"
      "  if (r['area'] == '510722' and r['indicator'] in ('condolence_visit_outside', "
      "'fairs_held')) or (r['area'] == '510703' and r['indicator'] in ('card_coverage', "
      "'cases_overdue', 'red_wage_warnings')):\n"
      "    print(r['nameZh'], r['measure'], r['indicator'], r['value'], r['target'], r['met'])\n"
      "print(len({r['area'] for r in rows}), 'areas')\n";
  std::string scriptFile = ::testing::TempDir() + "read_scorecard.py";
  std::ofstream(scriptFile) << script;
  FILE* pipe = popen(("python3 " + scriptFile + " " + file + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  EXPECT_EQ(pclose(pipe), 0) << out;
  EXPECT_EQ(out,
            "涪城区 16 card_coverage 0.5 1 false\n"
            "涪城区  cases_overdue 2  \n"
            "涪城区  red_wage_warnings 2  \n"
            "三台县 1 fairs_held 0 4 false\n"
            "三台县 23 condolence_visit_outside 1 1 true\n"
            "14 areas\n");
}

}  // namespace
}  // namespace mwp
