// mwp-housing: measure 11.
#include "housing_rules.h"
#include "mwp/messages/housing.capnp.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  return runService(workerRecordService<housing::HousingRules, msg::HousingRecord>("housing"), argc,
                    argv);
}
