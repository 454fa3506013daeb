// The loop every service shares: follow the owned partitions, apply each event with the
// service's rules, and commit the new state, the verdict, the derived events (into an outbox) and
// the cursor in one transaction. Then send the outbox through the bus. A crash anywhere repeats at
// most the uncommitted batches, whose derived events carry ids derived from their cause, so the
// bus drops the second copy.
//
// The loop is over three ports (loop_ports.h): an event source, a transactional store and a
// sender of derived events; loop_adapters.h has them over Redis and the bus.
//
// While events keep coming (a catch-up, a busy spell), three stages overlap: a batch is applied in
// memory while the store executes the transaction of the batch before and reads ahead the keys of
// the batch after. A batch's reads may therefore predate the last two commits; those commits'
// writes are kept in memory and read first until the store has shown them (batch_state.h).
//
// Errors in tiers (run()): a fault of Redis or the bus is logged, counted and retried from the last
// commit; a defect — a std::logic_error, or stored bookkeeping the loop cannot have written
// (CorruptState) — is logged and stops the process, for its supervisor to restart it. A defect of
// the rules on one event is neither: the event is refused and logged (apply()).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus_client.h"
#include "log.h"
#include "loop_ports.h"
#include "mwp/messages/events.capnp.h"
#include "redis.h"
#include "rules.h"
#include "state_keys.h"

namespace prometheus {
class Registry;
}

namespace mwp {

// A verdict as it is kept under its eventId and answered to a verdict query: "applied", or a
// JSON object {"status":"refused","rule":…,"reason":…,"reasonZh":…} (GET /v1/events/{id}).
std::string storedVerdict(const Verdict& v);

struct ServiceLoopOptions {
  std::string service;               // "employment", …: names keys, metrics and logs
  std::vector<uint32_t> partitions;  // the partitions this instance owns
  size_t maxBatch = 256;             // events committed per transaction
  std::chrono::milliseconds idlePoll{200};
  std::chrono::milliseconds timerInterval{1000};  // how often due timers are looked for
};

class ServiceLoop {
 public:
  // The loop owns its ports; `registry` receives the loop's metrics and must outlive it.
  ServiceLoop(ServiceLoopOptions options, LoopPorts ports, EventRules& rules, Clock clock,
              prometheus::Registry& registry);
  ~ServiceLoop();

  // One round: wait for events, apply a batch, commit, send the outbox. Returns events applied.
  // When more events are ready at once, the commit is left in flight: the next round applies
  // its batch meanwhile, then confirms it. A round after which nothing is ready leaves none.
  // Throws what a port throws; after a throw, call abandon() before the next round.
  size_t runOnce();
  // After a throw of runOnce(): forgets the work in flight; the next round resumes from the
  // cursors the store holds.
  void abandon();
  // Rounds until `stop`, then 0. A fault of Redis or the bus is logged, counted and retried. A
  // defect (a std::logic_error, or CorruptState) is logged as an error and ends the rounds with
  // kDefectExitCode: the process exits with it, and its supervisor restarts it.
  [[nodiscard]] int run(const std::atomic<bool>& stop);
  static constexpr int kDefectExitCode = 70;  // EX_SOFTWARE (sysexits.h)

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
  // A batch from the event source, its reads sent ahead (nullptr when there are no events).
  std::unique_ptr<Batch> take(std::vector<LoggedEvent> events);
  void receiveReads(Batch& batch);
  // Applies a batch in memory, into its commit.
  void apply(Batch& batch);
  size_t fireTimers();
  Applied cannotApply(const LoggedEvent& logged, const std::string& error);
  // Sends a commit's transaction without waiting: it is then in flight.
  void startCommit(std::unique_ptr<Commit> commit);
  // Waits for the commit in flight, if any; once the store confirms it, counts it and queues its
  // derived events to be sent.
  void finishCommit();
  // Reads what the outbox holds in the store (at a start, or after a fault), and sends it.
  void sendOutbox();
  // Sends the derived events of the confirmed commits through the bus, then empties the outbox.
  void sendDerived();

  ServiceLoopOptions options_;
  EventSource& events_;
  CommitStore& store_;
  DerivedSender& sender_;
  LoopPorts ports_;  // owns the three above
  EventRules& rules_;
  Clock clock_;
  Logger log_;
  std::unique_ptr<Metrics> metrics_;
  bool following_ = false;            // the event source resumed from the store's cursors
  std::unique_ptr<Batch> upcoming_;   // taken from the source, its reads on their way
  std::unique_ptr<Commit> inFlight_;  // sent to the store, not yet confirmed
  // Commits confirmed after upcoming_'s reads were sent: their writes are read first.
  std::deque<std::unique_ptr<Commit>> confirmed_;
  uint64_t confirmations_ = 0;  // commits confirmed so far
  // What the outbox holds in the store: the derived events of confirmed commits, not yet sent.
  // Unknown (nullopt) at a start and after a fault, until the outbox is read.
  std::optional<std::vector<std::string>> outbox_;
  std::atomic<bool> healthy_{false};
  std::chrono::steady_clock::time_point nextTimerCheck_{};
};

}  // namespace mwp
