// mwp-gateway: reads its configuration, builds its parts, serves until SIGTERM.
#include <prometheus/registry.h>

#include <iostream>
#include <sstream>

#include "admin_server.h"
#include "command_line.h"
#include "gateway.h"
#include "process.h"
#include "services.h"

int main(int argc, char** argv) {
  using namespace mwp;
  if (auto done = serverCommandLine("mwp-gateway", argc, argv)) return *done;
  return guardedMain("gateway", [&](Logger& log) {
    Env env;
    gateway::GatewayOptions options;
    // Its own keys (the audit), the bus's log, and every service's state: one Redis unless
    // MWP_GATEWAY_REDIS_*, MWP_BUS_REDIS_* or MWP_<SERVICE>_REDIS_* say otherwise.
    options.redis = redisFromEnv(env, "GATEWAY");
    options.logRedis = redisFromEnv(env, "BUS", "GATEWAY");
    // The bus's window, read from the same variable: an event is looked up in its buckets.
    options.dedupWindow.seconds =
        env.integer("MWP_DEDUP_WINDOW_DAYS", 30, 1, 3650, "days an eventId is remembered") * 86400;
    // A read is not served if its trace could be lost: waited on as the bus waits for events.
    options.auditReplicas = static_cast<int>(
        env.integer("MWP_ACK_REPLICAS", options.redis.sentinels.empty() ? 0 : 1, 0, 16,
                    "replicas that must have a read's audit entry before it is answered"));
    options.auditReplicaWait = std::chrono::milliseconds(env.integer(
        "MWP_ACK_REPLICA_WAIT_MS", 1000, 1, 60000, "how long a read waits for its audit's replicas"));
    options.auditRetention = std::chrono::days(env.integer(
        "MWP_AUDIT_RETENTION_DAYS", gateway::AuditLog::kDefaultRetention.count() / 86400,
        gateway::AuditLog::kShortestRetention.count() / 86400, 100 * 366,
        "days the audit is kept (网络安全法 art. 21: at least six months)"));
    std::string refSecretFile = env.text("MWP_GATEWAY_REF_SECRET_FILE", "",
                                         "the secret workerRefs are made with (32+ bytes)");
    if (!refSecretFile.empty()) {
      options.workerRefSecret = readTextFile(refSecretFile, "the worker reference secret");
    }
    options.healthMinCount = static_cast<int>(
        env.integer("MWP_GATEWAY_HEALTH_MIN_COUNT", 5, 1, 1000,
                    "health counts below this are suppressed for roles without health access"));
    for (const auto& service : kServices) {
      if (service.keepsWorkerSection)
        options.stateRedis.push_back(redisFromEnv(env, upperName(service.name), "GATEWAY"));
    }
    options.busIngest = env.text("MWP_BUS_INGEST", "tcp://127.0.0.1:7101", "the bus's ingest");
    options.busCurve = curveClientFromEnv(env);
    options.servicesCurve = curveClientFromEnv(env, "MWP_SERVICES_SERVER_KEY_FILE",
                                               "the services' public CurveZMQ key file");
    if (options.busCurve.has_value() != options.servicesCurve.has_value()) {
      throw ConfigError(
          "MWP_KEY_FILE needs both MWP_BUS_SERVER_KEY_FILE and "
          "MWP_SERVICES_SERVER_KEY_FILE");
    }
    for (const auto& service : kServices) {
      std::string name(service.name);
      options.services.push_back(
          {name, env.text("MWP_" + upperName(name) + "_QUERY",
                          "tcp://127.0.0.1:" + std::to_string(service.queryPort),
                          name + " query socket")});
    }
    options.deadline = std::chrono::milliseconds(env.integer(
        "MWP_GATEWAY_DEADLINE_MS", 500, 10, 60000, "how long a record waits for the services"));
    options.keptSections = static_cast<size_t>(
        env.integer("MWP_GATEWAY_KEPT_SECTIONS", 100000, 0, 100000000,
                    "worker sections kept until a service changes them (0: ask every time)"));
    options.requestsPerSecond = static_cast<double>(
        env.integer("MWP_GATEWAY_RATE_PER_KEY", 50, 1, 1000000, "requests a second per API key"));
    options.refusalsPerMinute = static_cast<double>(env.integer(
        "MWP_GATEWAY_REFUSALS_PER_MINUTE", 30, 1, 1000000,
        "refused keys (401, 403) a minute per client address before it is answered 429"));
    std::stringstream proxies(env.text(
        "MWP_GATEWAY_TRUSTED_PROXIES", "",
        "addresses of the TLS proxies whose X-Real-IP names the client, comma-separated"));
    for (std::string proxy; std::getline(proxies, proxy, ',');) {
      if (!proxy.empty()) options.trustedProxies.insert(proxy);
    }
    options.http = http::limitsFromEnv(env, "MWP_GATEWAY_", options.http);
    std::string keysFile =
        env.text("MWP_API_KEYS_FILE", "var/api-keys", "API key hashes and roles");
    std::string host = env.text("MWP_GATEWAY_HOST", "127.0.0.1", "HTTP address");
    int port = static_cast<int>(env.integer("MWP_GATEWAY_PORT", 8080, 0, 65535, "HTTP port"));
    int adminPort = static_cast<int>(
        env.integer("MWP_GATEWAY_ADMIN_PORT", 9200, 0, 65535, "/metrics, /livez, /readyz"));
    std::string adminHost = env.text("MWP_ADMIN_HOST", "127.0.0.1", "admin port address");
    if (wantsPrintConfig(argc, argv)) {
      std::cout << env.describe();
      return 0;
    }
    auto keys = gateway::ApiKeys::fromFile(keysFile);
    if (options.workerRefSecret.empty()) {
      log.warn("no MWP_GATEWAY_REF_SECRET_FILE: workerRefs last until this gateway restarts");
    }

    installStopSignals();
    zmq::context_t context;
    prometheus::Registry registry;
    gateway::Gateway gateway(options, std::move(keys), Catalogue::builtIn(), context, registry);
    int bound = gateway.start(host, port);
    AdminServer admin(adminHost, adminPort, registry,
                      [&gateway] { return gateway.notReadyBecause(); });
    log.info("serving", {{"http", host + ":" + std::to_string(bound)},
                         {"admin", adminHost + ":" + std::to_string(admin.port())}});
    while (!stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    gateway.stop();
    log.info("stopped");
    return 0;
  });
}
