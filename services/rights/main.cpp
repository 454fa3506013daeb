// mwp-rights: measures 20–22, wage claims, labour disputes and legal aid with their deadlines,
// and wage payment at the source (projects, wage accounts, attendance, payments, warnings).
#include "calendar_metrics.h"
#include "rights_queries.h"
#include "rights_rules.h"
#include "settings.h"
#include "wage_monitoring.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("rights");
  // Built with the rules, registered with the admin port's metrics once there are some; lives
  // through runService, as the rules do.
  std::unique_ptr<rights::CalendarProbe> calendarProbe;
  parts.makeRules = [&calendarProbe](Env& env) {
    std::string holidays =
        env.text("MWP_HOLIDAYS_FILE", MWP_DEFAULT_HOLIDAYS_FILE,
                 "national holidays and 调休 workdays (\"year YYYY\" a notice), for working-day "
                 "deadlines");
    auto calendar = WorkingCalendar::fromFile(holidays);
    auto rules = std::make_unique<rights::RightsRules>(rights::deadlinePolicyFromEnv(env),
                                                       std::move(calendar),
                                                       rights::wagePaymentPolicyFromEnv(env));
    calendarProbe = std::make_unique<rights::CalendarProbe>(rules->calendar());
    return rules;
  };
  parts.addMetrics = [&calendarProbe](prometheus::Registry& registry) {
    calendarProbe->registerIn(registry);
  };
  parts.makeQueries = [] { return std::make_unique<rights::RightsQueries>(); };
  parts.computed = rights::openWageWarnings;
  return runService(parts, argc, argv);
}
