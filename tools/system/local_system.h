// One whole mwp on 127.0.0.1 for the chaos run and the benchmarks: its own Redis (append-only, as in
// production), the bus, the six services and the gateway, each a child process on free ports with
// its log in the run's folder, and CurveZMQ on every socket.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "curve.h"
#include "redis.h"
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
};

class System {
 public:
  explicit System(SystemOptions options);

  // Redis, waiting until it answers.
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
  // Restarts Redis from its append-only file and waits until it answers.
  void restartRedis();

  RedisEndpoint redis() const {
    RedisEndpoint endpoint;
    endpoint.port = redisPort_;
    return endpoint;
  }
  std::string ingest() const { return ingest_; }
  std::string publishEndpoint() const { return publish_; }
  // CurveZMQ is on, as ops/run.sh runs it: the key a sender of events (the operator) uses.
  const CurveClient& operatorKey() const { return operator_; }
  uint32_t partitions() const { return options_.partitions; }

  // Whether every service has taken every stored event and sent its derived events. Reads Redis.
  bool settled(Redis& redis);
  void stopAll();

 private:
  void waitForRedis();

  SystemOptions options_;
  int redisPort_;
  std::string ingest_, publish_;
  CurveClient operator_;
  std::unique_ptr<ChildProcess> redis_, bus_, gateway_;
  int gatewayPort_ = 0;
  std::string apiKey_;
  std::map<std::string, std::unique_ptr<ChildProcess>> services_;
};

}  // namespace mwp::local
