// What every mwp process does at start: read the shared settings, honour --print-config, and turn
// SIGTERM / SIGINT into a stop flag that its loop checks.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config.h"
#include "curve.h"
#include "log.h"
#include "redis.h"

namespace mwp {

// Set by SIGTERM or SIGINT once installStopSignals() has run.
const std::atomic<bool>& stopRequested();
void installStopSignals();

// The Redis of one part of mwp, reached by the process `as` (default: `part` itself).
// Where: "" the default (MWP_REDIS_HOST, _PORT, _SENTINELS, _PRIMARY, and the Sentinels' own
// _SENTINEL_PASSWORD or _SENTINEL_PASSWORD_FILE), or a part with a Redis of its own ("BUS",
// "EMPLOYMENT", "GATEWAY"…: MWP_<PART>_REDIS_*, each defaulting to MWP_REDIS_*).
// Who: the ACL user of `as` (MWP_<AS>_REDIS_USER and _PASSWORD or _PASSWORD_FILE, each defaulting
// to MWP_REDIS_*), the same at every Redis the process reaches: ops/redis/users.acl.in declares
// every user on every server. A password file that cannot be read, or is empty, is a ConfigError.
RedisEndpoint redisFromEnv(Env& env, const std::string& part = "", const std::string& as = "");

// MWP_KEY_FILE (this process's CURVE key pair) and the server's public key file named by
// `serverKeyVariable` (MWP_BUS_SERVER_KEY_FILE for the bus): both or neither. Neither: the server
// is reached in plain text (tests, development).
std::optional<CurveClient> curveClientFromEnv(
    Env& env, const std::string& serverKeyVariable = "MWP_BUS_SERVER_KEY_FILE",
    const std::string& serverHelp = "the bus's public CurveZMQ key file");

// A server's side of CURVE: its key pair (MWP_KEY_FILE) and who may connect (MWP_CURVE_CLIENTS:
// "<user-id> <public key>" lines). Both or neither; neither: plain text.
struct CurveServerSettings {
  CurveKeys keys;
  std::map<std::string, std::string> clients;  // public key → user id
};
std::optional<CurveServerSettings> curveServerFromEnv(Env& env);
// The ZAP handler of a process with CURVE server sockets, made before any of them: a CURVE server
// without one would let every key in. Null when CURVE is off.
std::unique_ptr<ZapHandler> startZapHandler(zmq::context_t& context,
                                            const std::optional<CurveServerSettings>& curve);

// MWP_PARTITION_COUNT: partitions of the event log, the same for the bus and every service.
uint32_t partitionCountFromEnv(Env& env);

// True if argv has --print-config; the caller prints env.describe() and exits 0.
bool wantsPrintConfig(int argc, char** argv);

// Runs a process's body: a bad configuration stops it with exit code 78 (EX_CONFIG) and the
// message; any other failure to start with 1; both logged for `component`.
int guardedMain(const std::string& component, const std::function<int(Logger&)>& body);

}  // namespace mwp
