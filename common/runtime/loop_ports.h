// The three ports of the service loop (service_loop.h): where its events come from, where its
// batches are committed, where the events they derive are sent. The runtime's adapters are over
// Redis and the bus (loop_adapters.h); the loop's unit tests use fakes that delay, reorder and lose
// what a real Redis and bus do only rarely.
//
// Each port is called once per batch or per round, never once per key: the one exception,
// CommittedReads::get, is a round trip of its own anyway.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "batch_state.h"
#include "bus_client.h"
#include "event_log.h"

namespace mwp {

// Stored bookkeeping that the loop cannot have written (a cursor that is not a number). Unlike a
// lost connection it does not heal by retrying: the process stops, so that an operator looks.
struct CorruptState : std::runtime_error {
  CorruptState(std::string key, const std::string& problem)
      : std::runtime_error(key + ": " + problem), key(std::move(key)) {}
  std::string key;  // the Redis key: the loop's own bookkeeping, never a resident's
};

// The events of a set of partitions, each exactly once and in sequence order within its
// partition, after the cursors last given to resume(). Not thread-safe.
class EventSource {
 public:
  virtual ~EventSource() = default;
  // Follows from after `cursors` (per partition, the last sequence applied; 0: none), forgetting
  // what it had read before: at a start, and after every fault.
  virtual void resume(std::map<uint32_t, uint64_t> cursors) = 0;
  // Up to `maxEvents` events; waits up to `timeout` when none is ready.
  virtual std::vector<LoggedEvent> poll(std::chrono::milliseconds timeout, size_t maxEvents) = 0;
  // Whether poll() would return events at once.
  virtual bool ready() = 0;
  // Per partition, the last sequence poll() returned.
  virtual const std::map<uint32_t, uint64_t>& cursors() const = 0;
  // The highest sequence the log is known to hold in a partition: the lag is this − cursor.
  virtual uint64_t announced(uint32_t partition) const = 0;
};

// The tally of the events of the log one commit takes, by outcome.
struct Tally {
  int64_t applied = 0;
  int64_t refused = 0;  // a verdict with a reason
  int64_t ignored = 0;  // a kind the service does not own
};

// What one transaction writes: a batch's state, its verdicts, its derived events (into the
// outbox, sent once it is committed) and the cursors of the events it took. The tally is committed
// with the cursors, so the durable tally counts each event of the log once.
struct BatchCommit {
  explicit BatchCommit(CommittedReads& committed) : state(committed) {}
  BatchState state;
  std::vector<std::pair<std::string, std::string>> verdicts;  // eventId → storedVerdict()
  std::vector<std::string> outbox;
  std::map<uint32_t, uint64_t> cursors;
  Tally tally;
};

// The service's committed state. A batch's reads ahead and its transaction are each sent without
// waiting and collected later, so that the loop applies a batch meanwhile: send…() returns at
// once, collect/confirm waits. Every call throws RedisUnavailable (or another std::runtime_error)
// for a fault of the store; a commit whose confirmation is lost may have landed or not.
// Not thread-safe.
class CommitStore : public CommittedReads {
 public:
  // Per partition, the last sequence committed (0: none). Throws CorruptState when a cursor is not
  // a number.
  virtual std::map<uint32_t, uint64_t> cursors(const std::vector<uint32_t>& partitions) = 0;

  // Reads `keys` ahead; their values come from collectReads(), in the same order. One at a time.
  virtual void sendReads(const std::vector<std::string>& keys) = 0;
  virtual std::vector<std::optional<std::string>> collectReads() = 0;

  // A transaction, all of it or nothing. `commit` need not outlive the call.
  virtual void sendCommit(const BatchCommit& commit) = 0;
  // Waits for the oldest commit sent and not yet confirmed; returns once it has landed.
  virtual void confirmCommit() = 0;

  // After a fault: forgets the reads sent, and waits out every commit sent (or drops its
  // connection), so that none can land after the cursors are read again. Never throws.
  virtual void abandon() = 0;

  // Up to `limit` timers of `partition` due at `now` (Unix seconds).
  virtual std::vector<std::string> dueTimers(uint32_t partition, int64_t now, size_t limit) = 0;
  // The derived events committed and not yet sent, oldest first.
  virtual std::vector<std::string> outbox() = 0;
  // Takes the oldest `count` derived events out of the outbox: they are answered by the bus.
  virtual void trimOutbox(size_t count) = 0;
};

// Sends derived events to the bus, which de-duplicates them by eventId: re-sending is safe.
// Not thread-safe.
class DerivedSender {
 public:
  virtual ~DerivedSender() = default;
  // One answer per frame, in their order. Throws BusUnreachable when the bus does not answer.
  virtual std::vector<IngestResult> send(const std::vector<std::string>& frames) = 0;
};

// The ports a loop owns.
struct LoopPorts {
  std::unique_ptr<EventSource> events;
  std::unique_ptr<CommitStore> store;
  std::unique_ptr<DerivedSender> sender;
};

}  // namespace mwp
