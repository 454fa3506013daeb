// main() of every service: read the configuration, build the parts, serve until SIGTERM. A
// service supplies only what differs: its name, its rules, its queries, its computed indicators.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "indicators.h"
#include "query_server.h"
#include "service_loop.h"

namespace mwp {

struct ServiceParts {
  std::string name;   // "employment": keys, logs, metrics, and MWP_EMPLOYMENT_* variables
  msg::Service owns;  // whose measures in the catalogue
  std::function<std::unique_ptr<EventRules>(Env&)> makeRules;  // reads the rules' own settings
  std::function<std::unique_ptr<QueryHandler>()> makeQueries;
  ComputedIndicators computed;  // may be empty
  int queryPort = 0;            // default ports on 127.0.0.1
  int adminPort = 0;
};

int runService(const ServiceParts& parts, int argc, char** argv);

}  // namespace mwp
