// Each county accountable (GET /v1/scorecard, ?period= on /v1/measures): a small published
// scenario through the real bus, the employment, outreach and rights services as processes, and
// the gateway on 127.0.0.1. 江油市 holds a fair every quarter; 三台县 visits its workers outside
// in Q1, says it had nothing to report of fairs in Q1 (late, on the 12th day) and in Q2 (in time);
// 平武县 sends nothing.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>

#include "bus_client.h"
#include "gateway.h"
#include "gateway_harness.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

using test::event;

std::string fair(const std::string& id, const std::string& area, const std::string& heldOn) {
  return event(id, "jobFairHeld",
               R"({"fairId":")" + id + R"(","campaign":"regular","heldOn":")" + heldOn +
                   R"(","employers":10,"vacancies":100,"attendees":300,"agreementsSigned":20})",
               "", "hrss", area, heldOn + "T18:00:00+08:00");
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

class ScorecardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    test::flushRedis();
    bus_ = new test::BusThread(4);
    const std::pair<const char*, const char*> binaries[] = {{"employment", MWP_EMPLOYMENT_BINARY},
                                                            {"outreach", MWP_OUTREACH_BINARY},
                                                            {"rights", MWP_RIGHTS_BINARY}};
    for (const auto& [name, binary] : binaries) {
      services_[name] =
          new test::RunningService(binary, name, *bus_, {{"MWP_INDICATOR_REFRESH_MS", "100"}});
    }
    auto options = test::gatewayOptions(*bus_, services_, std::chrono::milliseconds(1000));
    std::string keys = "office integrator " + gateway::hashApiKey("k-office") + " \n";
    gateway_ = new gateway::Gateway(options, gateway::ApiKeys::parse(keys), Catalogue::builtIn(),
                                    *context_, *registry_);
    port_ = gateway_->start("127.0.0.1", 0);

    zmq::context_t context;
    Publisher publisher(context, bus_->ingest);
    std::vector<std::string> frames;
    for (const auto& e : scenario()) frames.push_back(test::frameOf(e));
    publisher.publish(frames);
    for (const char* id :
         {"sc-fair-1", "sc-fair-2", "sc-fair-3", "sc-fair-4", "sc-none-q1", "sc-none-q2"}) {
      services_["employment"]->waitForVerdict(id);
    }
    services_["outreach"]->waitForVerdict("sc-visit");
  }

  static void TearDownTestSuite() {
    delete gateway_;
    for (auto& [name, s] : services_) delete s;
    delete bus_;
  }

  httplib::Result get(const std::string& path, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    headers.emplace("Authorization", "Bearer k-office");
    return client.Get(path, headers);
  }

  // The part of the scorecard's JSON about one area.
  static std::string areaOf(const std::string& body, const std::string& area) {
    auto at = body.find(R"({"area":")" + area + "\"");
    EXPECT_NE(at, std::string::npos) << area << " in " << body;
    if (at == std::string::npos) return "";
    return body.substr(at, body.find(R"({"area":")", at + 1) - at);
  }

  static inline test::BusThread* bus_ = nullptr;
  static inline std::map<std::string, test::RunningService*> services_;
  static inline zmq::context_t* context_ = new zmq::context_t;
  static inline prometheus::Registry* registry_ = new prometheus::Registry;
  static inline gateway::Gateway* gateway_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(ScorecardTest, EachAreaIsJudgedByItsOwnTargetWhateverTheCitysTotal) {
  auto r = get("/v1/scorecard?year=2026");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.rfind(R"({"year":2026,"areas":[)", 0), 0u) << r->body;
  auto jiangyou = areaOf(r->body, "510781");
  EXPECT_NE(jiangyou.find(R"("nameZh":"江油市")"), std::string::npos) << jiangyou;
  EXPECT_NE(
      jiangyou.find(R"({"measure":1,"indicator":"fairs_held","value":4,"target":4,"met":true})"),
      std::string::npos)
      << jiangyou;
  auto santai = areaOf(r->body, "510722");
  EXPECT_NE(
      santai.find(R"({"measure":1,"indicator":"fairs_held","value":0,"target":4,"met":false})"),
      std::string::npos)
      << santai;
  EXPECT_NE(
      santai.find(
          R"({"measure":23,"indicator":"condolence_visit_outside","value":1,"target":1,"met":true})"),
      std::string::npos)
      << santai;
  auto pingwu = areaOf(r->body, "510727");
  EXPECT_NE(
      pingwu.find(
          R"({"measure":23,"indicator":"condolence_visit_outside","value":0,"target":1,"met":false})"),
      std::string::npos)
      << pingwu;
  EXPECT_NE(pingwu.find(R"("casesOverdue":0,"redWageWarnings":0)"), std::string::npos) << pingwu;
  EXPECT_NE(r->body.find(R"("unavailable":[])"), std::string::npos)
      << "every service asked answered";
}

