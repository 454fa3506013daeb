// mwp-rights through the real bus: cases in time, cases late, cases years late, and exactly one
// caseOverdue per case and stage — also when the service is killed between a deadline and its
// emission. Dates are relative to today, as the service judges against its own clock.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "bus_client.h"
#include "bus_fixture.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "ids.h"
#include "mwp/messages/query.capnp.h"
#include "periods.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kWorker = "510703199005121230";

std::string daysAgo(int n) {
  return formatDate(chinaDayOf(systemClock()) - n);
}

// A wage complaint `no` filed on `on`, about kWorker, from 涪城区.
std::string wageFiled(const std::string& id, const std::string& no, const std::string& on) {
  return event(
      id, "wageClaimFiled",
      R"({"caseNo":")" + no +
          R"(","employerCode":"91512081MA62K0260E","project":"厂房","governmentInvested":false,"amountYuan":30000,"workersAffected":3,"channel":"online","filedOn":")" +
          on + "\"}",
      kWorker);
}

std::vector<std::string> cases() {
  auto wageAccepted = [](const std::string& id, const std::string& no, const std::string& on) {
    return event(id, "wageClaimAccepted",
                 R"({"caseNo":")" + no + R"(","acceptedOn":")" + on + "\"}");
  };
  return {
      // In time: filed two days ago, accepted yesterday; resolution due in 60 working days.
      wageFiled("ok-filed", "WC-OK", daysAgo(2)), wageAccepted("ok-accepted", "WC-OK", daysAgo(1)),
      // Late: filed 30 days ago and never accepted.
      wageFiled("late-filed", "WC-LATE", daysAgo(30)),
      // Years late: filed and accepted in 2023, reported only now, never resolved.
      wageFiled("old-filed", "WC-2023", "2023-05-04"),
      wageAccepted("old-accepted", "WC-2023", "2023-05-05"),
      // A dispute accepted 59 days ago: the award (45) passed; mediation inside arbitration has no
      // deadline of its own.
      event("dispute-filed", "disputeFiled",
            R"({"caseNo":"LD-LATE","category":"wages","claimYuan":9000,"filedOn":")" + daysAgo(60) +
                "\"}",
            kWorker),
      event("dispute-accepted", "disputeAccepted",
            R"({"caseNo":"LD-LATE","simplified":false,"acceptedOn":")" + daysAgo(59) + "\"}")};
}

const std::multiset<std::string> kExpectedOverdue{
    "WC-LATE wageClaimAcceptance", "WC-2023 wageClaimResolution", "LD-LATE disputeAward"};

class RightsServiceTest : public test::BusFixture {
 protected:
  void publish(const std::vector<std::string>& json) {
    for (const auto& r : BusFixture::publish(json)) {
      ASSERT_NE(r.status, msg::IngestReply::Status::NACK) << r.reason;
    }
  }

  // "caseNo stage" of every caseOverdue stored on the bus, with repeats.
  std::multiset<std::string> storedOverdue() {
    Redis redis(test::testRedis());
    std::multiset<std::string> out;
    for (uint32_t p = 0; p < 4; ++p) {
      for (const auto& e : readLog(redis, p, 1, 100000)) {
        FrameReader reader(e.envelope);
        auto envelope = reader.root<msg::Envelope>();
        if (!envelope.isCaseOverdue()) continue;
        out.insert(std::string(envelope.getCaseOverdue().getCaseNo().cStr()) + " " +
                   enumName(envelope.getCaseOverdue().getStage()));
      }
    }
    return out;
  }

  // The eventId of a case's caseOverdue in the log: it ends with the due day the alarm was for.
  std::string overdueId(const std::string& caseNo) {
    Redis redis(test::testRedis());
    for (uint32_t p = 0; p < 4; ++p) {
      for (const auto& e : readLog(redis, p, 1, 100000)) {
        FrameReader reader(e.envelope);
        auto envelope = reader.root<msg::Envelope>();
        if (envelope.isCaseOverdue() &&
            std::string(envelope.getCaseOverdue().getCaseNo().cStr()) == caseNo) {
          return envelope.getEventId().cStr();
        }
      }
    }
    return "";
  }

  std::multiset<std::string> waitForOverdue(size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    auto seen = storedOverdue();
    while (seen.size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      seen = storedOverdue();
    }
    return seen;
  }
};

TEST_F(RightsServiceTest, EveryOverdueStageGetsExactlyOneCaseOverdue) {
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", *bus_);
  publish(cases());
  rights.waitForVerdict("dispute-accepted");
  EXPECT_EQ(waitForOverdue(3), kExpectedOverdue);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // more timer rounds: no repeats
  EXPECT_EQ(storedOverdue(), kExpectedOverdue);
  rights.waitForVerdict(overdueId("WC-LATE"));  // came back, confirmed

  // What a caseworker sees: the overdue list of the city, and the worker's cases.
  capnp::MallocMessageBuilder query;
  auto list = query.initRoot<msg::Query>().initList();
  list.setName("cases");
  list.setFilter("overdue|");
  auto overdue = rights.ask(query);
  ASSERT_EQ(overdue.first, "json");
  for (const char* no : {"WC-LATE", "WC-2023", "LD-LATE"}) {
    EXPECT_NE(overdue.second.find(no), std::string::npos) << overdue.second;
  }
  EXPECT_EQ(overdue.second.find("WC-OK"), std::string::npos);
  auto section = rights.section(kWorker);
  ASSERT_EQ(section.first, "json");
  EXPECT_NE(section.second.find(R"("caseNo":"WC-OK")"), std::string::npos);
  EXPECT_NE(section.second.find(R"("overdue":true)"), std::string::npos);

  // The year LD-LATE was filed in: the years before it have their own, zero, samples.
  std::string year = daysAgo(60).substr(0, 4);
  EXPECT_EQ(
      rights.waitForMetric(
          "mwp_measure_value",
          {{"measure", "21"}, {"indicator", "cases_overdue"}, {"area", "all"}, {"year", year}}, 1),
      1)
      << "the award alone: mediation inside arbitration has no deadline to miss";
}

