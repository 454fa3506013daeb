#include "process.h"

#include <csignal>
#include <cstring>

namespace mwp {
namespace {
std::atomic<bool> gStop{false};  // the one global: a signal handler can reach nothing else
void onSignal(int) {
  gStop = true;
}
}  // namespace

const std::atomic<bool>& stopRequested() {
  return gStop;
}

void installStopSignals() {
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

RedisEndpoint redisFromEnv(Env& env) {
  RedisEndpoint endpoint;
  endpoint.host = env.text("MWP_REDIS_HOST", "127.0.0.1", "Redis host");
  endpoint.port = static_cast<int>(env.integer(
      "MWP_REDIS_PORT", 6380, 1, 65535, "Redis port (mwp runs its own, off the system default)"));
  endpoint.password = env.secret("MWP_REDIS_PASSWORD", "", "Redis AUTH password");
  return endpoint;
}

std::optional<CurveClient> curveClientFromEnv(Env& env) {
  std::string own =
      env.text("MWP_KEY_FILE", "", "this client's CurveZMQ key file (mwpctl keygen curve)");
  std::string server =
      env.text("MWP_BUS_SERVER_KEY_FILE", "", "the bus's public CurveZMQ key file");
  if (own.empty() && server.empty()) return std::nullopt;
  if (own.empty() || server.empty()) {
    throw ConfigError("MWP_KEY_FILE and MWP_BUS_SERVER_KEY_FILE go together: set both or neither");
  }
  CurveClient client{readCurveKeys(own), readCurveKeys(server).publicKey};
  if (client.own.secretKey.empty())
    throw ConfigError(own + ": this client's key file has no secret key");
  return client;
}

uint32_t partitionCountFromEnv(Env& env) {
  return static_cast<uint32_t>(env.integer("MWP_PARTITION_COUNT", 8, 1, 4096,
                                           "partitions of the event log (bus and services alike)"));
}

bool wantsPrintConfig(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--print-config") == 0) return true;
  }
  return false;
}

int guardedMain(const std::string& component, const std::function<int(Logger&)>& body) {
  Logger log(component);
  try {
    return body(log);
  } catch (const ConfigError& e) {
    log.error("bad configuration", {{"error", e.what()}});
    return 78;
  } catch (const std::exception& e) {
    log.error("cannot start", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace mwp
