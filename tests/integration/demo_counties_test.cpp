// The demo's counties (tools/mwpctl/simulate.cpp, "each county accountable"): a simulated year
// sent by `mwpctl simulate` as ops/run.sh sends it, through the real bus into the six services,
// read through the gateway's scorecard. 江油市 holds the city's hundred fairs alone; 平武县's office
// sends nothing of its own in the third quarter; every other area says what it had nothing to
// report of. A past year, so that every quarter's reporting time is over whatever today is.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <iterator>
#include <regex>
#include <sstream>
#include <thread>

#include "event_log.h"
#include "gateway.h"
#include "gateway_answers.h"
#include "service_harness.h"
#include "services.h"
#include "state_keys.h"
#include "system_suite.h"

namespace mwp {
namespace {

using test::areaOf;
using test::contains;

constexpr const char* kYear = "2025";
constexpr const char* kStrong = "510781";  // 江油市
constexpr const char* kSilent = "510727";  // 平武县
constexpr uint32_t kPartitions = 4;

class MwpctlDemo : public test::SystemSuite<MwpctlDemo> {
 public:  // what SystemSuite starts and sends, once
  static test::SystemSpec systemSpec() {
    return {test::everyService(),
            test::keyLine("office", "integrator", kKey),
            std::chrono::milliseconds(3000),
            {},
            kPartitions};
  }

  static void sendTheScenario() {
    std::string command = "MWP_BUS_INGEST=" + bus_->ingest + " " + MWP_CTL_BINARY +
                          " simulate --workers 300 --year " + kYear + " 2>/dev/null";
    ASSERT_EQ(WEXITSTATUS(system(command.c_str())), 0) << command;
    waitUntilSettled();
  }

 protected:
  // Until every service has applied every stored event, and the events its rules and timers
  // derived have come back through the bus: twice in a row, a second apart.
  static void waitUntilSettled() {
    Redis redis(test::testRedis());
    auto settled = [&redis] {
      auto last = lastSequences(redis, kPartitions);
      for (const auto& name : serviceNames()) {
        for (uint32_t p = 0; p < kPartitions; ++p) {
          auto cursor = redis.command({"GET", keys::cursor(name, p)});
          uint64_t at = cursor.isNil() ? 0 : std::stoull(cursor.str);
          if (at != last[p] || redis.command({"LLEN", keys::outbox(name, p)}).integer != 0) {
            return false;
          }
        }
      }
      return true;
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    int inARow = 0;
    while (inARow < 2) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the services did not catch up";
      inARow = settled() ? inARow + 1 : 0;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }

  static std::string get(const std::string& path, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10);
    headers.emplace("Authorization", std::string("Bearer ") + kKey);
    auto r = client.Get(path, headers);
    EXPECT_TRUE(r && r->status == 200) << path;
    return r ? r->body : "";
  }

  // An area's reporting in a scorecard: {expected, reported, onTime}.
  static std::array<int, 3> reportingOf(const std::string& card, const std::string& area) {
    std::smatch m;
    std::string part = areaOf(card, area);
    static const std::regex kReporting(
        R"re("reporting":\{"expected":(\d+),"reported":(\d+),"onTime":(\d+)\})re");
    if (!std::regex_search(part, m, kReporting)) {
      ADD_FAILURE() << "no reporting for " << area << ": " << part;
      return {};
    }
    return {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
  }

  static constexpr const char* kKey = "k-office";
};

TEST_F(MwpctlDemo, JiangyouAloneMeetsTheCitysFairsAndPingwuIsSilentInTheThirdQuarter) {
  // The city's hundred fairs (措施一), 江油市's alone among them.
  auto city = get(std::string("/v1/measures/1?year=") + kYear + "&area=all");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      city, m,
      std::regex(R"re("indicator":"fairs_held","area":"all","year":2025,"value":(\d+),"target":100)re")))
      << city;
  EXPECT_GE(std::stoi(m[1]), 100) << "the city on target";
  auto strong = get(std::string("/v1/measures/1?year=") + kYear + "&area=" + kStrong);
  ASSERT_TRUE(std::regex_search(
      strong, m, std::regex(R"re("indicator":"fairs_held","area":"510781","year":2025,"value":(\d+),)re")))
      << strong;
  EXPECT_GE(std::stoi(m[1]), 100) << "江油市's fairs alone make the city's target";

  auto year = get(std::string("/v1/scorecard?year=") + kYear);
  EXPECT_TRUE(std::regex_search(
      areaOf(year, kStrong),
      std::regex(R"re(\{"measure":1,"indicator":"fairs_held","value":\d+,"target":4,"met":true\})re")))
      << areaOf(year, kStrong);

