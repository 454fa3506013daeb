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
  std::string sentinels = env.text("MWP_REDIS_SENTINELS", "",
                                   "host:port,… of Redis Sentinels (then they name the primary)");
  if (!sentinels.empty()) {
    try {
      endpoint.sentinels = parseRedisAddresses(sentinels);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("MWP_REDIS_SENTINELS: ") + e.what());
    }
  }
  endpoint.primaryName =
      env.text("MWP_REDIS_PRIMARY", "mwp", "the primary's name at the Sentinels (with MWP_REDIS_SENTINELS)");
  return endpoint;
}

namespace {
// MWP_KEY_FILE: a key pair with its secret half, or "" when unset.
std::string ownKeyFile(Env& env) {
  return env.text("MWP_KEY_FILE", "", "this process's CurveZMQ key pair (mwpctl keygen curve)");
}

CurveKeys readKeyPair(const std::string& path) {
  auto keys = readCurveKeys(path);
  if (keys.secretKey.empty()) throw ConfigError(path + ": this process's key file has no secret key");
  return keys;
}
}  // namespace

std::optional<CurveClient> curveClientFromEnv(Env& env, const std::string& serverKeyVariable,
                                              const std::string& serverHelp) {
  std::string own = ownKeyFile(env);
  std::string server = env.text(serverKeyVariable, "", serverHelp);
  if (own.empty() && server.empty()) return std::nullopt;
  if (own.empty() || server.empty()) {
    throw ConfigError("MWP_KEY_FILE and " + serverKeyVariable +
                      " go together: set both or neither");
  }
  return CurveClient{readKeyPair(own), readCurveKeys(server).publicKey};
}

std::optional<CurveServerSettings> curveServerFromEnv(Env& env) {
  std::string own = ownKeyFile(env);
  std::string clients =
      env.text("MWP_CURVE_CLIENTS", "", "who may connect: \"<user-id> <public key>\" lines");
  if (own.empty() && clients.empty()) return std::nullopt;
  if (own.empty() || clients.empty()) {
    throw ConfigError("MWP_KEY_FILE and MWP_CURVE_CLIENTS go together: set both or neither");
  }
  return CurveServerSettings{readKeyPair(own), readCurveClients(clients)};
}

std::unique_ptr<ZapHandler> startZapHandler(zmq::context_t& context,
                                            const std::optional<CurveServerSettings>& curve) {
  if (!curve) return nullptr;
  return std::make_unique<ZapHandler>(context, curve->clients);
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
