#include "service_loop.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "frames.h"
#include "json_writer.h"
#include "loop_adapters.h"
#include "metrics.h"

namespace mwp {

// The loop's metrics, each made once with the loop: nothing in a round builds a metric, a label
// set or a bucket list.
struct ServiceLoop::Metrics {
  struct PartitionGauges {
    prometheus::Gauge& cursor;
    prometheus::Gauge& lag;
  };

  Metrics(prometheus::Registry& registry, const std::string& service,
          const std::vector<uint32_t>& partitions)
      : events(prometheus::BuildCounter()
                   .Name("mwp_service_events_total")
                   .Help("Events a service has seen, by outcome: applied, refused (a verdict with "
                         "a reason), or ignored (a kind the service does not own)")
                   .Register(registry)),
        applied(events.Add({{"service", service}, {"outcome", "applied"}})),
        refused(events.Add({{"service", service}, {"outcome", "refused"}})),
        ignored(events.Add({{"service", service}, {"outcome", "ignored"}})),
        batchSeconds(prometheus::BuildHistogram()
                         .Name("mwp_service_batch_seconds")
                         .Help("Time to apply, commit and send the outbox of one batch")
                         .Register(registry)
                         .Add({{"service", service}}, latencyBuckets())),
        readsOneByOne(
            prometheus::BuildCounter()
                .Name("mwp_service_reads_one_by_one_total")
                .Help("State reads not read ahead with their batch (EventRules::keysToRead names "
                      "them) or made by timers: each waits for Redis on its own, and while "
                      "catching up, for the transaction Redis is executing")
                .Register(registry)
                .Add({{"service", service}})),
        faults(prometheus::BuildCounter()
                   .Name("mwp_service_faults_total")
                   .Help("Rounds abandoned for a fault of Redis or the bus, then retried")
                   .Register(registry)
                   .Add({{"service", service}})) {
    auto& cursor =
        prometheus::BuildGauge()
            .Name("mwp_service_cursor")
            .Help("Last sequence applied per partition; lag = mwp_bus_partition_sequence − this")
            .Register(registry);
    auto& lag =
        prometheus::BuildGauge()
            .Name("mwp_service_lag_events")
            .Help("Events the bus has announced per partition that the service has not applied")
            .Register(registry);
    for (auto partition : partitions) {
      prometheus::Labels labels{{"service", service}, {"partition", std::to_string(partition)}};
      owned.emplace(partition, PartitionGauges{cursor.Add(labels), lag.Add(labels)});
    }
  }

  PartitionGauges& of(uint32_t partition) { return owned.at(partition); }

