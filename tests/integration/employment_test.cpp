// mwp-employment as a department system and an integrator meet it: events through the real bus,
// answers through its query socket, figures through its /metrics.
#include <gtest/gtest.h>

#include <thread>

#include "bus_client.h"
#include "bus_fixture.h"
#include "event_log.h"
#include "frames.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kA = "510703199005121230";  // 绵阳籍, insured long enough
constexpr const char* kB = "510722198803040026";  // 绵阳籍, insured too briefly
constexpr const char* kC = "440305198507205678";  // hukou in Shenzhen
constexpr const char* kUnknown = "11010519491231002X";

std::string registration(const std::string& id, const char* worker, const std::string& gender,
                         const std::string& hukou, const std::string& area) {
  return event(id, "workerRegistered",
               R"({"name":"工友","gender":")" + gender +
                   R"(","phone":"13800000000","hukouArea":")" + hukou + R"(","currentArea":")" +
                   area + R"(","currentCity":"绵阳","registeredOn":"2026-01-05"})",
               worker, "hrss", area);
}

std::string fair(const std::string& id, const std::string& fairId, const std::string& campaign,
                 const std::string& area) {
  return event(
      id, "jobFairHeld",
      R"({"fairId":")" + fairId + R"(","campaign":")" + campaign +
          R"(","heldOn":"2026-02-10","employers":12,"vacancies":300,"attendees":900,"agreementsSigned":80})",
      "", "hrss", area);
}

std::string training(const std::string& id, const char* worker, const std::string& on) {
  return event(
      id, "trainingCompleted",
      R"({"programme":"labourBrand","hours":32,"provider":"北川羌绣培训中心","completedOn":")" +
          on + "\"}",
      worker);
}

std::string certificate(const std::string& id, const char* worker, const std::string& number,
                        const std::string& level, int insuredMonths) {
  return event(id, "skillCertified",
               R"({"certificateNo":")" + number + R"(","occupation":"焊工","level":")" + level +
                   R"(","issuedOn":"2026-02-15","insuredMonths":)" + std::to_string(insuredMonths) +
                   "}",
               worker);
}

class EmploymentServiceTest : public test::BusFixture {
 protected:
  void SetUp() override {
    BusFixture::SetUp();
    service_ = std::make_unique<test::RunningService>(MWP_EMPLOYMENT_BINARY, "employment", *bus_);
  }


  double value(const std::string& measure, const std::string& indicator, double expected) {
    return service_
        ->waitForMetric(
            "mwp_measure_value",
            {{"measure", measure}, {"indicator", indicator}, {"area", "all"}, {"year", "2026"}},
            expected)
        .value_or(-1);
  }

  std::vector<std::string> scenario() {
    std::string loanApplied = event(
        "loan-a", "guaranteeLoanApplied",
        R"({"applicationNo":"L-1","amountYuan":100000,"eligible":true,"appliedOn":"2026-02-01"})",
        kA);
    std::string loanDecided = event(
        "loan-d", "guaranteeLoanDecided",
        R"({"applicationNo":"L-1","approved":true,"amountYuan":100000,"decidedOn":"2026-02-20"})",
        kA);
    return {registration("reg-a", kA, "male", "510722", "510703"),
            registration("reg-b", kB, "female", "510722", "510722"),
            registration("reg-c", kC, "male", "440305", "510703"),
            fair("fair-1", "F1", "springBreeze", "510703"),
            fair("fair-2", "F2", "jobsToCountryside", "510722"),
            fair("fair-3", "F3", "regular", "510703"),
            training("train-a1", kA, "2026-01-20"),
            training("train-a2", kA, "2026-02-20"),
            training("train-b1", kB, "2026-02-20"),
            certificate("cert-a", kA, "C-A", "intermediate", 24),
            certificate("cert-b", kB, "C-B", "junior", 6),
            certificate("cert-c", kC, "C-C", "junior", 24),
            loanApplied,
            loanDecided};
  }

  std::unique_ptr<test::RunningService> service_;
};

