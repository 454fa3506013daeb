// mwp-housing: measure 11.
#include "housing_rules.h"
#include "mwp/messages/housing.capnp.h"
#include "record_queries.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.name = "housing";
  parts.owns = msg::Service::HOUSING;
  parts.makeRules = [](Env&) { return std::make_unique<housing::HousingRules>(); };
  parts.makeQueries = [] {
    return std::make_unique<WorkerRecordQueries<msg::HousingRecord>>("housing");
  };
  parts.queryPort = 7202;
  parts.adminPort = 9202;
  return runService(parts, argc, argv);
}
