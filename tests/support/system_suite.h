// The whole system for a suite of integration tests: on an emptied test Redis, a bus in the test
// process, the suite's services as processes and a gateway in the test process in front of them,
// on 127.0.0.1. Started once for the suite and stopped after its last test; each suite says what it
// starts (SystemSpec) and what it sends before its tests read. Header-only: the tests that include
// it link mwp::gateway.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bus_client.h"
#include "gateway.h"
#include "service_harness.h"
#include "test_env.h"

namespace mwp::test {

// One line of the gateway's key file; `more` is what follows the hash (a department,
// "expires=…").
inline std::string keyLine(const std::string& name, const std::string& role, const std::string& key,
                           const std::string& more = "") {
  return name + " " + role + " " + gateway::hashApiKey(key) + (more.empty() ? "" : " " + more) +
         "\n";
}

// The six services, for a suite that starts them all.
inline std::vector<std::pair<std::string, const char*>> everyService() {
  return {{"employment", MWP_EMPLOYMENT_BINARY}, {"housing", MWP_HOUSING_BINARY},
          {"education", MWP_EDUCATION_BINARY},   {"health", MWP_HEALTH_BINARY},
          {"rights", MWP_RIGHTS_BINARY},         {"outreach", MWP_OUTREACH_BINARY}};
}

// What a suite starts.
struct SystemSpec {
  // Each service by its name as in MWP_<NAME>_* ("employment") and its binary.
  std::vector<std::pair<std::string, const char*>> services;
  std::string apiKeys;  // the gateway's key file, made of keyLine()s
  // How long the gateway waits for each service's answer.
  std::chrono::milliseconds deadline = std::chrono::milliseconds(500);
  std::map<std::string, std::string> serviceEnv = {};  // added to every service's environment
  uint32_t partitions = 4;
};

// A suite's fixture: `class ScorecardTest : public test::SystemSuite<ScorecardTest>`, where
// ScorecardTest has
//   static test::SystemSpec systemSpec();  // what to start
//   static void sendTheScenario();         // what the tests read, sent and waited for
// Both run once, from the suite's first test's SetUp: a failure there fails that test, and every
// later test of the suite fails as not started. (Started in SetUpTestSuite, a failure would only
// skip the suite's tests, and ctest counts a skipped test as passed.)
template <class Suite>
class SystemSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!tried_) {
      tried_ = true;  // before the start, so that a start that throws is not tried again
      start(Suite::systemSpec());
      if (!HasFatalFailure()) Suite::sendTheScenario();
      started_ = !HasFailure();
    }
    if (!started_) FAIL() << "the suite's system did not start (its first test says why)";
  }

  static void TearDownTestSuite() {
    gateway_.reset();  // before the context and registry it was given
    services_.clear();
    bus_.reset();
    registry_.reset();
    context_.reset();
    tried_ = started_ = false;
  }

  // JSON events (each must decode) through the bus, each of which the bus must accept.
  static void send(const std::vector<std::string>& json) {
    Publisher publisher(*context_, bus_->ingest);
    std::vector<std::string> frames;
    for (const auto& e : json) frames.push_back(frameOf(e));
    for (const auto& r : publisher.publish(frames)) {
      EXPECT_EQ(r.status, msg::IngestReply::Status::ACK) << r.eventId << ": " << r.reason;
    }
  }

  static inline std::unique_ptr<zmq::context_t> context_;         // the gateway's
  static inline std::unique_ptr<prometheus::Registry> registry_;  // the gateway's metrics
  static inline std::unique_ptr<BusThread> bus_;
  static inline std::map<std::string, std::unique_ptr<RunningService>> services_;
  static inline std::unique_ptr<gateway::Gateway> gateway_;
  static inline int port_ = 0;  // the gateway's HTTP port

 private:
  static void start(const SystemSpec& spec) {
    flushRedis();
    context_ = std::make_unique<zmq::context_t>();
    registry_ = std::make_unique<prometheus::Registry>();
    bus_ = std::make_unique<BusThread>(spec.partitions);
    gateway::GatewayOptions options;
    options.redis = testRedisAs("gateway");
    options.busIngest = bus_->ingest;
    for (const auto& [name, binary] : spec.services) {
      services_[name] = std::make_unique<RunningService>(binary, name, *bus_, spec.serviceEnv);
    }
    for (const auto& [name, service] : services_) {
      options.services.push_back({name, service->queryEndpoint()});
    }
    options.deadline = spec.deadline;
    options.requestsPerSecond = 1000;
    gateway_ = std::make_unique<gateway::Gateway>(options, gateway::ApiKeys::parse(spec.apiKeys),
                                                  Catalogue::builtIn(), *context_, *registry_);
    port_ = gateway_->start("127.0.0.1", 0);
  }

  static inline bool tried_ = false;
  static inline bool started_ = false;
};

}  // namespace mwp::test