TEST_F(EmploymentServiceTest, SubsidiesFairsTrainingAndTheRegistryAsIntegratorsSeeThem) {
  for (const auto& r : publish(scenario()))
    ASSERT_EQ(r.status, msg::IngestReply::Status::ACK) << r.reason;
  service_->waitForVerdict("loan-d");
  for (const char* id : {"subsidy:cert-a", "subsidy:cert-b", "subsidy:cert-c"}) {
    service_->waitForVerdict(id);  // the derived events came back through the bus
    EXPECT_EQ(service_->verdict(id).second, "\"applied\"") << id;
  }

  auto a = service_->section(kA);
  ASSERT_EQ(a.first, "json");
  EXPECT_NE(a.second.find(R"("grantedYuan":1500)"), std::string::npos) << a.second;
  EXPECT_NE(a.second.find(R"("registered":true)"), std::string::npos) << a.second;
  EXPECT_NE(a.second.find(R"("approvedYuan":100000)"), std::string::npos) << a.second;
  auto b = service_->section(kB);
  EXPECT_NE(b.second.find(R"("deniedBecause":"unemployment insurance paid for 6 months; 12 are )"
                          R"x(required (人社厅发〔2019〕12号, for a claim of 2026-03-02)")x"),
            std::string::npos)
      << b.second;
  auto c = service_->section(kC);
  EXPECT_NE(c.second.find("not 绵阳籍: hukou area 440305 is outside 5107"), std::string::npos)
      << c.second;
  EXPECT_EQ(service_->section(kUnknown).first, "notFound");
  // Every state key the rules read was named ahead (keysToRead): none waited for Redis alone.
  EXPECT_EQ(service_->metric("mwp_service_reads_one_by_one_total", {{"service", "employment"}}), 0);

  EXPECT_EQ(value("1", "fairs_held", 3), 3);
  EXPECT_EQ(value("1", "spring_campaign_fairs", 1), 1);
  EXPECT_EQ(value("1", "countryside_fairs", 1), 1);
  EXPECT_EQ(value("2", "workers_registered", 3), 3);
  EXPECT_EQ(value("4", "trained", 2), 2);
  EXPECT_EQ(value("4", "subsidies_granted", 1), 1);
  EXPECT_EQ(value("4", "subsidies_denied", 2), 2);
  EXPECT_EQ(value("4", "subsidy_yuan", 1500), 1500);
  EXPECT_EQ(value("10", "loan_ratio", 1), 1);
  EXPECT_EQ(
      service_->metric(
          "mwp_measure_value",
          {{"measure", "1"}, {"indicator", "fairs_held"}, {"area", "510722"}, {"year", "2026"}}),
      1);
  EXPECT_EQ(service_->metric(
                "mwp_measure_target",
                {{"measure", "1"}, {"indicator", "fairs_held"}, {"area", "all"}, {"year", "2026"}}),
            100);
  EXPECT_EQ(service_->metric(
                "mwp_measure_target",
                {{"measure", "4"}, {"indicator", "trained"}, {"area", "all"}, {"year", "2026"}}),
            10000);

  auto fairs = service_->indicators(2026, "all", 1);
  ASSERT_EQ(fairs.first, "json");
  EXPECT_NE(
      fairs.second.find(
          R"({"measure":1,"indicator":"fairs_held","area":"all","year":2026,"value":3,"target":100})"),
      std::string::npos)
      << fairs.second;
}

TEST_F(EmploymentServiceTest, ARefusalIsAVerdictWithItsReasonAndTheServiceGoesOn) {
  publish(
      {event(
           "upd-unknown", "workerUpdated",
           R"({"currentArea":"510703","currentCity":"绵阳","employed":true,"updatedOn":"2026-02-01"})",
           kUnknown),
       registration("reg-a", kA, "male", "510722", "510703")});
  service_->waitForVerdict("reg-a");
  EXPECT_EQ(service_->verdict("upd-unknown").second,
            R"({"status":"refused","rule":"employment.registry.registered_first",)"
            R"("reason":"worker not in the real-name registry: register first",)"
            R"("reasonZh":"该农民工未在实名登记库中登记，请先登记"})");
  EXPECT_EQ(service_->verdict("reg-a").second, "\"applied\"");
  EXPECT_EQ(service_->verdict("never-sent").first, "notFound");
}

TEST_F(EmploymentServiceTest, ReplayingTheSameEventsChangesNothing) {
  publish(scenario());
  service_->waitForVerdict("loan-d");
  service_->waitForVerdict("subsidy:cert-c");
  EXPECT_EQ(value("1", "fairs_held", 3), 3);
  std::string before = service_->section(kA).second;

  // The same events again: the bus keeps one copy of each.
  for (const auto& r : publish(scenario()))
    EXPECT_EQ(r.status, msg::IngestReply::Status::DUPLICATE);
  // The same facts under new eventIds (a department system re-sending after losing its ids):
  // the service recognises fairs and certificates by their own numbers.
  publish({fair("fair-1-again", "F1", "springBreeze", "510703"),
           certificate("cert-a-again", kA, "C-A", "intermediate", 24)});
  service_->waitForVerdict("cert-a-again");
  EXPECT_EQ(service_->verdict("fair-1-again").second,
            R"({"status":"refused","rule":"record.once","reason":"fair F1 is already counted",)"
            R"("reasonZh":"招聘会 F1 已计数"})");
  EXPECT_EQ(service_->verdict("cert-a-again").second,
            R"({"status":"refused","rule":"record.once",)"
            R"("reason":"certificate C-A is already recorded","reasonZh":"证书 C-A 已记录"})");

  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // two gauge refreshes
  EXPECT_EQ(value("1", "fairs_held", 3), 3);
  EXPECT_EQ(value("4", "subsidies_granted", 1), 1);
  EXPECT_EQ(value("4", "trained", 2), 2);
  EXPECT_EQ(service_->section(kA).second, before);

  // And the subsidy was emitted once.
  Redis redis(test::testRedis());
  int grants = 0;
  for (uint32_t p = 0; p < 4; ++p) {
    for (const auto& e : readLog(redis, p, 1, 10000)) {
      FrameReader reader(e.envelope);
      grants += reader.root<msg::Envelope>().isSubsidyGranted();
    }
  }
  EXPECT_EQ(grants, 1);
}

TEST_F(EmploymentServiceTest, AKilledServiceResumesWhereItCommitted) {
  std::vector<std::string> first;
  for (int i = 0; i < 200; ++i) {
    first.push_back(
        fair("f" + std::to_string(i), "FAIR-" + std::to_string(i), "regular", "510703"));
  }
  publish(first);
  service_->waitForVerdict("f199");
  service_->kill9();
  std::vector<std::string> second;
  for (int i = 200; i < 300; ++i) {
    second.push_back(
        fair("f" + std::to_string(i), "FAIR-" + std::to_string(i), "regular", "510703"));
  }
  publish(second);
  service_->start();
  service_->waitForVerdict("f299");
  EXPECT_EQ(value("1", "fairs_held", 300), 300);
}

}  // namespace
}  // namespace mwp
