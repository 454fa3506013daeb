// mwp-bus: reads its configuration, builds its parts, serves until SIGTERM.
#include <prometheus/registry.h>

#include <iostream>

#include "admin_server.h"
#include "bus.h"
#include "command_line.h"
#include "frames.h"
#include "process.h"

int main(int argc, char** argv) {
  using namespace mwp;
  if (auto done = serverCommandLine("mwp-bus", argc, argv)) return *done;
  return guardedMain("bus", [&](Logger& log) {
    Env env;
    bus::BusOptions options;
    options.ingestEndpoint = env.text("MWP_BUS_INGEST_BIND", "tcp://127.0.0.1:7101",
                                      "where department systems send events (ROUTER)");
    options.publishEndpoint = env.text("MWP_BUS_PUBLISH_BIND", "tcp://127.0.0.1:7102",
                                       "where services follow stored events (PUB)");
    options.partitionCount = partitionCountFromEnv(env);
    options.dedupWindowSeconds =
        env.integer("MWP_DEDUP_WINDOW_DAYS", 30, 1, 3650, "days an eventId is remembered") * 86400;
    options.rejectedBytes = static_cast<size_t>(
        env.integer("MWP_REJECTED_MAX_MB", 64, 1, 1 << 20,
                    "Redis memory the refused frames kept for audit may take, in MiB (the oldest "
                    "go first)")
        << 20);
    options.rejectedFrameBytes =
        static_cast<size_t>(env.integer("MWP_REJECTED_FRAME_BYTES", 1024, 0, kMaxFrameBytes,
                                        "how much of each refused frame is kept, in bytes"));
    auto curve = curveServerFromEnv(env);
    if (curve) options.curve = curve->keys;
    auto redisEndpoint = redisFromEnv(env, "BUS");
    // With Sentinels there is a replica to wait for; with one Redis there is none.
    options.ackReplicas = static_cast<int>(
        env.integer("MWP_ACK_REPLICAS", redisEndpoint.sentinels.empty() ? 0 : 1, 0, 16,
                    "replicas that must have a batch before it is acknowledged (Redis WAIT)"));
    options.replicaWait = std::chrono::milliseconds(
        env.integer("MWP_ACK_REPLICA_WAIT_MS", 1000, 1, 60000,
                    "how long a batch waits for its replicas before it goes unanswered"));
    std::string adminHost = env.text("MWP_ADMIN_HOST", "127.0.0.1", "admin port address");
    int adminPort = static_cast<int>(
        env.integer("MWP_BUS_ADMIN_PORT", 9101, 0, 65535, "/metrics, /livez, /readyz"));
    if (wantsPrintConfig(argc, argv)) {
      std::cout << env.describe();
      return 0;
    }

    installStopSignals();
    zmq::context_t context;
    auto zap = startZapHandler(context, curve);
    Redis redis(redisEndpoint);
    prometheus::Registry registry;
    bus::Bus bus(options, context, redis, Catalogue::builtIn(), systemClock, registry);
    bus.bind();
    AdminServer admin(adminHost, adminPort, registry, [&bus] { return bus.notReadyBecause(); });
    log.info("serving", {{"ingest", options.ingestEndpoint},
                         {"publish", options.publishEndpoint},
                         {"admin", adminHost + ":" + std::to_string(admin.port())},
                         {"partitions", std::to_string(options.partitionCount)},
                         {"refusalsKept", std::to_string(bus::refusalsKept(options))},
                         {"curve", options.curve ? "on" : "off"}});
    bus.run(stopRequested());
    log.info("stopped");
    return 0;
  });
}