  prometheus::Family<prometheus::Counter>& events;
  prometheus::Counter& applied;
  prometheus::Counter& refused;
  prometheus::Counter& ignored;
  prometheus::Histogram& batchSeconds;
  prometheus::Counter& readsOneByOne;
  prometheus::Counter& faults;
  std::map<uint32_t, PartitionGauges> owned;
};

namespace {
// A loop without one of its ports cannot run: a mistake of the caller's.
template <typename Port>
Port& required(const std::unique_ptr<Port>& port, const char* what) {
  if (!port) throw std::invalid_argument(std::string("ServiceLoop: no ") + what);
  return *port;
}
}  // namespace

// "applied" alone, or a JSON object: {"status":"refused","rule","reason","reasonZh"}, or for an
// applied event with a note {"status":"applied","rule","note","noteZh"}, or one that names only
// the rule it was counted under (appliedUnder) {"status":"applied","rule"}.
std::string storedVerdict(const Verdict& v) {
  if (v.applied && v.reason.empty() && v.rule.empty()) return "applied";
  JsonWriter json;
  json.beginObject().field("status", v.applied ? "applied" : "refused").field("rule", v.rule);
  if (!v.applied || !v.reason.empty()) {
    json.field(v.applied ? "note" : "reason", v.reason)
        .field(v.applied ? "noteZh" : "reasonZh", v.reasonZh);
  }
  json.endObject();
  return json.take();
}

ServiceLoop::ServiceLoop(ServiceLoopOptions options, LoopPorts ports, EventRules& rules,
                         Clock clock, prometheus::Registry& registry)
    : options_(std::move(options)),
      events_(required(ports.events, "event source")),
      store_(required(ports.store, "store")),
      sender_(required(ports.sender, "sender")),
      ports_(std::move(ports)),
      rules_(rules),
      clock_(std::move(clock)),
      log_(options_.service),
      metrics_(std::make_unique<Metrics>(registry, options_.service, options_.partitions)) {}

ServiceLoop::~ServiceLoop() = default;  // here, where Commit and Batch are complete

std::string ServiceLoop::stateKey(const std::string& key) const {
  return serviceKey(options_.service, key);
}
std::string ServiceLoop::verdictKey(const std::string& eventId) const {
  return keys::verdict(options_.service, eventId);
}
std::string ServiceLoop::cursorKey(uint32_t partition) const {
  return keys::cursor(options_.service, partition);
}
std::string ServiceLoop::tallyKey() const {
  return keys::tally(options_.service);
}
std::string ServiceLoop::outboxKey() const {
  return instanceOutboxKey(options_.service, options_.partitions);
}

// A transaction's writes, and when its batch started.
struct ServiceLoop::Commit {
  explicit Commit(CommitStore& store) : writes(store) {}
  BatchCommit writes;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  uint64_t confirmation = 0;  // its number among confirmed commits, once the store confirmed it
};

// Events taken from the source, their reads on their way, to be applied next.
struct ServiceLoop::Batch {
  std::vector<LoggedEvent> events;
  std::vector<std::unique_ptr<FrameReader>> readers;  // each event read once
  std::vector<std::string> unreadable;                // why a reader could not be made
  std::unique_ptr<Commit> commit;
  bool reading = false;       // its reads were sent ahead
  uint64_t readsSeeUpTo = 0;  // commits confirmed when its reads were sent: the store shows those
};

size_t ServiceLoop::runOnce() {
  if (!following_) {
    // Fresh start, or after a fault: resume from what the store says was committed.
    events_.resume(store_.cursors(options_.partitions));
    following_ = true;
    sendOutbox();  // derived events committed before a crash but not yet acknowledged
  }
  if (!upcoming_) {
    // Work is left in flight only when the source had more at once: no need to wait then.
    bool busy = inFlight_ != nullptr;
    upcoming_ = take(
        events_.poll(busy ? std::chrono::milliseconds(0) : options_.idlePoll, options_.maxBatch));
  }
  if (std::chrono::steady_clock::now() >= nextTimerCheck_) {
    finishCommit();  // timers read the store directly: nothing of theirs may be in flight
    fireTimers();
    nextTimerCheck_ = std::chrono::steady_clock::now() + options_.timerInterval;
  }
  size_t taken = 0;
  if (upcoming_) {
    // Three stages overlap: this batch is applied while the store executes the transaction of the
    // one before and reads ahead for the one after.
    auto batch = std::move(upcoming_);
    receiveReads(*batch);
    taken = batch->events.size();
    if (events_.ready())
      upcoming_ = take(events_.poll(std::chrono::milliseconds(0), options_.maxBatch));
    apply(*batch);
    finishCommit();
    startCommit(std::move(batch->commit));
  }
  // When nothing more is ready, the round ends with everything committed and sent.
  if (!upcoming_ && !events_.ready()) {
    finishCommit();
    sendDerived();
  }
  for (const auto& [partition, cursor] : events_.cursors()) {
    uint64_t announced = events_.announced(partition);
    metrics_->of(partition).lag.Set(announced > cursor ? static_cast<double>(announced - cursor)
                                                       : 0);
  }
  healthy_ = true;
  return taken;
}

std::unique_ptr<ServiceLoop::Batch> ServiceLoop::take(std::vector<LoggedEvent> events) {
  if (events.empty()) return nullptr;
  auto batch = std::make_unique<Batch>();
  batch->events = std::move(events);
  batch->commit = std::make_unique<Commit>(store_);
  batch->readers.resize(batch->events.size());
  batch->unreadable.resize(batch->events.size());
  std::vector<std::string> keys;
  for (size_t i = 0; i < batch->events.size(); ++i) {
    try {
      batch->readers[i] = std::make_unique<FrameReader>(batch->events[i].envelope);
      rules_.keysToRead(batch->readers[i]->root<msg::Envelope>(), keys);
    } catch (const kj::Exception& e) {
      batch->readers[i].reset();
      batch->unreadable[i] = e.getDescription().cStr();  // logged when applied, as a defect
    }
  }
  // The keys the rules will read, for the whole batch in one round trip, sent now.
  const auto& asked = batch->commit->writes.state.askAhead(keys);
  if (!asked.empty()) {
    store_.sendReads(asked);
    batch->reading = true;
  }
  batch->readsSeeUpTo = confirmations_;
  return batch;
}

void ServiceLoop::receiveReads(Batch& batch) {
  if (!batch.reading) return;
  batch.reading = false;
  batch.commit->writes.state.receiveReads(store_.collectReads());
}

void ServiceLoop::apply(Batch& batch) {
  auto& commit = batch.commit->writes;
  // The writes the store may not have shown this batch's reads: the commit in flight, and those
  // confirmed after the reads were sent.
  std::vector<const MemoryState*> unseen;
  if (inFlight_) unseen.push_back(&inFlight_->writes.state.overlay());
  for (auto it = confirmed_.rbegin(); it != confirmed_.rend(); ++it) {
    if ((*it)->confirmation > batch.readsSeeUpTo) unseen.push_back(&(*it)->writes.state.overlay());
  }
  commit.state.readThrough(std::move(unseen));
  int64_t now = clock_();
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const auto& logged = batch.events[i];
    commit.cursors[logged.partition] = logged.sequence;
    commit.state.setPartition(logged.partition);
    std::string eventId;
    std::optional<Applied> result;
    try {
      if (!batch.readers[i]) throw std::runtime_error(batch.unreadable[i]);
      auto event = batch.readers[i]->root<msg::Envelope>();
      eventId = event.getEventId().cStr();
      result = rules_.apply(event, commit.state, now);
    } catch (const RedisUnavailable&) {
      throw;  // the environment's fault: the whole batch is retried
    } catch (const std::exception& e) {
      // A defect of the rules on this event (the bus stored only valid events): the event is
      // refused, not retried forever, and the log says where.
      result = cannotApply(logged, e.what());
    } catch (const kj::Exception& e) {
      result = cannotApply(logged, e.getDescription().cStr());
    }
    if (!result) {
      ++commit.tally.ignored;
      commit.state.dropEvent();
      continue;
    }
    if (result->verdict.applied) {
      ++commit.tally.applied;
      commit.state.keepEvent();
    } else {
      ++commit.tally.refused;
      commit.state.dropEvent();
      result->derived.clear();
    }
    if (!eventId.empty()) {
      commit.verdicts.emplace_back(eventId, storedVerdict(result->verdict));
    }
    for (auto& d : result->derived) commit.outbox.push_back(std::move(d));
  }
  commit.state.readThrough({});  // the commits read through may be forgotten from here on
}

