// mwp-housing: measure 11.
#include "housing_rules.h"
#include "mwp/messages/housing.capnp.h"
#include "record_queries.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("housing");
  parts.makeRules = [](Env&) { return std::make_unique<housing::HousingRules>(); };
  parts.makeQueries = [] {
    return std::make_unique<WorkerRecordQueries<msg::HousingRecord>>("housing");
  };
  return runService(parts, argc, argv);
}