  // The third quarter: 平武县 held no fair and sent no report of its own, while every other area
  // reported every measure it owes, on time (nothingToReport five days after the quarter).
  auto q3 = get(std::string("/v1/scorecard?year=") + kYear + "&period=" + kYear + "-Q3");
  EXPECT_TRUE(
      contains(areaOf(q3, kSilent),
               R"({"measure":1,"indicator":"fairs_held","value":0,"target":1,"met":false})"));
  EXPECT_TRUE(std::regex_search(
      areaOf(q3, kStrong),
      std::regex(R"re(\{"measure":1,"indicator":"fairs_held","value":\d+,"target":1,"met":true\})re")));
  auto silent = reportingOf(q3, kSilent);
  EXPECT_EQ(silent[0], 30) << "every measure is owed by every area";
  EXPECT_LT(silent[1], silent[0]) << "平武县 did not report every measure in Q3";
  for (const auto& area : Catalogue::builtIn().reportingAreas()) {
    if (area == kSilent) continue;
    EXPECT_EQ(reportingOf(q3, area), (std::array<int, 3>{30, 30, 30})) << area;
  }
  // In the second quarter 平武县 reported as the others did.
  auto q2 = get(std::string("/v1/scorecard?year=") + kYear + "&period=" + kYear + "-Q2");
  EXPECT_EQ(reportingOf(q2, kSilent), (std::array<int, 3>{30, 30, 30}));
}

// The lines under an area's heading ("510727 平武县") in mwpctl's table, each cut into words.
std::vector<std::vector<std::string>> blockOf(const std::vector<std::string>& lines,
                                              const std::string& heading) {
  std::vector<std::vector<std::string>> out;
  auto at = std::find(lines.begin(), lines.end(), heading);
  EXPECT_NE(at, lines.end()) << heading;
  if (at == lines.end()) return out;
  for (++at; at != lines.end() && at->rfind("  ", 0) == 0; ++at) {
    std::istringstream words(*at);
    out.emplace_back(std::istream_iterator<std::string>(words),
                     std::istream_iterator<std::string>());
  }
  return out;
}

bool hasLine(const std::vector<std::vector<std::string>>& block,
             const std::vector<std::string>& words) {
  return std::find(block.begin(), block.end(), words) != block.end();
}

// mwpctl scorecard as the 目标绩效管理办公室's clerk runs it against the gateway: the table of each
// area (its targets, its reporting, its cases and warnings), a quarter's, and the CSV as the
// gateway gives it, byte for byte.
TEST_F(MwpctlDemo, ScorecardPrintsTheGatewaysScorecardAsATableAndItsCsv) {
  std::string ctl = std::string(MWP_CTL_BINARY) + " scorecard --gateway http://127.0.0.1:" +
                    std::to_string(port_) + " --key " + kKey + " --year " + kYear;
  auto table = test::outputLines(ctl + " 2>/dev/null");
  ASSERT_EQ(table.exitCode, 0);
  ASSERT_FALSE(table.lines.empty());
  EXPECT_EQ(table.lines[0].rfind("地区 area / 措施 measure indicator", 0), 0u) << table.lines[0];
  auto card = get(std::string("/v1/scorecard?year=") + kYear);
  for (const auto& area : Catalogue::builtIn().data().getAreas()) {
    std::string code = area.getCode().cStr();
    auto block = blockOf(table.lines, code + " " + area.getNameZh().cStr());
    auto r = reportingOf(card, code);
    // "reporting R of E reported, T on time; cases overdue C; red wage warnings W"
    bool reportingShown = false;
    for (const auto& words : block) {
      if (words.size() > 6 && words[0] == "reporting") {
        reportingShown = true;
        EXPECT_EQ(words[1], std::to_string(r[1])) << code;
        EXPECT_EQ(words[3], std::to_string(r[0])) << code;
        EXPECT_EQ(words[5], std::to_string(r[2])) << code;
      }
    }
    EXPECT_TRUE(reportingShown) << code;
  }
  auto jiangyou = blockOf(table.lines, "510781 江油市");
  bool fairsMet = false;
  for (const auto& words : jiangyou) {
    fairsMet |= words.size() == 5 && words[0] == "1" && words[1] == "fairs_held" &&
                words[3] == "4" && words[4] == "yes";
  }
  EXPECT_TRUE(fairsMet) << "江油市's fairs against its own target of four, met";

  auto q3 = test::outputLines(ctl + " --period " + kYear + "-Q3 2>/dev/null");
  ASSERT_EQ(q3.exitCode, 0);
  EXPECT_TRUE(hasLine(blockOf(q3.lines, "510727 平武县"), {"1", "fairs_held", "0", "1", "NO"}));

  // The CSV: what the gateway answers with Accept: text/csv, BOM and CRLFs included.
  auto csv = test::outputLines(ctl + " --csv 2>/dev/null");
  ASSERT_EQ(csv.exitCode, 0);
  std::string printed;
  for (const auto& line : csv.lines) printed += line + "\n";
  auto served = get(std::string("/v1/scorecard?year=") + kYear, {{"Accept", "text/csv"}});
  EXPECT_EQ(printed, served);
  EXPECT_EQ(printed.rfind("\xEF\xBB\xBFyear,period,area,nameZh,measure,indicator,value,target,met\r\n", 0),
            0u);
  EXPECT_TRUE(contains(printed, "2025,,510781,江油市,1,fairs_held,"));
}

}  // namespace
}  // namespace mwp
