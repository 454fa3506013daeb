#include "test_env.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config_files.h"
#include "event_log.h"
#include "frames.h"
#include "service_loop.h"
#include "services.h"

namespace mwp::test {

RedisEndpoint testRedis() {
  return testRedisAs("admin");
}

RedisEndpoint testRedisAs(const std::string& user) {
  const char* port = std::getenv("MWP_TEST_REDIS_PORT");
  if (!port) {
    ADD_FAILURE() << "MWP_TEST_REDIS_PORT is not set: run the tests with ops/test.sh";
    throw std::runtime_error("no test Redis");
  }
  RedisEndpoint endpoint;
  endpoint.port = std::atoi(port);
  return loggedInAs(endpoint, user);
}

std::string redisSecrets() {
  const char* dir = std::getenv("MWP_TEST_REDIS_SECRETS");
  return dir ? dir : "";
}

std::string passwordFile(const std::string& user) {
  return redisSecrets() + "/" + user + ".password";
}

std::string redisPassword(const std::string& name) {
  std::string text = readTextFile(passwordFile(name), "the test Redis's password of " + name);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

RedisEndpoint loggedInAs(RedisEndpoint endpoint, const std::string& user) {
  if (redisSecrets().empty()) return endpoint;
  endpoint.user = user;
  endpoint.password = redisPassword(user);
  return endpoint;
}

void flushRedis() {
  Redis redis(testRedis());
  redis.command({"FLUSHALL"});
}

void expectEachStoredOnce(const RedisEndpoint& endpoint, const std::vector<IngestResult>& results,
                          int events, uint32_t partitions) {
  Redis redis(endpoint);
  std::map<std::string, int> copies;
  int64_t stored = 0;
  for (uint32_t p = 0; p < partitions; ++p) {
    uint64_t expected = 1;
    for (const auto& e : readLog(redis, p, 1, 1000000)) {
      EXPECT_EQ(e.sequence, expected++) << "no holes in partition " << p;
      FrameReader reader(e.envelope);
      ++copies[reader.root<msg::Envelope>().getEventId().cStr()];
      ++stored;
    }
  }
  int acknowledged = 0;
  for (const auto& r : results) {
    ASSERT_NE(r.status, msg::IngestReply::Status::NACK) << r.eventId << ": " << r.reason;
    EXPECT_EQ(copies[r.eventId], 1)
        << r.eventId << " acknowledged but stored " << copies[r.eventId] << " times";
    ++acknowledged;
  }
  EXPECT_EQ(acknowledged, events);
  EXPECT_EQ(stored, events);
}

std::string freeEndpoint() {
  return "tcp://127.0.0.1:" + std::to_string(freeTcpPort());
}

CommandLines outputLines(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  CommandLines run;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe)) {
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    run.lines.push_back(line);
  }
  run.exitCode = WEXITSTATUS(pclose(pipe));
  return run;
}

std::map<std::string, double> samples(prometheus::Registry& registry, const std::string& family) {
  std::map<std::string, double> values;
  for (const auto& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) {
      std::string label = m.label.empty() ? "" : m.label.front().value;
      values[label] = f.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
    }
  }
  return values;
}

OwnRedis::OwnRedis(std::vector<std::string> args, LogModule module)
    : port_(freeTcpPort()),
      dir_((std::filesystem::temp_directory_path() / ("mwp-redis-" + std::to_string(port_)))
               .string()) {
  std::filesystem::create_directories(dir_);
  // The append-only file as every Redis of mwp keeps it (ops/redis/durability.conf).
  std::vector<std::string> all{"--include", MWP_REDIS_DURABILITY_CONF,
                               "--port",    std::to_string(port_),
                               "--bind",    "127.0.0.1",
                               "--save",    "",
                               "--dir",     dir_,
                               "--logfile", dir_ + "/redis.log"};
  bool withModule = module == LogModule::kLoaded;
  if (withModule) all.insert(all.end(), {"--loadmodule", MWP_REDIS_LOG_MODULE});
  if (!redisSecrets().empty()) {
    // The replica's password in a file of its own folder, not on the command line.
    std::string replication = dir_ + "/replication.conf";
    std::ofstream(replication) << "masteruser replica\nmasterauth " << redisPassword("replica")
                               << "\n";
    std::filesystem::permissions(
        replication, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    // The ACL file that names the module's command only for a Redis that has it (write_redis_secrets).
    std::string acl = withModule ? "/users-log-module.acl" : "/users.acl";
    all.insert(all.end(), {"--aclfile", redisSecrets() + acl, "--protected-mode", "yes",
                           "--include", replication});
  }
  all.insert(all.end(), args.begin(), args.end());
  process_ = std::make_unique<mwp::ChildProcess>("/usr/bin/redis-server",
                                                 std::map<std::string, std::string>{}, all);
  process_->start();
  Redis probe(endpoint(), std::chrono::seconds(10));
  untilAvailable([&] { return probe.command({"PING"}); });
}

OwnRedis::~OwnRedis() {
  process_.reset();  // killed
  std::filesystem::remove_all(dir_);
}

RedisEndpoint OwnRedis::endpoint() const {
  RedisEndpoint endpoint;
  endpoint.port = port_;
  return loggedInAs(endpoint, "admin");
}

BusThread::BusThread(uint32_t partitionCount) : BusThread(partitionCount, testRedisAs("bus"), {}) {}

BusThread::BusThread(uint32_t partitionCount, RedisEndpoint redis,
                     const std::function<void(bus::BusOptions&)>& configure)
    : ingest(freeEndpoint()),
      publish(freeEndpoint()),
      partitionCount(partitionCount),
      redis_(std::move(redis)) {
  bus::BusOptions options;
  options.ingestEndpoint = ingest;
  options.publishEndpoint = publish;
  options.partitionCount = partitionCount;
  options.heartbeatInterval = std::chrono::milliseconds(100);
  if (configure) configure(options);
  bus_ = std::make_unique<bus::Bus>(options, context_, redis_, Catalogue::builtIn(), systemClock,
                                    registry);
  bus_->bind();
  thread_ = std::thread([this] { bus_->run(stop_); });
}

BusThread::~BusThread() {
  stop_ = true;
  thread_.join();
}

std::map<std::string, std::string> withTestRedis(std::map<std::string, std::string> env) {
  env.emplace("MWP_REDIS_PORT", std::to_string(testRedis().port));
  if (redisSecrets().empty()) return env;
  auto login = [&](const std::string& prefix, const std::string& user) {
    env.emplace(prefix + "USER", user);
    env.emplace(prefix + "PASSWORD_FILE", passwordFile(user));
  };
  login("MWP_REDIS_", "operator");
  login("MWP_BUS_REDIS_", "bus");
  login("MWP_GATEWAY_REDIS_", "gateway");
  for (const auto& service : kServices) {
    login("MWP_" + upperName(service.name) + "_REDIS_", std::string(service.name));
  }
  return env;
}

ChildProcess::ChildProcess(std::string binary, std::map<std::string, std::string> env,
                           std::string stderrFile)
    : mwp::ChildProcess(std::move(binary), withTestRedis(std::move(env)), {},
                        std::move(stderrFile)) {}

ChildProcess busProcess(const std::string& ingest, const std::string& publish,
                        uint32_t partitionCount) {
  return ChildProcess(MWP_BUS_BINARY, {{"MWP_BUS_INGEST_BIND", ingest},
                                       {"MWP_BUS_PUBLISH_BIND", publish},
                                       {"MWP_PARTITION_COUNT", std::to_string(partitionCount)},
                                       {"MWP_BUS_ADMIN_PORT", "0"}});
}

}  // namespace mwp::test
