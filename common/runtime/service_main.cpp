#include "service_main.h"

#include <prometheus/registry.h>

#include <iostream>

#include "admin_server.h"
#include "command_line.h"
#include "loop_adapters.h"
#include "process.h"
#include "reporting.h"

namespace mwp {

int runService(const ServiceParts& parts, int argc, char** argv) {
  const std::string name(parts.service.name);
  const std::string upper = upperName(name);
  if (auto done = serverCommandLine("mwp-" + name, argc, argv)) return *done;
  return guardedMain(name, [&](Logger& log) {
    Env env;
    // The bus's log, which the service follows, and the service's own state (by default the same).
    auto logEndpoint = redisFromEnv(env, "BUS", upper);
    auto redisEndpoint = redisFromEnv(env, upper);
    uint32_t partitionCount = partitionCountFromEnv(env);
    ServiceLoopOptions options;
    options.service = name;
    options.partitions = env.partitions("MWP_PARTITIONS", partitionCount,
                                        "the partitions this instance owns, e.g. 0-3");
    std::string publishEndpoint =
        env.text("MWP_BUS_PUBLISH", "tcp://127.0.0.1:7102", "the bus's fan-out (PUB)");
    std::string ingest =
        env.text("MWP_BUS_INGEST", "tcp://127.0.0.1:7101", "the bus's ingest, for derived events");
    // CURVE: the service is a client of the bus (its key's user id is mwpService) and the server of
    // its query socket, which only the gateway and operators may use.
    PublisherOptions publisherOptions;
    publisherOptions.curve = curveClientFromEnv(env);
    auto curveServer = curveServerFromEnv(env);
    if (publisherOptions.curve.has_value() != curveServer.has_value()) {
      throw ConfigError("MWP_KEY_FILE needs both MWP_BUS_SERVER_KEY_FILE and MWP_CURVE_CLIENTS");
    }
    std::string queryBind =
        env.text("MWP_" + upper + "_QUERY_BIND",
                 "tcp://127.0.0.1:" + std::to_string(parts.service.queryPort), "query socket (ROUTER)");
    std::string adminHost = env.text("MWP_ADMIN_HOST", "127.0.0.1", "admin port address");
    int adminPort = static_cast<int>(env.integer("MWP_" + upper + "_ADMIN_PORT", parts.service.adminPort, 0,
                                                 65535, "/metrics, /livez, /readyz"));
    auto refreshEvery = std::chrono::milliseconds(env.integer(
        "MWP_INDICATOR_REFRESH_MS", 5000, 100, 3600000, "how often measure gauges are re-read"));
    options.timerInterval = std::chrono::milliseconds(env.integer(
        "MWP_TIMER_INTERVAL_MS", 1000, 10, 86400000, "how often due deadlines are looked for"));
    ExportOptions exportOptions;
    exportOptions.onTimeDays = static_cast<int>(
        env.integer("MWP_REPORTING_ON_TIME_DAYS", 10, 0, 92,
                    "a quarter's report is on time up to this many days after the quarter's end"));
    exportOptions.exportedYears = static_cast<int>(env.integer(
        "MWP_EXPORTED_YEARS", 2, 1, 20, "years of measure gauges exported to Prometheus"));
    auto rules = withReporting(parts.makeRules(env), parts.service.owns, Catalogue::builtIn());
    auto queries = parts.makeQueries();
    if (wantsPrintConfig(argc, argv)) {
      std::cout << env.describe();
      return 0;
    }

    installStopSignals();
    zmq::context_t context;
    auto zap = startZapHandler(context, curveServer);
    prometheus::Registry registry;
    if (parts.addMetrics) parts.addMetrics(registry);
    Redis redis(redisEndpoint);
    Redis logRedis(logEndpoint);
    recordIndicatorYears(redis, name);
    Publisher publisher(context, ingest, publisherOptions);
    ServiceLoop loop(options,
                     redisAndBusPorts(context, publishEndpoint, publisherOptions.curve, logRedis, redis,
                                      publisher, name, options.partitions),
                     *rules, systemClock, registry);
    IndicatorExporter indicators(name, parts.service.owns, Catalogue::builtIn(), registry,
                                 parts.computed, exportOptions);
    QueryServer queryServer(context, queryBind, redisEndpoint, name, *queries, indicators,
                            systemClock, refreshEvery,
                            curveServer ? std::optional(curveServer->keys) : std::nullopt);
    AdminServer admin(adminHost, adminPort, registry, [&loop] { return loop.healthy(); });
    std::string partitions;
    for (auto p : options.partitions)
      partitions += (partitions.empty() ? "" : ",") + std::to_string(p);
    log.info("serving", {{"query", queryServer.endpoint()},
                         {"admin", adminHost + ":" + std::to_string(admin.port())},
                         {"partitions", partitions},
                         {"curve", curveServer ? "on" : "off"}});
    if (int defect = loop.run(stopRequested())) return defect;  // logged by the loop
    log.info("stopped");
    return 0;
  });
}

}  // namespace mwp
