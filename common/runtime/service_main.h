// main() of every service: read the configuration, build the parts, serve until SIGTERM. A
// service supplies only what differs: its name, its rules, its queries, its computed indicators.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "indicator_exporter.h"
#include "query_server.h"
#include "service_loop.h"
#include "services.h"

namespace mwp {

struct ServiceParts {
  ServiceInfo service;  // its name, measures and default ports (common/core/services.h)
  std::function<std::unique_ptr<EventRules>(Env&)> makeRules;  // reads the rules' own settings
  std::function<std::unique_ptr<QueryHandler>()> makeQueries;
  ComputedIndicators computed;  // may be empty
};

int runService(const ServiceParts& parts, int argc, char** argv);

}  // namespace mwp
