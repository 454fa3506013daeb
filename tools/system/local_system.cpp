#include "local_system.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_keys.h"
#include "event_log.h"
#include "service_loop.h"

namespace mwp::local {

namespace {
std::string endpointOnFreePort() {
  return "tcp://127.0.0.1:" + std::to_string(freeTcpPort());
}
}  // namespace

System::System(SystemOptions options)
    : options_(std::move(options)),
      redisPort_(freeTcpPort()),
      ingest_(endpointOnFreePort()),
      publish_(endpointOnFreePort()) {
  std::filesystem::create_directories(options_.dir + "/redis");
  std::filesystem::create_directories(options_.dir + "/log");
  std::string log = options_.dir + "/log/";
  // Keys for every socket, as ops/run.sh makes them.
  std::string keys = options_.dir + "/";
  auto bus = newCurveKeys(), services = newCurveKeys(), gateway = newCurveKeys();
  operator_ = {newCurveKeys(), bus.publicKey};
  writeCurveKeys(keys + "bus.key", bus, "local mwp: bus");
  writeCurveKeys(keys + "bus.pub", {bus.publicKey, ""}, "local mwp: bus");
  writeCurveKeys(keys + "services.key", services, "local mwp: services");
  writeCurveKeys(keys + "services.pub", {services.publicKey, ""}, "local mwp: services");
  writeCurveKeys(keys + "gateway.key", gateway, "local mwp: gateway");
  std::ofstream(keys + "clients") << "mwpService " << services.publicKey << "\noperator "
                                  << operator_.own.publicKey << "\ngateway " << gateway.publicKey
                                  << "\n";
  // One administrator's API key for the gateway.
  apiKey_ = gateway::newApiKey();
  std::ofstream(keys + "api-keys") << "local admin " << gateway::hashApiKey(apiKey_) << "\n";
  // The append-only file as ops/run.sh keeps it (ops/redis/durability.conf).
  redis_ = std::make_unique<ChildProcess>(
      options_.redisServer, std::map<std::string, std::string>{},
      std::vector<std::string>{"--include", MWP_REDIS_DURABILITY_CONF, "--port",
                               std::to_string(redisPort_), "--bind", "127.0.0.1", "--dir",
                               options_.dir + "/redis", "--save", "", "--logfile",
                               log + "redis.log", "--loadmodule", MWP_REDIS_LOG_MODULE});
  std::map<std::string, std::string> common{
      {"MWP_PARTITION_COUNT", std::to_string(options_.partitions)},
      {"MWP_ADMIN_HOST", "127.0.0.1"},
      {"MWP_CURVE_CLIENTS", keys + "clients"}};
  if (options_.ha) {
    logGroup_ =
        std::make_unique<RedisGroup>("mwp-log", options_.dir + "/redis", options_.redisServer);
    stateGroup_ =
        std::make_unique<RedisGroup>("mwp-state", options_.dir + "/redis", options_.redisServer);
    sentinels_ = std::make_unique<Sentinels>(std::vector{logGroup_.get(), stateGroup_.get()},
                                             options_.dir + "/redis", options_.redisServer,
                                             options_.downAfterMs);
    common.insert({{"MWP_REDIS_SENTINELS", sentinels_->addresses()},
                   {"MWP_REDIS_PRIMARY", stateGroup_->name()},
                   {"MWP_BUS_REDIS_SENTINELS", sentinels_->addresses()},
                   {"MWP_BUS_REDIS_PRIMARY", logGroup_->name()}});
  } else {
    common["MWP_REDIS_PORT"] = std::to_string(redisPort_);
  }
  auto busEnv = common;
  if (options_.ackReplicas >= 0) busEnv["MWP_ACK_REPLICAS"] = std::to_string(options_.ackReplicas);
  busEnv.insert({{"MWP_BUS_INGEST_BIND", ingest_},
                 {"MWP_BUS_PUBLISH_BIND", publish_},
                 {"MWP_BUS_ADMIN_PORT", "0"},
                 {"MWP_KEY_FILE", keys + "bus.key"}});
  bus_ = std::make_unique<ChildProcess>(options_.binaries + "/services/bus/mwp-bus", busEnv,
                                        std::vector<std::string>{}, log + "bus.log");
  auto gatewayEnv = common;
  gatewayPort_ = freeTcpPort();
  gatewayEnv.insert({{"MWP_BUS_INGEST", ingest_},
                     {"MWP_KEY_FILE", keys + "gateway.key"},
                     {"MWP_BUS_SERVER_KEY_FILE", keys + "bus.pub"},
                     {"MWP_SERVICES_SERVER_KEY_FILE", keys + "services.pub"},
                     {"MWP_API_KEYS_FILE", keys + "api-keys"},
                     {"MWP_GATEWAY_PORT", std::to_string(gatewayPort_)},
                     {"MWP_GATEWAY_ADMIN_PORT", "0"},
                     {"MWP_GATEWAY_RATE_PER_KEY", "1000000"}});
  for (const auto& name : serviceNames()) {
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    std::string query = endpointOnFreePort();
    gatewayEnv["MWP_" + upper + "_QUERY"] = query;
    auto env = common;
    env.insert({{"MWP_BUS_INGEST", ingest_},
                {"MWP_BUS_PUBLISH", publish_},
                {"MWP_KEY_FILE", keys + "services.key"},
                {"MWP_BUS_SERVER_KEY_FILE", keys + "bus.pub"},
                {"MWP_" + upper + "_QUERY_BIND", query},
                {"MWP_" + upper + "_ADMIN_PORT", "0"}});
    if (!options_.timers) env["MWP_TIMER_INTERVAL_MS"] = "86400000";
    services_[name] =
        std::make_unique<ChildProcess>(options_.binaries + "/services/" + name + "/mwp-" + name,
                                       env, std::vector<std::string>{}, log + name + ".log");
  }
  gateway_ = std::make_unique<ChildProcess>(options_.binaries + "/gateway/mwp-gateway", gatewayEnv,
                                            std::vector<std::string>{}, log + "gateway.log");
}

void System::waitForRedis() {
  // Until it answers: a Redis loading its append-only file accepts connections but answers
  // -LOADING, which the client reports as unavailable.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Redis probe(logRedis(), std::chrono::seconds(30));  // connects or throws after 30 s
  while (true) {
    try {
      probe.command({"PING"});
      return;
    } catch (const RedisUnavailable&) {
      if (std::chrono::steady_clock::now() > deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void System::startRedis() {
  if (options_.ha) {
    logGroup_->start();
    stateGroup_->start();
    sentinels_->start();
    return;
  }
  redis_->start();
  waitForRedis();
}

RedisEndpoint System::logRedis() const {
  if (options_.ha) return sentinels_->endpoint(logGroup_->name());
  RedisEndpoint endpoint;
  endpoint.port = redisPort_;
  return endpoint;
}

RedisEndpoint System::stateRedis() const {
  return options_.ha ? sentinels_->endpoint(stateGroup_->name()) : logRedis();
}

void System::startMwp(const std::string& notYet) {
  bus_->start();
  for (auto& [name, process] : services_) {
    if (name != notYet) process->start();
  }
}

void System::restartRedis() {
  redis_->kill9();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  redis_->start();
  waitForRedis();
}

bool System::settled(Redis& log, Redis& state) {
  auto last = lastSequences(log, options_.partitions);
  std::vector<RedisCommand> reads;
  for (const auto& name : serviceNames()) {
    for (uint32_t p = 0; p < options_.partitions; ++p) {
      reads.push_back({"LLEN", keys::outbox(name, p)});  // whichever instance layout runs
      reads.push_back({"GET", keys::cursor(name, p)});
    }
  }
  auto replies = state.pipeline(reads);
  size_t i = 0;
  for (size_t s = 0; s < kServices.size(); ++s) {
    for (uint32_t p = 0; p < options_.partitions; ++p) {
      if (replies[i++].integer != 0) return false;
      const auto& cursor = replies[i++];
      uint64_t at = cursor.isNil() ? 0 : std::stoull(cursor.str);
      if (at != last[p]) return false;
    }
  }
  return true;
}

void System::stopAll() {
  gateway_->terminateWithin(5);
  for (auto& [name, process] : services_) process->terminateWithin(5);
  bus_->terminateWithin(5);
  if (options_.ha) {
    sentinels_->stopAll();
    logGroup_->stopAll();
    stateGroup_->stopAll();
  } else {
    redis_->terminateWithin(5);
  }
}

}  // namespace mwp::local