TEST_F(ScorecardTest, AQuartersReportingCountsExplicitReportsAndEventsAndTheirTimeliness) {
  auto r = get("/v1/scorecard?year=2026&period=2026-Q1");
  ASSERT_EQ(r->status, 200) << r->body;
  // The three services running own 27 measures: each area owes 27 reports for the quarter.
  // 三台县: measure 23 by its visit (sent in March), measure 1 by a nothingToReport on 12 April.
  EXPECT_NE(
      areaOf(r->body, "510722").find(R"("reporting":{"expected":27,"reported":2,"onTime":1})"),
      std::string::npos)
      << areaOf(r->body, "510722");
  // 江油市's fair of 10 February was sent the same day.
  EXPECT_NE(
      areaOf(r->body, "510781").find(R"("reporting":{"expected":27,"reported":1,"onTime":1})"),
      std::string::npos);
  EXPECT_NE(
      areaOf(r->body, "510727").find(R"("reporting":{"expected":27,"reported":0,"onTime":0})"),
      std::string::npos);
  // In a quarter, 措施一's per-area target is one fair.
  EXPECT_NE(areaOf(r->body, "510781")
                .find(R"({"measure":1,"indicator":"fairs_held","value":1,"target":1,"met":true})"),
            std::string::npos)
      << areaOf(r->body, "510781");

  auto m1 = get("/v1/measures/1?period=2026-Q1");
  ASSERT_EQ(m1->status, 200) << m1->body;
  EXPECT_NE(
      m1->body.find(
          R"("period":"2026-Q1","reporting":{"period":"2026-Q1","expected":14,"reported":2,"onTime":1,"nothingToReport":1,)"),
      std::string::npos)
      << m1->body;
  EXPECT_NE(m1->body.find(R"("late":["510722"])"), std::string::npos) << m1->body;
  EXPECT_NE(m1->body.find(R"("missing":["510703","510704")"), std::string::npos) << m1->body;
}

TEST_F(ScorecardTest, IndicatorsAreCountedByQuarterAndBySpringTravel) {
  auto spring = get("/v1/measures/1?period=2026-spring&area=510781");
  ASSERT_EQ(spring->status, 200) << spring->body;
  EXPECT_NE(spring->body.find(R"("indicator":"fairs_held","area":"510781","year":2026,"value":1,)"),
            std::string::npos)
      << spring->body;
  auto q3 = get("/v1/measures/1?period=2026-Q3&area=510781");
  EXPECT_NE(q3->body.find(
                R"("indicator":"fairs_held","area":"510781","year":2026,"value":1,"target":1})"),
            std::string::npos)
      << q3->body;
  auto all = get("/v1/measures?period=2026-Q2");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(all->body.rfind(R"({"year":2026,"period":"2026-Q2","measures":[)", 0), 0u);
  for (const char* bad : {"2026-Q5", "2026-spring2", "2018-spring", "2026"}) {
    auto r = get(std::string("/v1/measures/1?period=") + bad);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->body.find("period"), std::string::npos) << r->body;
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
      "  if r['area'] == '510722' and r['indicator'] in ('condolence_visit_outside', "
      "'fairs_held'):\n"
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
            "三台县 1 fairs_held 0 4 false\n"
            "三台县 23 condolence_visit_outside 1 1 true\n"
            "14 areas\n");
}

}  // namespace
}  // namespace mwp