Applied ServiceLoop::cannotApply(const LoggedEvent& logged, const std::string& error) {
  log_.error("cannot apply a stored event", {{"partition", std::to_string(logged.partition)},
                                             {"sequence", std::to_string(logged.sequence)},
                                             {"error", error}});
  return refuse(rules::service::defect, "无法应用（已作为缺陷记录日志）",
                "cannot be applied (logged as a defect)");
}

size_t ServiceLoop::fireTimers() {
  constexpr size_t kTimersPerPartition = 256;  // per check: the rest fire at the next
  int64_t now = clock_();
  auto commit = std::make_unique<Commit>(store_);
  auto& writes = commit->writes;
  size_t fired = 0;
  for (auto partition : options_.partitions) {
    auto due = store_.dueTimers(partition, now, kTimersPerPartition);
    writes.state.setPartition(partition);
    for (const auto& member : due) {
      // A timer fires once: whatever the rules do, it is cleared in the same transaction.
      Applied result;
      try {
        result = rules_.onTimer(member, writes.state, now);
      } catch (const RedisUnavailable&) {
        throw;
      } catch (const std::exception& e) {
        writes.state.dropEvent();
        log_.error("a timer failed", {{"timer", member}, {"error", e.what()}});
      } catch (const kj::Exception& e) {
        writes.state.dropEvent();
        log_.error("a timer failed", {{"timer", member}, {"error", e.getDescription().cStr()}});
      }
      writes.state.clearTimer(member);
      writes.state.keepEvent();
      for (auto& d : result.derived) writes.outbox.push_back(std::move(d));
      ++fired;
    }
  }
  if (fired > 0) {
    startCommit(std::move(commit));
    finishCommit();
  }
  return fired;
}

