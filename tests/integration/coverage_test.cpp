// Coverage as an office meets it: the real bus, Redis, the services that keep the worklists and
// the gateway. A worklist read by role (masked IDs for the integrator, full for the caseworker,
// none for the auditor) and audited; measure 23 per village; and the demo's simulated year, whose
// card coverage cannot pass 1 and whose every worklist has people on it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "bus_client.h"
#include "gateway.h"
#include "rules_harness.h"
#include "service_harness.h"
#include "system_suite.h"
#include "worklists.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kWaiting = "510703199005121230";  // insured, no card
constexpr const char* kWaitingMasked = "510***********1230";
constexpr const char* kServed = "510722198803040026";   // insured, holds a card

std::vector<std::string> population() {
  auto registered = [](const std::string& id, const char* worker, const char* name) {
    return event(id, "workerRegistered",
                 std::string(R"({"name":")") + name +
                     R"(","gender":"male","phone":"13900000000","hukouArea":"510722","currentArea":"510703","currentCity":"绵阳","registeredOn":"2026-01-05"})",
                 worker, "hrss", "510703");
  };
  return {
      registered("cv-reg-1", kWaiting, "王五"),
      event("cv-reg-2", "workerRegistered",
            R"({"name":"李四","gender":"female","phone":"13900000001","hukouArea":"510722","currentArea":"510703","currentCity":"绵阳","registeredOn":"2026-01-05"})",
            kServed, "hrss", "510703"),
      event("cv-ins-1", "insuranceEnrolled", R"({"scheme":"pension","enrolledOn":"2026-01-10"})",
            kWaiting, "hrss", "510703"),
      event("cv-ins-2", "insuranceEnrolled", R"({"scheme":"medical","enrolledOn":"2026-01-12"})",
            kServed, "hrss", "510703"),
      event("cv-card-2", "socialSecurityCardIssued", R"({"issuedOn":"2026-02-01"})", kServed,
            "hrss", "510703"),
      event("cv-back-1", "workerReturned",
            R"({"returnedOn":"2026-01-25","village":"510722103201","reason":"springFestival"})",
            kWaiting, "areaGovernment", "510722"),
  };
}

class CoverageTest : public test::SystemSuite<CoverageTest> {
 public:  // what SystemSuite starts and sends, once
  static test::SystemSpec systemSpec() {
    return {{{"employment", MWP_EMPLOYMENT_BINARY},
             {"health", MWP_HEALTH_BINARY},
             {"outreach", MWP_OUTREACH_BINARY}},
            test::keyLine("integrator-1", "integrator", "k-int") +
                test::keyLine("caseworker-1", "caseworker", "k-case") +
                test::keyLine("health-1", "health", "k-health") +
                test::keyLine("auditor-1", "auditor", "k-audit")};
  }

  static void sendTheScenario() {
    send(population());
    services_["employment"]->waitForVerdict("cv-card-2");
    services_["outreach"]->waitForVerdict("cv-back-1");
  }

 protected:
  httplib::Result get(const std::string& path, const std::string& key) {
    httplib::Client client("127.0.0.1", port_);
    return client.Get(path, {{"Authorization", "Bearer " + key}});
  }
};

