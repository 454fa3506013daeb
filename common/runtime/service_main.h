// main() of every service: read the configuration, build the parts, serve until SIGTERM. A
// service supplies only what differs: its name, its rules, its queries, its computed indicators.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config.h"
#include "indicator_exporter.h"
#include "query_server.h"
#include "record_queries.h"
#include "service_loop.h"
#include "services.h"

namespace prometheus {
class Registry;
}

namespace mwp {

struct ServiceParts {
  ServiceInfo service;  // its name, measures and default ports (common/core/services.h)
  std::function<std::unique_ptr<EventRules>(Env&)> makeRules;  // reads the rules' own settings
  std::function<std::unique_ptr<QueryHandler>()> makeQueries;
  ComputedIndicators computed;  // may be empty
  // Adds the service's own metrics to the admin port's registry, after makeRules and before the
  // first event is applied; may be empty.
  std::function<void(prometheus::Registry&)> addMetrics;
};

int runService(const ServiceParts& parts, int argc, char** argv);

// The parts of a service whose rules take no settings and whose worker section is the `Record`
// it keeps under worker:<id> (record_queries.h); the caller adds any computed indicators.
template <typename Rules, typename Record>
ServiceParts workerRecordService(const std::string& name) {
  ServiceParts parts;
  parts.service = serviceNamed(name);
  parts.makeRules = [](Env&) { return std::make_unique<Rules>(); };
  parts.makeQueries = [name] { return std::make_unique<WorkerRecordQueries<Record>>(name); };
  return parts;
}

}  // namespace mwp