void ServiceLoop::startCommit(std::unique_ptr<Commit> commit) {
  metrics_->readsOneByOne.Increment(static_cast<double>(commit->writes.state.readsOneByOne()));
  store_.sendCommit(commit->writes);
  inFlight_ = std::move(commit);
}

void ServiceLoop::finishCommit() {
  if (!inFlight_) return;
  auto commit = std::move(inFlight_);  // gone whatever happens: a fault resumes from the store
  store_.confirmCommit();
  auto& writes = commit->writes;
  metrics_->applied.Increment(static_cast<double>(writes.tally.applied));
  metrics_->refused.Increment(static_cast<double>(writes.tally.refused));
  metrics_->ignored.Increment(static_cast<double>(writes.tally.ignored));
  for (const auto& [partition, sequence] : writes.cursors) {
    metrics_->of(partition).cursor.Set(static_cast<double>(sequence));
  }
  // Derived events are sent in groups: each send waits for the bus and for the store, which
  // would stall the overlap of every batch. They wait for a batch's worth, or the end of the round.
  if (outbox_) {
    for (auto& frame : writes.outbox) outbox_->push_back(std::move(frame));
    if (outbox_->size() >= options_.maxBatch) sendDerived();
  } else {
    sendOutbox();
  }
  if (!writes.cursors.empty()) {
    metrics_->batchSeconds.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - commit->started).count());
  }
  // Kept while the batch read ahead may have been read before the store showed it.
  commit->confirmation = ++confirmations_;
  confirmed_.push_back(std::move(commit));
  uint64_t seen = upcoming_ ? upcoming_->readsSeeUpTo : confirmations_;
  while (!confirmed_.empty() && confirmed_.front()->confirmation <= seen) confirmed_.pop_front();
}

void ServiceLoop::abandon() {
  // The batch read ahead, and the commit in flight, which must not land after the cursors are
  // read again.
  upcoming_.reset();
  confirmed_.clear();
  inFlight_.reset();
  store_.abandon();
  outbox_.reset();
  following_ = false;
}

void ServiceLoop::sendOutbox() {
  outbox_ = store_.outbox();
  sendDerived();
}

void ServiceLoop::sendDerived() {
  if (!outbox_) return sendOutbox();
  if (outbox_->empty()) return;
  auto results = sender_.send(*outbox_);
  for (const auto& r : results) {
    if (r.status == msg::IngestReply::Status::NACK) {
      log_.error("the bus refused a derived event", {{"eventId", r.eventId}, {"reason", r.reason}});
    }
  }
  // Every frame has an answer now (ACK, DUP, or a NACK that a retry would only repeat).
  store_.trimOutbox(outbox_->size());
  outbox_->clear();
}

int ServiceLoop::run(const std::atomic<bool>& stop) {
  auto backoff = std::chrono::milliseconds(100);
  while (!stop) {
    try {
      runOnce();
      backoff = std::chrono::milliseconds(100);
    } catch (const CorruptState& e) {
      // Resuming from a guess would skip events or apply them twice: stop, for an operator.
      healthy_ = false;
      log_.error("stopping: the service's bookkeeping in Redis is corrupt",
                 {{"key", e.key}, {"error", e.what()}});
      return kDefectExitCode;
    } catch (const std::logic_error& e) {
      // A bug: retrying would repeat it forever. The supervisor restarts the process.
      healthy_ = false;
      log_.error("stopping: a defect of the service", {{"error", e.what()}});
      return kDefectExitCode;
    } catch (const std::exception& e) {
      // Redis or the bus gone, a malformed frame: the environment's fault, which heals.
      healthy_ = false;
      metrics_->faults.Increment();
      log_.warn("round abandoned; resuming from the last commit", {{"error", e.what()}});
      abandon();
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
  }
  return 0;
}

}  // namespace mwp
