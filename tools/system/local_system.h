// One whole mwp on 127.0.0.1 for the chaos run and the benchmarks: its own Redis (append-only, as
// in production) — or, with `ha`, the layout of ops/run.sh --ha: the log's group and the state's,
// each a primary and a replica, and three Sentinels — the bus, the six services and the gateway,
// each a child process on free ports with its log in the run's folder, and CurveZMQ on every
// socket.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "curve.h"
#include "redis.h"
#include "redis_group.h"
#include "services.h"

namespace mwp::local {


struct SystemOptions {
  std::string dir;          // data and logs; made if missing
  std::string binaries;     // the build folder: <binaries>/services/<name>/mwp-<name>
  std::string redisServer;  // the redis-server program
  uint32_t partitions = 8;
  // Whether the services' timers fire. A clean replay applies the log alone: what the run's timers
  // raised is in it as events, and timers firing at the replay's own moments would add others.
  bool timers = true;
  // The bus's log on the group "mwp-log", every service's state (and the gateway's keys) on
  // "mwp-state", each found through the Sentinels, a primary down after `downAfterMs`.
  bool ha = false;
  int downAfterMs = 2000;
  int ackReplicas = -1;  // the bus's MWP_ACK_REPLICAS; -1: its default (1 with Sentinels)
};

class System {
 public:
  explicit System(SystemOptions options);

  // Redis (with `ha`: both groups, then the Sentinels), waiting until it answers.
  void startRedis();
  // The bus and the services except `notYet`.
  void startMwp(const std::string& notYet = "");

  ChildProcess& redisProcess() { return *redis_; }
  ChildProcess& bus() { return *bus_; }
  ChildProcess& service(const std::string& name) { return *services_.at(name); }
  // The gateway is not started by startMwp(): start it when wanted.
  ChildProcess& gateway() { return *gateway_; }
  int gatewayPort() const { return gatewayPort_; }
  const std::string& apiKey() const { return apiKey_; }  // an administrator's
  // Restarts Redis from its append-only file and waits until it answers (not with `ha`).
  void restartRedis();
  // With `ha`: "log" or "state".
  RedisGroup& redisGroup(const std::string& part) {
    return part == "log" ? *logGroup_ : *stateGroup_;
  }

  // Where the bus's log is, and the services' state; one and the same Redis unless `ha`.
  RedisEndpoint logRedis() const;
  RedisEndpoint stateRedis() const;
  std::string ingest() const { return ingest_; }
  std::string publishEndpoint() const { return publish_; }
  // CurveZMQ is on, as ops/run.sh runs it: the key a sender of events (the operator) uses.
  const CurveClient& operatorKey() const { return operator_; }
  uint32_t partitions() const { return options_.partitions; }

  // Whether every service has taken every stored event and sent its derived events. `log` and
  // `state` are connections to logRedis() and stateRedis().
  bool settled(Redis& log, Redis& state);
  void stopAll();

 private:
  void waitForRedis();

  SystemOptions options_;
  int redisPort_;
  std::string ingest_, publish_;
  CurveClient operator_;
  std::unique_ptr<ChildProcess> redis_, bus_, gateway_;
  std::unique_ptr<RedisGroup> logGroup_, stateGroup_;  // with `ha`
  std::unique_ptr<Sentinels> sentinels_;
  int gatewayPort_ = 0;
  std::string apiKey_;
  std::map<std::string, std::unique_ptr<ChildProcess>> services_;
};

}  // namespace mwp::local
