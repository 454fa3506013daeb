// The high-availability layout of `ops/run.sh --ha`, for a local mwp: Redis groups — each a
// primary and its replica, both append-only with min-replicas-to-write 1, as production runs them
// — and three Sentinels that watch every group and promote a replica when its primary is gone.
// For the chaos run's failovers: which server is primary now, kill -9 of it, SIGSTOP of it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "redis.h"

namespace mwp::local {

class RedisGroup {
 public:
  // `name`: what the Sentinels call it (MWP_…_REDIS_PRIMARY); data and logs under `dir`.
  RedisGroup(std::string name, std::string dir, std::string redisServer);

  // Both servers, the second a replica of the first; returns when the replica is in sync.
  void start();
  const std::string& name() const { return name_; }
  int firstPort() const { return ports_[0]; }
  // Which of the two is primary, by asking each (ROLE): a server that was primary and is stopped
  // does not answer, so this is the one the clients can write to.
  size_t primary() const;
  ChildProcess& server(size_t which) { return *servers_[which]; }
  // kill -9 of the primary; returns which it was.
  size_t killPrimary();
  // Once the other has been promoted (by the Sentinels), `killed` comes back from its append-only
  // file as the new primary's replica, as an operator restarts it.
  void restartAsReplica(size_t killed);
  void stopAll();

 private:
  std::unique_ptr<ChildProcess> serverProcess(size_t which, int replicaOf) const;

  std::string name_, dir_, redisServer_;
  int ports_[2];
  std::unique_ptr<ChildProcess> servers_[2];
};

class Sentinels {
 public:
  // Three Sentinels watching `groups` (started already), a primary down after `downAfterMs`.
  Sentinels(const std::vector<RedisGroup*>& groups, std::string dir, std::string redisServer,
            int downAfterMs);
  // Returns when every Sentinel knows every group's replica and the two other Sentinels.
  void start();
  // How a client finds the group's primary.
  RedisEndpoint endpoint(const std::string& group) const;
  // "host:port,…", for MWP_…_REDIS_SENTINELS.
  std::string addresses() const;
  void stopAll();

 private:
  std::vector<RedisGroup*> groups_;
  std::vector<RedisAddress> addresses_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

}  // namespace mwp::local
