// mwp-employment: measures 1–10 and 16.
#include "employment_queries.h"
#include "employment_rules.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.name = "employment";
  parts.owns = msg::Service::EMPLOYMENT;
  parts.makeRules = [](Env& env) {
    return std::make_unique<employment::EmploymentRules>(employment::SubsidyPolicy::fromEnv(env));
  };
  parts.makeQueries = [] { return std::make_unique<employment::EmploymentQueries>(); };
  parts.computed = employment::staleRecords;
  parts.queryPort = 7201;
  parts.adminPort = 9201;
  return runService(parts, argc, argv);
}