TEST_F(CoverageTest, AWorklistIsShownAsTheRoleMaySeeItAndEveryReadIsAudited) {
  auto asIntegrator = get("/v1/worklists/insuredWithoutCard?area=510703", "k-int");
  ASSERT_EQ(asIntegrator->status, 200) << asIntegrator->body;
  EXPECT_NE(asIntegrator->body.find(std::string(R"("workerId":")") + kWaitingMasked),
            std::string::npos)
      << asIntegrator->body;
  EXPECT_EQ(asIntegrator->body.find(kWaiting), std::string::npos);
  EXPECT_NE(asIntegrator->body.find(R"("name":"王五","village":null,"year":2026,"since":"2026-01-10")"),
            std::string::npos)
      << asIntegrator->body;
  EXPECT_EQ(asIntegrator->body.find("李四"), std::string::npos) << "holds a card: served";

  auto asCaseworker = get("/v1/worklists/insuredWithoutCard?area=510703", "k-case");
  ASSERT_EQ(asCaseworker->status, 200);
  EXPECT_NE(asCaseworker->body.find(kWaiting), std::string::npos) << asCaseworker->body;

  EXPECT_EQ(get("/v1/worklists/insuredWithoutCard", "k-audit")->status, 403);
  EXPECT_EQ(get("/v1/worklists/exposedNotChecked", "k-int")->status, 403) << "health data";
  EXPECT_EQ(get("/v1/worklists/exposedNotChecked", "k-health")->status, 200);

  // Read like a record: the worker's own audit names the worklist's route and the reader.
  auto audited = get(std::string("/v1/audit?worker=") + kWaiting, "k-audit");
  ASSERT_EQ(audited->status, 200) << audited->body;
  EXPECT_NE(audited->body.find("/v1/worklists/{name}"), std::string::npos) << audited->body;
  EXPECT_NE(audited->body.find("integrator-1"), std::string::npos) << audited->body;
  EXPECT_NE(audited->body.find("caseworker-1"), std::string::npos) << audited->body;
}

TEST_F(CoverageTest, ReturneesArePerVillageAndABadVillageIsNamed) {
  auto r = get("/v1/worklists/returneesNotVisited?village=510722103201", "k-case");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find(std::string(R"("workerId":")") + kWaiting +
                         R"(","name":"王五","village":"510722103201","year":2026,"since":"2026-01-25")"),
            std::string::npos)
      << r->body;
  auto elsewhere = get("/v1/worklists/returneesNotVisited?village=440305103201", "k-case");
  EXPECT_EQ(elsewhere->status, 400);
  EXPECT_NE(elsewhere->body.find("village"), std::string::npos) << elsewhere->body;
  EXPECT_EQ(get("/v1/worklists/insuredWithoutCard?village=510722103201", "k-case")->status, 400);
  EXPECT_EQ(get("/v1/worklists/nobodysList", "k-case")->status, 404);

  auto village = get("/v1/measures/23?year=2026&village=510722103201", "k-int");
  ASSERT_EQ(village->status, 200) << village->body;
  EXPECT_NE(village->body.find(R"("indicator":"returnees","area":"510722103201","year":2026,"value":1)"),
            std::string::npos)
      << village->body;
  EXPECT_NE(village->body.find(R"("indicator":"family_visit_coverage","area":"510722103201","year":2026,"value":0)"),
            std::string::npos)
      << village->body;
}

// The demo (ops/run.sh sends `mwpctl simulate`): a past year, so that all of it is sent.
TEST_F(CoverageTest, TheSimulatedYearHasCardCoverageAtMostOneAndPeopleOnEveryWorklist) {
  std::string printed = ::testing::TempDir() + "/coverage-sim.ndjson";
  std::string simulate = std::string(MWP_CTL_BINARY) + " simulate --workers 500 --year 2025";
  ASSERT_EQ(WEXITSTATUS(system((simulate + " --print > " + printed + " 2>/dev/null").c_str())), 0);
  ASSERT_EQ(WEXITSTATUS(system(("MWP_BUS_INGEST=" + bus_->ingest + " " + simulate +
                                " >/dev/null 2>&1").c_str())),
            0);
  // Every event of the coverage kinds applied by the service that owns it.
  const std::map<std::string, std::string> owner{
      {"insuranceEnrolled", "employment"},        {"socialSecurityCardIssued", "employment"},
      {"poorLabourListed", "employment"},         {"employmentRegistered", "employment"},
      {"publicWelfareJobAssigned", "employment"}, {"workerReturned", "outreach"},
      {"familyVisited", "outreach"},              {"hazardExposureRegistered", "health"},
      {"healthCheckCompleted", "health"}};
  std::ifstream lines(printed);
  std::regex id(R"re("eventId":"([^"]+)".*"workerId":"[^"]+","([A-Za-z]+)")re");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, id)) continue;
    if (auto o = owner.find(m[2]); o != owner.end()) services_[o->second]->waitForVerdict(m[1]);
  }

  // In the city and in each county: a worker counts in one cohort, with or without a card.
  std::regex coverage(R"re("indicator":"card_coverage","area":"[^"]+","year":2025,"value":([0-9.e+-]+))re");
  std::vector<std::string> areas{"all"};
  for (const auto& a : Catalogue::builtIn().reportingAreas()) {
    if (a.size() == 6) areas.push_back(a);
  }
  for (const auto& area : areas) {
    auto cards = get("/v1/measures/16?year=2025&area=" + area, "k-int");
    ASSERT_EQ(cards->status, 200) << cards->body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(cards->body, m, coverage)) << area << ": " << cards->body;
    EXPECT_LE(std::stod(m[1]), 1.0) << area;
    EXPECT_GT(std::stod(m[1]), 0.5) << area << ": most insured workers hold a card";
  }
  for (const auto& list : kWorklists) {
    auto r = get("/v1/worklists/" + std::string(list.name) + "?page_size=1", "k-health");
    ASSERT_EQ(r->status, 200) << list.name << ": " << r->body;
    EXPECT_NE(r->body.find(R"("year":2025)"), std::string::npos) << list.name << ": " << r->body;
  }
}

}  // namespace
}  // namespace mwp
