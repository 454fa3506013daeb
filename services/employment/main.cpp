// mwp-employment: measures 1–10 and 16.
#include "employment_queries.h"
#include "employment_rules.h"
#include "settings.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("employment");
  parts.makeRules = [](Env& env) {
    return std::make_unique<employment::EmploymentRules>(employment::subsidyPolicyFromEnv(env));
  };
  parts.makeQueries = [] { return std::make_unique<employment::EmploymentQueries>(); };
  parts.computed = employment::staleRecords;
  return runService(parts, argc, argv);
}
