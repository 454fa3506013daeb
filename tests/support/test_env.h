// What the tests share: the Redis that ops/test.sh started, free ports on 127.0.0.1, the fixture
// events (one valid event of every kind), and a bus running in a thread or as a process.
#pragma once

#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "bus.h"
#include "bus_client.h"
#include "catalogue.h"
#include "child_process.h"
#include "fixtures.h"
#include "redis.h"

namespace mwp::test {

// The Redis of the test run (MWP_TEST_REDIS_PORT), as its admin user: the tests' own checks and
// clean-ups. Fails the test if it is not set: run the tests through ops/test.sh, which starts one
// with the ACL users of ops/redis/users.acl.in and puts their secrets in MWP_TEST_REDIS_SECRETS
// (unset: a Redis without users, every login empty).
RedisEndpoint testRedis();
// The same Redis as one part's user ("bus", "gateway", "employment"…), with only its rights.
RedisEndpoint testRedisAs(const std::string& user);
// `endpoint` logged in as `user` of the test run's secrets (as testRedisAs, at another address).
RedisEndpoint loggedInAs(RedisEndpoint endpoint, const std::string& user);
// The folder of the users' secrets (MWP_TEST_REDIS_SECRETS), "" when the Redis has no users.
std::string redisSecrets();
// A password of that folder: a user's ("bus"…), or "sentinels" (the Sentinels' requirepass).
std::string redisPassword(const std::string& name);
// The file that holds it, for a process given MWP_…_PASSWORD_FILE.
std::string passwordFile(const std::string& name);
// Empties the test Redis (FLUSHALL): each integration test starts from nothing.
void flushRedis();

// Every frame was answered ACK or DUPLICATE, and the log at `redis` holds each of their events
// once, `events` in all, without holes in any partition's sequence.
void expectEachStoredOnce(const RedisEndpoint& redis, const std::vector<IngestResult>& results,
                          int events, uint32_t partitions);

// "tcp://127.0.0.1:<a port free right now>"
std::string freeEndpoint();

// What a shell command printed on stdout, line by line without the newlines, and its exit code:
// a tool run as a clerk runs it.
struct CommandLines {
  int exitCode = 0;
  std::vector<std::string> lines;
};
CommandLines outputLines(const std::string& command);

// The samples of a counter or gauge family in an in-process registry (a BusThread's), by the value
// of their first label; "" for a family without labels.
std::map<std::string, double> samples(prometheus::Registry& registry, const std::string& family);

// A redis-server of the test's own (beside the suite's): a free port, its data in a folder of its
// own, the append-only file as ops/redis/durability.conf keeps it, no snapshots, the same ACL users
// as the suite's, and as a replica (--replicaof in `args`, or after a failover) it logs in to its
// primary as the replica user. Started and answering PING when the constructor returns; killed, and
// its folder removed, when destroyed. endpoint() is its admin user. With the log's module
// (mwp_log.so, MWP.STORE_BATCH) loaded, as ops/lib.sh's start_redis loads it, unless told not to.
enum class LogModule { kLoaded, kNotLoaded };
class OwnRedis {
 public:
  explicit OwnRedis(std::vector<std::string> args = {}, LogModule module = LogModule::kLoaded);
  ~OwnRedis();
  OwnRedis(const OwnRedis&) = delete;
  OwnRedis& operator=(const OwnRedis&) = delete;

  int port() const { return port_; }
  // Its --dir: the append-only file is in appendonlydir/.
  const std::string& dir() const { return dir_; }
  RedisEndpoint endpoint() const;
  // kill9(), pause(), resume(); start() again after kill9() reloads the append-only file.
  mwp::ChildProcess& process() { return *process_; }

 private:
  int port_;
  std::string dir_;
  std::unique_ptr<mwp::ChildProcess> process_;
};

// Calls `attempt` until it no longer throws RedisUnavailable; rethrows after `wait`.
template <typename F>
auto untilAvailable(F attempt, std::chrono::seconds wait = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    try {
      return attempt();
    } catch (const RedisUnavailable&) {
      if (std::chrono::steady_clock::now() > deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

// A bus in a thread of the test process, on free endpoints.
class BusThread {
 public:
  explicit BusThread(uint32_t partitionCount = 4);
  // On another Redis than the test's, with options set by `configure`.
  BusThread(uint32_t partitionCount, RedisEndpoint redis,
            const std::function<void(bus::BusOptions&)>& configure);
  ~BusThread();
  bus::Bus& bus() { return *bus_; }
  std::string ingest;
  std::string publish;
  uint32_t partitionCount;
  prometheus::Registry registry;

 private:
  zmq::context_t context_;
  Redis redis_;
  std::unique_ptr<bus::Bus> bus_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// `env` with the test Redis's port and every part's login (MWP_<PART>_REDIS_USER and
// _PASSWORD_FILE: each part its own user, tools the operator); what `env` sets wins.
std::map<std::string, std::string> withTestRedis(std::map<std::string, std::string> env);

// An mwp binary as a child process (for kill -9 and restarts), with the test Redis and the given
// environment on top of this process's.
class ChildProcess : public mwp::ChildProcess {
 public:
  // `stderrFile` ("" keeps the test's) is appended to: where a test reads the log lines.
  ChildProcess(std::string binary, std::map<std::string, std::string> env,
               std::string stderrFile = "");
};

// The mwp-bus binary on the given endpoints.
ChildProcess busProcess(const std::string& ingest, const std::string& publish,
                        uint32_t partitionCount = 4);

}  // namespace mwp::test
