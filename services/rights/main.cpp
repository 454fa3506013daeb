// mwp-rights: measures 20–22, wage claims, labour disputes and legal aid with their deadlines,
// and wage payment at the source (projects, wage accounts, attendance, payments, warnings).
#include "rights_queries.h"
#include "rights_rules.h"
#include "settings.h"
#include "wage_monitoring.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("rights");
  parts.makeRules = [](Env& env) {
    std::string holidays =
        env.text("MWP_HOLIDAYS_FILE", MWP_DEFAULT_HOLIDAYS_FILE,
                 "national holidays and 调休 workdays, for working-day deadlines");
    return std::make_unique<rights::RightsRules>(rights::deadlinePolicyFromEnv(env),
                                                 WorkingCalendar::fromFile(holidays),
                                                 rights::wagePaymentPolicyFromEnv(env));
  };
  parts.makeQueries = [] { return std::make_unique<rights::RightsQueries>(); };
  parts.computed = rights::openWageWarnings;
  return runService(parts, argc, argv);
}
