// The service loop's ports over Redis and the bus (loop_ports.h): what a service binary runs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "bus_client.h"
#include "curve.h"
#include "loop_ports.h"
#include "redis.h"

namespace mwp {

// A service's instance keeps its outbox under the lowest partition it owns (state_keys.h).
std::string instanceOutboxKey(const std::string& service, const std::vector<uint32_t>& partitions);

// The committed state in Redis, under the service's namespace. Three connections: `redis`
// (shared, e.g. with the follower) for the reads one by one, the cursors, the timers and the
// outbox; two of its own to the same Redis, one for the transactions, one for the reads ahead, so
// that each can be on its way while the other is.
class RedisCommitStore : public CommitStore {
 public:
  // `redis` must outlive the store.
  RedisCommitStore(Redis& redis, std::string service, const std::vector<uint32_t>& partitions);

  std::optional<std::string> get(const std::string& key) override;
  std::map<uint32_t, uint64_t> cursors(const std::vector<uint32_t>& partitions) override;
  void sendReads(const std::vector<std::string>& keys) override;
  std::vector<std::optional<std::string>> collectReads() override;
  void sendCommit(const BatchCommit& commit) override;
  void confirmCommit() override;
  void abandon() override;
  std::vector<std::string> dueTimers(uint32_t partition, int64_t now, size_t limit) override;
  std::vector<std::string> outbox() override;
  void trimOutbox(size_t count) override;

 private:
  std::string stateKey(const std::string& key) const;
  std::vector<RedisCommand> transaction(const BatchCommit& commit) const;

  Redis& redis_;
  Redis commits_;    // transactions only: one may be on its way while a batch is applied
  Redis readAhead_;  // the next batch's reads, sent before the batch before it is applied
  std::string service_;
  std::string outboxKey_;
  std::string tallyKey_;
};

// The events of the owned partitions from the bus's fan-out (PUB), and from the Redis log for
// what it dropped or what came before (EventFollower).
class BusEventSource : public EventSource {
 public:
  // `context` and `redis` must outlive the source. `curve`: this service's key and the bus's,
  // when the bus speaks CURVE.
  BusEventSource(zmq::context_t& context, std::string publishEndpoint, Redis& redis,
                 std::optional<CurveClient> curve);

  void resume(std::map<uint32_t, uint64_t> cursors) override;
  std::vector<LoggedEvent> poll(std::chrono::milliseconds timeout, size_t maxEvents) override;
  bool ready() override { return follower().ready(); }
  const std::map<uint32_t, uint64_t>& cursors() const override { return follower().cursors(); }
  uint64_t announced(uint32_t partition) const override { return follower().announced(partition); }

 private:
  EventFollower& follower() const;

  zmq::context_t& context_;
  std::string publishEndpoint_;
  Redis& redis_;
  std::optional<CurveClient> curve_;
  std::unique_ptr<EventFollower> follower_;  // made anew by each resume()
};

// Derived events through the bus's ingest.
class BusSender : public DerivedSender {
 public:
  explicit BusSender(Publisher& publisher) : publisher_(publisher) {}  // must outlive the sender
  std::vector<IngestResult> send(const std::vector<std::string>& frames) override {
    return publisher_.publish(frames);
  }

 private:
  Publisher& publisher_;
};

// The ports of a service's loop over Redis and the bus: events from the fan-out at
// `publishEndpoint` (what it missed read from the bus's log in `log`), state in `state` under
// `service`, derived events through `publisher`. `log` and `state` may be one connection (one Redis
// for everything) or two Redis servers: the state, its cursors and the outbox commit together in
// `state`, so a commit lost with its Redis is re-applied from the log.
LoopPorts redisAndBusPorts(zmq::context_t& context, const std::string& publishEndpoint,
                           const std::optional<CurveClient>& curve, Redis& log, Redis& state,
                           Publisher& publisher, const std::string& service,
                           const std::vector<uint32_t>& partitions);

}  // namespace mwp
