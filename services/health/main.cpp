// mwp-health: measure 15. Its worker section is sensitive personal information: the gateway
// returns it only to callers entitled to health data.
#include "health_rules.h"
#include "mwp/messages/health.capnp.h"
#include "record_queries.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("health");
  parts.makeRules = [](Env&) { return std::make_unique<health::HealthRules>(); };
  parts.makeQueries = [] {
    return std::make_unique<WorkerRecordQueries<msg::HealthRecord>>("health");
  };
  return runService(parts, argc, argv);
}
