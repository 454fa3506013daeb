#include "redis_group.h"

#include <filesystem>
#include <fstream>
#include <thread>

namespace mwp::local {
namespace {

using Clock = std::chrono::steady_clock;

RedisEndpoint at(int port) {
  RedisEndpoint endpoint;
  endpoint.port = port;
  return endpoint;
}

// Calls `check` every 100 ms until it is true; throws naming `what` after `limit`.
template <typename Check>
void waitUntil(const std::string& what, Check check,
               std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = Clock::now() + limit;
  while (true) {
    try {
      if (check()) return;
    } catch (const RedisUnavailable&) {
    }
    if (Clock::now() > deadline) throw std::runtime_error("waited in vain: " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

RedisGroup::RedisGroup(std::string name, std::string dir, std::string redisServer)
    : name_(std::move(name)),
      dir_(std::filesystem::absolute(dir).string()),  // Redis opens its log after --dir's chdir
      redisServer_(std::move(redisServer)),
      ports_{freeTcpPort(), freeTcpPort()} {
  servers_[0] = serverProcess(0, 0);
  servers_[1] = serverProcess(1, ports_[0]);
}

std::unique_ptr<ChildProcess> RedisGroup::serverProcess(size_t which, int replicaOf) const {
  std::string folder = dir_ + "/" + name_ + "-" + std::to_string(ports_[which]);
  std::filesystem::create_directories(folder);
  // The append-only file as every Redis of mwp keeps it (ops/redis/durability.conf). A primary
  // stops taking writes when its replica is more than 10 s behind or gone, so nothing it takes
  // is on one machine for long; both have it, since either may be primary.
  std::vector<std::string> args{"--include",
                                MWP_REDIS_DURABILITY_CONF,
                                "--port",
                                std::to_string(ports_[which]),
                                "--bind",
                                "127.0.0.1",
                                "--dir",
                                folder,
                                "--save",
                                "",
                                "--logfile",
                                folder + "/redis.log",
                                "--min-replicas-to-write",
                                "1",
                                "--min-replicas-max-lag",
                                "10",
                                "--loadmodule",
                                MWP_REDIS_LOG_MODULE};
  if (replicaOf != 0) {
    args.insert(args.end(), {"--replicaof", "127.0.0.1", std::to_string(replicaOf)});
  }
  return std::make_unique<ChildProcess>(redisServer_, std::map<std::string, std::string>{}, args);
}

void RedisGroup::start() {
  servers_[0]->start();
  servers_[1]->start();
  waitUntil(name_ + "'s replica in sync", [&] {
    Redis replica(at(ports_[1]), std::chrono::seconds(1));
    return replica.command({"INFO", "replication"}).str.find("master_link_status:up") !=
           std::string::npos;
  });
}

size_t RedisGroup::primary() const {
  for (size_t which = 0; which < 2; ++which) {
    try {
      Redis server(at(ports_[which]), std::chrono::milliseconds(300));
      auto role = server.command({"ROLE"});
      if (!role.elements.empty() && role.elements[0].str == "master") return which;
    } catch (const RedisUnavailable&) {
    }
  }
  throw RedisUnavailable(name_ + " has no primary now");
}

size_t RedisGroup::killPrimary() {
  size_t killed = primary();
  servers_[killed]->kill9();
  return killed;
}

void RedisGroup::restartAsReplica(size_t killed) {
  size_t other = 1 - killed;
  waitUntil(name_ + "'s replica promoted", [&] {
    Redis promoted(at(ports_[other]), std::chrono::seconds(1));
    return promoted.command({"ROLE"}).elements.at(0).str == "master";
  });
  servers_[killed] = serverProcess(killed, ports_[other]);
  servers_[killed]->start();
}

void RedisGroup::stopAll() {
  for (auto& s : servers_) s->terminateWithin(5);
}

Sentinels::Sentinels(const std::vector<RedisGroup*>& groups, std::string dir,
                     std::string redisServer, int downAfterMs)
    : groups_(groups) {
  for (int i = 0; i < 3; ++i) {
    int port = freeTcpPort();
    std::string folder =
        std::filesystem::absolute(dir).string() + "/sentinel-" + std::to_string(port);
    std::filesystem::create_directories(folder);
    std::ofstream conf(folder + "/sentinel.conf");
    conf << "port " << port << "\nbind 127.0.0.1\ndir " << folder << "\n";
    for (const auto* g : groups_) {
      // A quorum of 2 of the 3 agree that a primary is down before one of them promotes.
      conf << "sentinel monitor " << g->name() << " 127.0.0.1 " << g->firstPort() << " 2\n"
           << "sentinel down-after-milliseconds " << g->name() << " " << downAfterMs << "\n"
           << "sentinel failover-timeout " << g->name() << " 10000\n";
    }
    processes_.push_back(std::make_unique<ChildProcess>(
        redisServer, std::map<std::string, std::string>{},
        std::vector<std::string>{folder + "/sentinel.conf", "--sentinel", "--logfile",
                                 folder + "/sentinel.log"}));
    addresses_.push_back({"127.0.0.1", port});
  }
}

void Sentinels::start() {
  for (auto& p : processes_) p->start();
  waitUntil("the Sentinels to know every replica and each other", [&] {
    for (const auto& s : addresses_) {
      Redis sentinel(at(s.port), std::chrono::seconds(1));
      for (const auto* g : groups_) {
        if (sentinel.command({"SENTINEL", "replicas", g->name()}).elements.size() != 1 ||
            sentinel.command({"SENTINEL", "sentinels", g->name()}).elements.size() != 2)
          return false;
      }
    }
    return true;
  });
}

RedisEndpoint Sentinels::endpoint(const std::string& group) const {
  RedisEndpoint endpoint;
  endpoint.sentinels = addresses_;
  endpoint.primaryName = group;
  return endpoint;
}

std::string Sentinels::addresses() const {
  std::string text;
  for (const auto& a : addresses_)
    text += (text.empty() ? "" : ",") + a.host + ":" + std::to_string(a.port);
  return text;
}

void Sentinels::stopAll() {
  for (auto& p : processes_) p->terminateWithin(5);
}

}  // namespace mwp::local