TEST_F(RightsServiceTest, AKillBetweenTheDeadlineAndTheEmissionStillEmitsOnce) {
  {
    // Timers are looked for once at start, then not for an hour: the cases are applied, their
    // deadlines have passed, nothing is emitted — and then the service dies.
    test::RunningService sleepy(MWP_RIGHTS_BINARY, "rights", *bus_,
                                {{"MWP_TIMER_INTERVAL_MS", "3600000"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    publish(cases());
    sleepy.waitForVerdict("dispute-accepted");
    EXPECT_TRUE(storedOverdue().empty());
    sleepy.kill9();
  }
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", *bus_);
  EXPECT_EQ(waitForOverdue(3), kExpectedOverdue);
  rights.kill9();
  rights.start();  // and once more: nothing is emitted twice
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(storedOverdue(), kExpectedOverdue);
}

TEST_F(RightsServiceTest, EventsOutOfOrderAreRefusedAndChangeNothing) {
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", *bus_);
  publish({event("close-unknown", "disputeClosed",
                 R"({"caseNo":"LD-NONE","outcome":"withdrawn","closedOn":"2026-03-01"})")});
  rights.waitForVerdict("close-unknown");
  EXPECT_EQ(rights.verdict("close-unknown").second,
            R"({"status":"refused","rule":"record.exists_first","reason":"dispute LD-NONE is not )"
            R"(filed","reasonZh":"劳动争议仲裁案件 LD-NONE 未登记"})");
  EXPECT_EQ(rights.section(kWorker).first, "notFound");
}

// A deadline counted through a year the holiday list lacks is a clear fault, never a silent
// guess: mwp_rights_calendar_missing_total{year} counts each such deadline and one log line names
// the year. Here the list has 2019 alone, and two complaints of this year are filed.
TEST_F(RightsServiceTest, ADeadlineInAYearWithoutItsCalendarIsCountedAndLoggedNamingTheYear) {
  std::string holidays = testing::TempDir() + "holidays_2019_only.txt";
  std::ofstream(holidays) << "year 2019\n2019-01-01 holiday\n";
  std::string log = testing::TempDir() + "rights_calendar_missing.log";
  std::ofstream(log, std::ios::trunc).close();
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", *bus_, {{"MWP_HOLIDAYS_FILE", holidays}},
                              log);
  std::string filed = daysAgo(1);
  std::string year = filed.substr(0, 4);
  publish({wageFiled("nocal-1", "WC-NOCAL-1", filed), wageFiled("nocal-2", "WC-NOCAL-2", filed)});
  rights.waitForVerdict("nocal-1");
  rights.waitForVerdict("nocal-2");
  EXPECT_EQ(rights.waitForMetric("mwp_rights_calendar_missing_total", {{"year", year}}, 2), 2)
      << "each deadline through " << year << " counted";
  EXPECT_NE(rights.metrics().find("\nmwp_rights_calendar_last_year 2019\n"), std::string::npos);

  std::ifstream in(log);
  std::vector<std::string> naming;
  for (std::string line; std::getline(in, line);) {
    if (line.find("without its holiday calendar") != std::string::npos) naming.push_back(line);
  }
  ASSERT_EQ(naming.size(), 1u) << "one line a year, however many deadlines";
  EXPECT_NE(naming[0].find("\"year\":\"" + year + "\""), std::string::npos) << naming[0];
  EXPECT_NE(naming[0].find("\"rule\":\"rights.working_days.calendar\""), std::string::npos)
      << naming[0];
  EXPECT_EQ(naming[0].find(kWorker), std::string::npos) << "no resident ID in a log line";
}

// reporting.area.silent: in the last quarter whose reporting time (10 days after its end) is
// over, an area that sent nothing for measure 20 is silent; one that filed a wage complaint dated
// in it is not. The metric's help is the register's statement.
TEST_F(RightsServiceTest, AnAreaThatSentNothingInTheLastClosedQuarterIsSilent) {
  test::RunningService rights(MWP_RIGHTS_BINARY, "rights", *bus_);
  int32_t today = chinaDayOf(systemClock());
  Period last = quarterOf(today - 10 - 1);
  if (last.lastDay + 10 >= today) last = quarterOf(last.firstDay - 1);
  publish({wageFiled("silent-filed", "WC-SILENT", formatDate(last.firstDay))});
  rights.waitForVerdict("silent-filed");
  EXPECT_EQ(
      rights.waitForMetric("mwp_measure_area_silent", {{"measure", "20"}, {"area", "510703"}}, 0),
      0);
  EXPECT_EQ(
      rights.waitForMetric("mwp_measure_area_silent", {{"measure", "20"}, {"area", "510704"}}, 1),
      1)
      << "游仙区 sent nothing for " << last.name();
  EXPECT_NE(rights.metrics().find("# HELP mwp_measure_area_silent 1: an area that sent nothing for "
                                  "a measure (no event, no periodReported) in the last quarter "
                                  "whose reporting time is over is silent"),
            std::string::npos);
}

}  // namespace
}  // namespace mwp
