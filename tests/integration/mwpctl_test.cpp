// mwpctl as a clerk runs it: a file of JSON lines in, one answer line per event out, exit codes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "api_keys.h"
#include "catalogue.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "ids.h"
#include "rules.h"
#include "service_harness.h"
#include "test_env.h"

namespace mwp {
namespace {

using Run = test::CommandLines;

// `locale`: the locale variables it runs with, e.g. "LANG=zh_CN.UTF-8" (English without).
Run mwpctl(const std::string& args, const std::string& input,
           const std::string& locale = "LANG=C") {
  std::string path = testing::TempDir() + "mwpctl_input.ndjson";
  std::ofstream(path) << input;
  return test::outputLines("env -u LC_ALL -u LC_MESSAGES " + locale + " " +
                          std::string(MWP_CTL_BINARY) + " " + args + " " + path + " 2>/dev/null");
}

TEST(Mwpctl, PublishAnswersEveryLineInOrderAndExits65WhenAnyIsRefused) {
  test::flushRedis();
  test::BusThread bus(4);
  auto fixtures = test::fixtureLines();
  std::string misspelt = fixtures[8];
  misspelt.replace(misspelt.find("insuredMonths"), 13, "insuredMonth");
  std::string input =
      fixtures[2] + "\n" + "this is not json\n" + misspelt + "\n\n" + fixtures[2] + "\n";

  auto run = mwpctl("publish --bus " + bus.ingest, input);
  ASSERT_EQ(run.lines.size(), 4u);
  EXPECT_EQ(run.lines[0].rfind("ACK fixture-03-jobFairHeld ", 0), 0u) << run.lines[0];
  EXPECT_EQ(run.lines[1].rfind("NACK - not valid JSON", 0), 0u) << run.lines[1];
  EXPECT_EQ(run.lines[2],
            "NACK fixture-09-skillCertified skillCertified.insuredMonth: unknown field "
            "[bus.event.json]");
  // The same event again: stored once, answered with the original's place.
  EXPECT_EQ(run.lines[3], "DUP" + run.lines[0].substr(3));
  EXPECT_EQ(run.exitCode, 65);
}

// A clerk whose terminal speaks Chinese reads the bus's reasons in Chinese, with the rule; --lang
// overrides the locale either way.
TEST(Mwpctl, PublishPrintsReasonsInTheLocalesLanguage) {
  test::flushRedis();
  test::BusThread bus(4);
  std::string badArea = test::fixtureLines()[2];
  badArea.replace(badArea.find("\"area\": \"510"), 16, "\"area\": \"440300\"");
  const std::string zh =
      "NACK fixture-03-jobFairHeld area 不是绵阳市的区县代码，也不是地区表中的园区 [bus.event.area]";
  const std::string en =
      "NACK fixture-03-jobFairHeld area: not a Mianyang county code or a park of the area table "
      "[bus.event.area]";
  auto chinese = mwpctl("publish --bus " + bus.ingest, badArea + "\n", "LANG=zh_CN.UTF-8");
  ASSERT_EQ(chinese.lines.size(), 1u);
  EXPECT_EQ(chinese.lines[0], zh);
  EXPECT_EQ(chinese.exitCode, 65);
  EXPECT_EQ(mwpctl("publish --lang en --bus " + bus.ingest, badArea + "\n", "LANG=zh_CN.UTF-8")
                .lines.at(0),
            en);
  EXPECT_EQ(mwpctl("publish --bus " + bus.ingest, badArea + "\n").lines.at(0), en);
  EXPECT_EQ(mwpctl("publish --lang zh --bus " + bus.ingest, badArea + "\n").lines.at(0), zh);
}

TEST(Mwpctl, PublishExitsZeroWhenEverythingIsStored) {
  test::flushRedis();
  test::BusThread bus(4);
  auto run = mwpctl("publish --bus " + bus.ingest, test::fixtureLines()[0] + "\n");
  ASSERT_EQ(run.lines.size(), 1u);
  EXPECT_EQ(run.lines[0].rfind("ACK fixture-01-workerRegistered ", 0), 0u);
  EXPECT_EQ(run.exitCode, 0);
}

TEST(Mwpctl, PublishExits69WhenTheBusCannotBeReached) {
  // Nothing listens there; five silent attempts of 200 ms each.
  auto run =
      mwpctl("publish --timeout 200 --bus " + test::freeEndpoint(), test::fixtureLines()[0] + "\n");
  EXPECT_EQ(run.exitCode, 69);
}

// A rotation: the new key in the file with its last day, the name's old key running out after the
// grace days, other names' keys untouched.
TEST(Mwpctl, KeygenRotatesANamesKeyInTheKeysFile) {
  std::string old =
      "ana integrator " + std::string(64, 'a') + "\nbo caseworker " + std::string(64, 'b') + "\n";
  auto run = mwpctl("keygen api ana integrator --valid-days 30 --grace-days 2 --rotate", old);
  ASSERT_EQ(run.exitCode, 0);
  ASSERT_EQ(run.lines.size(), 1u) << "the key alone on stdout";
  std::ifstream in(testing::TempDir() + "mwpctl_input.ndjson");
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int32_t today = chinaDayOf(systemClock());
  EXPECT_EQ(file, "ana integrator " + std::string(64, 'a') + " expires=" + formatDate(today + 2) +
                      "\nbo caseworker " + std::string(64, 'b') + "\nana integrator " +
                      gateway::hashApiKey(run.lines[0]) + " expires=" + formatDate(today + 30) +
                      "\n");
  auto key = gateway::ApiKeys::parse(file).find(run.lines[0]);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->expiresOn, today + 30);
}

// The rules of every wageWarningRaised stored on the bus.
std::set<std::string> wageWarningRules(uint32_t partitions) {
  Redis redis(test::testRedis());
  std::set<std::string> rules;
  for (uint32_t p = 0; p < partitions; ++p) {
    for (const auto& e : readLog(redis, p, 1, 1000000)) {
      FrameReader reader(e.envelope);
      auto envelope = reader.root<msg::Envelope>();
      if (envelope.isWageWarningRaised())
        rules.insert(enumName(envelope.getWageWarningRaised().getRule()));
    }
  }
  return rules;
}

// The demo shows every warning of measure 20 (MEASURES.md, "Wage payment at the source"): a
// simulated year sent as `ops/run.sh` sends it, applied by the real rights service — by its
// clock where a due day passed with nothing done, by a late cure's own date otherwise. A past
// year, so that every due day has passed whatever today is.
TEST(Mwpctl, ASimulatedYearRaisesAWageWarningOfEveryRule) {
  test::flushRedis();
  test::BusThread bus(4);
  std::string minimumWage;  // 最低工资规定 is off until set: the same figure in every area
  for (const auto& area : Catalogue::builtIn().reportingAreas()) {
    minimumWage += (minimumWage.empty() ? "" : ",") + area + "=2100";
  }
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", bus,
                              {{"MWP_MINIMUM_WAGE", minimumWage}});
  std::string command = "MWP_BUS_INGEST=" + bus.ingest + " " + MWP_CTL_BINARY +
                        " simulate --workers 1000 --year 2025 2>/dev/null";
  ASSERT_EQ(WEXITSTATUS(system(command.c_str())), 0) << command;

  const std::set<std::string> every{"noWageAccount", "noWageDeposit",   "labourCostLate",
                                    "workerUnpaid",  "manyUnpaid",      "paidOutsideAccount",
                                    "leftUnpaid",    "belowMinimumWage"};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto seen = wageWarningRules(4);
  while (seen != every && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    seen = wageWarningRules(4);
  }
  EXPECT_EQ(seen, every);
}

}  // namespace
}  // namespace mwp
