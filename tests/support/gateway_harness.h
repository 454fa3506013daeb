// A gateway in the test process, in front of the services a test started: the options every
// integration test gives it (its Redis user, the bus, each service's query endpoint), so that a
// test says only what differs. Header-only: the tests that include it link mwp::gateway.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "gateway.h"
#include "service_harness.h"
#include "test_env.h"

namespace mwp::test {

inline gateway::GatewayOptions gatewayOptions(
    const BusThread& bus, const std::map<std::string, RunningService*>& services,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(500)) {
  gateway::GatewayOptions options;
  options.redis = testRedisAs("gateway");
  options.busIngest = bus.ingest;
  for (const auto& [name, service] : services) {
    options.services.push_back({name, service->queryEndpoint()});
  }
  options.deadline = deadline;
  options.requestsPerSecond = 1000;
  return options;
}

}  // namespace mwp::test
