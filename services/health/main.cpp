// mwp-health: measure 15. Its worker section is sensitive personal information: the gateway
// returns it only to callers entitled to health data.
#include "health_rules.h"
#include "mwp/messages/health.capnp.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  return runService(workerRecordService<health::HealthRules, msg::HealthRecord>("health"), argc,
                    argv);
}
