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

namespace {

// A secret given in the variable `name` or, better (a variable is seen by whoever can read the
// process's environment), in the file named by `name`_FILE; `fallback` when neither is set.
std::string readSecret(Env& env, const std::string& name, const std::string& help,
                       const std::string& fallback) {
  std::string inVariable = env.secret(name, "", help);
  std::string file = env.text(name + "_FILE", "", "file holding the " + help);
  if (!inVariable.empty() && !file.empty()) {
    throw ConfigError(name + " and " + name + "_FILE: set one or the other, not both");
  }
  if (!inVariable.empty()) return inVariable;
  if (file.empty()) return fallback;
  std::string text = readTextFile(file, name + "_FILE");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) throw ConfigError(name + "_FILE: " + file + " is empty");
  return text;
}

// Where one Redis is, as its variables give it, so a part's variables default to the shared ones.
struct RedisSettings {
  std::string host = "127.0.0.1";
  int64_t port = 6380;
  std::string sentinels;
  std::string primary = "mwp";
  std::string sentinelPassword;
};

RedisSettings readRedisSettings(Env& env, const std::string& prefix, const std::string& whose,
                                const RedisSettings& defaults) {
  RedisSettings s;
  s.host = env.text(prefix + "HOST", defaults.host, "Redis host" + whose);
  s.port = env.integer(prefix + "PORT", defaults.port, 1, 65535,
                       "Redis port" + whose + " (mwp runs its own, off the system default)");
  s.sentinels = env.text(prefix + "SENTINELS", defaults.sentinels,
                         "host:port,… of Redis Sentinels" + whose + " (then they name the primary)");
  s.primary = env.text(prefix + "PRIMARY", defaults.primary,
                       "the primary's name at the Sentinels" + whose);
  s.sentinelPassword = readSecret(env, prefix + "SENTINEL_PASSWORD", "Sentinels' password" + whose,
                                  defaults.sentinelPassword);
  return s;
}

// Who connects: an ACL user and its password.
struct RedisLogin {
  std::string user;
  std::string password;
};

RedisLogin readRedisLogin(Env& env, const std::string& prefix, const std::string& whose,
                          const RedisLogin& defaults) {
  RedisLogin login;
  login.user =
      env.text(prefix + "USER", defaults.user,
               "Redis ACL user" + whose + " (ops/redis/users.acl.in; unset: the default user)");
  login.password =
      readSecret(env, prefix + "PASSWORD", "Redis password" + whose, defaults.password);
  return login;
}

}  // namespace

RedisEndpoint redisFromEnv(Env& env, const std::string& part, const std::string& as) {
  // One Redis serves every part unless a part is given its own: MWP_<PART>_REDIS_*, each
  // defaulting to the MWP_REDIS_* one. The login is the connecting process's own, whichever
  // part's Redis it reaches: a service reads the bus's log as itself, not as the bus.
  auto prefixOf = [](const std::string& name) {
    return name.empty() ? std::string("MWP_REDIS_") : "MWP_" + name + "_REDIS_";
  };
  auto whoseOf = [](const std::string& name) { return name.empty() ? "" : " for " + name; };
  RedisSettings s = readRedisSettings(env, "MWP_REDIS_", "", {});
  if (!part.empty()) s = readRedisSettings(env, prefixOf(part), whoseOf(part), s);
  std::string who = as.empty() ? part : as;
  RedisLogin login = readRedisLogin(env, "MWP_REDIS_", "", {});
  if (!who.empty()) login = readRedisLogin(env, prefixOf(who), whoseOf(who), login);

  RedisEndpoint endpoint;
  endpoint.host = s.host;
  endpoint.port = static_cast<int>(s.port);
  endpoint.user = login.user;
  endpoint.password = login.password;
  endpoint.primaryName = s.primary;
  endpoint.sentinelPassword = s.sentinelPassword;
  if (!s.sentinels.empty()) {
    try {
      endpoint.sentinels = parseRedisAddresses(s.sentinels);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(prefixOf(part) + "SENTINELS: " + e.what());
    }
  }
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
