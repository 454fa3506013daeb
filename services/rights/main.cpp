// mwp-rights: measures 20–22, wage claims, labour disputes and legal aid with their deadlines.
#include "rights_queries.h"
#include "rights_rules.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.name = "rights";
  parts.owns = msg::Service::RIGHTS;
  parts.makeRules = [](Env& env) {
    std::string holidays =
        env.text("MWP_HOLIDAYS_FILE", MWP_DEFAULT_HOLIDAYS_FILE,
                 "national holidays and 调休 workdays, for working-day deadlines");
    return std::make_unique<rights::RightsRules>(rights::DeadlinePolicy::fromEnv(env),
                                                 rights::WorkingCalendar::fromFile(holidays));
  };
  parts.makeQueries = [] { return std::make_unique<rights::RightsQueries>(); };
  parts.queryPort = 7205;
  parts.adminPort = 9205;
  return runService(parts, argc, argv);
}
