// The loop every service shares: follow the owned partitions, apply each event with the
// service's rules, and commit the new state, the verdict, the derived events (into an outbox) and
// the cursor in one Redis transaction. Then send the outbox through the bus. A crash anywhere
// repeats at most the uncommitted batches, whose derived events carry ids derived from their
// cause, so the bus drops the second copy.
//
// While events keep coming (a catch-up, a busy spell), three stages overlap on three connections:
// a batch is applied in memory while Redis executes the transaction of the batch before and
// reads ahead the keys of the batch after. A batch's reads may therefore predate the last two
// commits; those commits' writes are kept in memory and read first until Redis has shown them.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus_client.h"
#include "log.h"
#include "mwp/messages/events.capnp.h"
#include "redis.h"
#include "rules.h"
#include "state_keys.h"

namespace prometheus {
class Registry;
}

namespace mwp {

struct ServiceLoopOptions {
  std::string service;               // "employment", …: names keys, metrics and logs
  std::vector<uint32_t> partitions;  // the partitions this instance owns
  std::string publishEndpoint;       // the bus's PUB socket
  std::optional<CurveClient> curve;  // this service's key and the bus's, when the bus speaks CURVE
  size_t maxBatch = 256;             // events committed per transaction
  std::chrono::milliseconds idlePoll{200};
  std::chrono::milliseconds timerInterval{1000};  // how often due timers are looked for
};

class ServiceLoop {
 public:
  // `publisher` sends derived events; `registry` receives the loop's metrics.
  ServiceLoop(ServiceLoopOptions options, zmq::context_t& context, Redis& redis,
              Publisher& publisher, EventRules& rules, Clock clock, prometheus::Registry& registry);
  ~ServiceLoop();

  // One round: wait for events, apply a batch, commit, send the outbox. Returns events applied.
  // When more events are ready at once, the commit is left in flight: the next round applies
  // its batch meanwhile, then confirms it. A round after which nothing is ready leaves none.
  size_t runOnce();
  // Rounds until `stop`; a fault of Redis or the bus is logged, counted and retried.
  void run(const std::atomic<bool>& stop);

  // Whether the last round reached Redis and the bus (for /readyz). Thread-safe.
  bool healthy() const { return healthy_; }

  // Key names, for readers of a service's state (queries, tests).
  std::string stateKey(const std::string& key) const;
  std::string verdictKey(const std::string& eventId) const;
  std::string cursorKey(uint32_t partition) const;
  std::string outboxKey() const;
  std::string tallyKey() const;  // mwp:tally:<service>: events taken, by outcome

 private:
  struct Metrics;
  struct Commit;
  struct Batch;
  std::map<uint32_t, uint64_t> loadCursors();
  // A batch from the follower, its reads sent on readAhead_ (nullptr when there are no events).
  std::unique_ptr<Batch> take(std::vector<LoggedEvent> events);
  void receiveReads(Batch& batch);
  // Applies a batch in memory, into its commit.
  void apply(Batch& batch);
  size_t fireTimers();
  Applied cannotApply(const LoggedEvent& logged, const std::string& error);
  std::vector<RedisCommand> transaction(const Commit& commit) const;
  // Sends a commit's transaction without waiting: it is then in flight.
  void startCommit(std::unique_ptr<Commit> commit);
  // Waits for the commit in flight, if any; once Redis confirms it, counts it and queues its
  // derived events to be sent.
  void finishCommit();
  // After a fault: forgets the batch read ahead and waits out the commit in flight (or drops its
  // connection), so it cannot land after the loop has read the cursors it resumes from.
  void abandonWork();
  // Reads what the outbox holds in Redis (at a start, or after a fault), and sends it.
  void sendOutbox();
  // Sends the derived events of the confirmed commits through the bus, then empties the outbox.
  void sendDerived();

  ServiceLoopOptions options_;
  zmq::context_t& context_;
  Redis& redis_;     // the follower's reads, the rules' reads past the read-ahead, the outbox
  Redis commits_;    // transactions only: one may be in flight while a batch is applied
  Redis readAhead_;  // the next batch's reads, sent before the batch before it is applied
  Publisher& publisher_;
  EventRules& rules_;
  Clock clock_;
  Logger log_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<EventFollower> follower_;
  std::unique_ptr<Batch> upcoming_;   // taken from the follower, its reads on their way
  std::unique_ptr<Commit> inFlight_;  // sent on commits_, not yet confirmed
  // Commits confirmed after upcoming_'s reads were sent: their writes are read first.
  std::deque<std::unique_ptr<Commit>> confirmed_;
  uint64_t confirmations_ = 0;  // commits confirmed so far
  // What the outbox holds in Redis: the derived events of confirmed commits, not yet sent.
  // Unknown (nullopt) at a start and after a fault, until the outbox is read.
  std::optional<std::vector<std::string>> outbox_;
  std::atomic<bool> healthy_{false};
  std::chrono::steady_clock::time_point nextTimerCheck_{};
};

}  // namespace mwp
