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

namespace prometheus {
class Registry;
}

namespace mwp {

// Unix seconds now. Injected so rules and tests control time.
using Clock = std::function<int64_t()>;
int64_t systemClock();

// A service's state as its rules see it while applying one event: reads see earlier writes of
// the same batch. Keys are the service's own; the loop puts them under the service's namespace.
class StateTx {
 public:
  virtual ~StateTx() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void put(const std::string& key, std::string value) = 0;
  virtual void erase(const std::string& key) = 0;
  // Adds to a counter in a hash (indicators). Write-only: read such counters from Redis directly.
  virtual void add(const std::string& hash, const std::string& field, int64_t delta) = 0;
  // Puts `member` into a sorted set under `score`, or takes it out (time-ordered indexes, e.g.
  // the registry by last update). Write-only, like add().
  virtual void index(const std::string& set, const std::string& member, double score) = 0;
  virtual void unindex(const std::string& set, const std::string& member) = 0;
  // Asks for EventRules::onTimer(member) once the clock reaches `fireAt` (Unix seconds); setting
  // it again moves it. Timers live with the partition of the event that sets them, so the
  // instance that owns the subject is the one that fires them.
  virtual void setTimer(const std::string& member, int64_t fireAt) = 0;
  virtual void clearTimer(const std::string& member) = 0;
};

// The sorted set (of a service's state) that holds a partition's timers.
std::string timerSet(uint32_t partition);

// The Redis key of a service's own state key: "mwp:svc:<service>:<key>".
std::string serviceKey(const std::string& service, const std::string& key);

// A service's bookkeeping beside its state, for readers outside the service (queries, the chaos
// run): its verdict on an event, its cursor in a partition, the derived events it has yet to
// send, and the durable tally of the events it has taken, by outcome.
namespace keys {
// The Redis channel on which every commit announces the state records it wrote or deleted: their
// keys, one per line. The gateway drops what it kept of those records (gateway/section_cache.h).
inline constexpr const char* kStateChanges = "mwp:state-changes";
std::string verdict(const std::string& service, const std::string& eventId);
std::string cursor(const std::string& service, uint32_t partition);
// An instance's outbox, named by the lowest partition it owns: instances of one service own
// disjoint partitions, and each sends and trims only what it committed itself.
std::string outbox(const std::string& service, uint32_t firstPartition);
std::string tally(const std::string& service);
}  // namespace keys

struct Verdict {
  bool applied = true;
  std::string reason;  // why it was refused; empty when applied
};

struct Applied {
  Verdict verdict;
  std::vector<std::string> derived;  // envelopes (flat bytes) to send through the bus
};

// A refusal: the event is recorded with the reason and changes nothing.
inline Applied refuse(std::string reason) {
  return Applied{Verdict{false, std::move(reason)}, {}};
}

// Whether a fact's own key (a fair's number, a certificate's) was seen before under another
// eventId; remembers it if not. Department systems re-send facts under new ids: they count once.
bool seenBefore(StateTx& state, const std::string& naturalKey, msg::Envelope::Reader event);

// A derived event in reply to `cause`: from mwpService, same area, worker and time, with an
// eventId derived from the cause's (`prefix:<cause id>`, or a digest of it when that would pass
// 64 characters), so a re-application after a crash makes the same event and the bus keeps one.
// `fill` sets the payload.
std::string deriveEvent(msg::Envelope::Reader cause, const std::string& prefix,
                        const std::function<void(msg::Envelope::Builder)>& fill);

// The same for an event with no single cause (a deadline passing). Every field must be a pure
// function of the state, so that the event made again after a crash is the same event.
struct DerivedHeader {
  std::string eventId;  // "prefix:…"; past 64 characters, the part after the prefix is hashed
  std::string occurredAt;
  std::string area;
  std::string workerId;
  std::string causedBy;
};
std::string makeDerivedEvent(const DerivedHeader& header,
                             const std::function<void(msg::Envelope::Builder)>& fill);

// A service's rules: a pure function of (state, event, clock). Return nullopt for kinds the
// service does not own. Must not throw for bad content: refuse it with a verdict.
class EventRules {
 public:
  virtual ~EventRules() = default;
  virtual std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                                       int64_t nowSeconds) = 0;
  // A timer the rules set has come due (it is already cleared). The verdict is ignored.
  virtual Applied onTimer(const std::string& member, StateTx& state, int64_t nowSeconds) {
    (void)member;
    (void)state;
    (void)nowSeconds;
    return {};
  }
  // State keys apply() will probably read for `event`: the loop reads them for a whole batch in
  // one round trip instead of one round trip per event. Only a hint — a key not named is read
  // when asked for. By default the worker's record, "worker:<workerId>", which most rules keep.
  virtual void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const {
    if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
      keys.push_back(std::string("worker:") + event.getWorkerId().cStr());
    }
  }
};

// StateTx over a plain map: for unit tests of the rules, and as the loop's overlay.
class MemoryState : public StateTx {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override;
  void erase(const std::string& key) override;
  void add(const std::string& hash, const std::string& field, int64_t delta) override;
  void index(const std::string& set, const std::string& member, double score) override;
  void unindex(const std::string& set, const std::string& member) override;
  void setTimer(const std::string& member, int64_t fireAt) override;
  void clearTimer(const std::string& member) override;

  std::map<std::string, std::optional<std::string>> values;  // nullopt: erased
  std::map<std::string, int64_t> timers;                     // member → fire at
  std::map<std::string, std::map<std::string, int64_t>> counters;
  std::map<std::string, std::map<std::string, std::optional<double>>> indexes;  // nullopt: removed
};

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
