#include "service_loop.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "frames.h"
#include "ids.h"
#include "metrics.h"

namespace mwp {

namespace {

// Verdicts are kept long enough for any integrator to look an event up.
constexpr const char* kVerdictTtlSeconds = "7776000";  // 90 days

// Moves every entry of `from` into `to`, replacing what is there, node by node: no key is copied
// (the rules' writes are merged into the batch once per event).
template <typename Map>
void moveEntries(Map& from, Map& to) {
  while (!from.empty()) {
    auto placed = to.insert(from.extract(from.begin()));
    if (!placed.inserted) placed.position->second = std::move(placed.node.mapped());
  }
}

// The batch's writes in an overlay; reads fall through to Redis for keys not yet written. Each
// event writes into a staging layer first, merged into the batch only if the event is applied:
// a refused event changes nothing, whatever its rules wrote before refusing.
//
// Reads from Redis may predate the last commits (a transaction still on its way, or confirmed
// after the batch's reads were sent): the overlays of those commits are read first, newest first.
class BatchState : public StateTx {
 public:
  // `oneByOne` counts the reads that were not read ahead: each is a round trip of its own.
  BatchState(Redis& redis, std::function<std::string(const std::string&)> name,
             prometheus::Counter& oneByOne)
      : redis_(redis), name_(std::move(name)), oneByOne_(oneByOne) {}

  // The overlays of the commits Redis may not have shown this batch's reads, newest first.
  void readThrough(std::vector<const MemoryState*> unseen) { unseen_ = std::move(unseen); }

  std::optional<std::string> get(const std::string& key) override {
    if (event_.values.count(key)) return event_.get(key);
    if (overlay.values.count(key)) return overlay.get(key);
    for (const auto* commit : unseen_) {
      auto written = commit->values.find(key);
      if (written != commit->values.end()) return written->second;
    }
    auto cached = reads_.find(key);
    if (cached != reads_.end()) return cached->second;
    oneByOne_.Increment();
    auto reply = redis_.command({"GET", name_(key)});
    if (reply.isError()) throw RedisUnavailable("GET failed: " + reply.str);
    std::optional<std::string> value;
    if (!reply.isNil()) value = reply.str;
    reads_[key] = value;
    return value;
  }
  void put(const std::string& key, std::string value) override {
    event_.put(key, std::move(value));
  }
  void erase(const std::string& key) override { event_.erase(key); }
  void add(const std::string& hash, const std::string& field, int64_t delta) override {
    event_.add(hash, field, delta);
  }
  void index(const std::string& set, const std::string& member, double score) override {
    event_.index(set, member, score);
  }
  void unindex(const std::string& set, const std::string& member) override {
    event_.unindex(set, member);
  }

  void setTimer(const std::string& member, int64_t fireAt) override {
    event_.index(timerSet(partition_), member, static_cast<double>(fireAt));
  }
  void clearTimer(const std::string& member) override {
    event_.unindex(timerSet(partition_), member);
  }
  // Timers belong to the partition of the event (or timer) being applied.
  void setPartition(uint32_t partition) { partition_ = partition; }

  // The MGET that reads `keys` ahead for the get()s to come, each key once; nullopt when there is
  // nothing to read. Its reply goes to readAhead().
  std::optional<RedisCommand> readAheadCommand(const std::vector<std::string>& keys) {
    RedisCommand mget{"MGET"};
    for (const auto& key : keys) {
      if (!reads_.emplace(key, std::nullopt).second) continue;  // named twice: asked once
      mget.push_back(name_(key));
      asked_.push_back(key);
    }
    if (asked_.empty()) return std::nullopt;
    return mget;
  }
  void readAhead(RedisReply reply) {
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() != asked_.size()) {
      throw RedisUnavailable("MGET failed: " + reply.str);
    }
    for (size_t i = 0; i < asked_.size(); ++i) {
      if (!reply.elements[i].isNil()) reads_[asked_[i]] = std::move(reply.elements[i].str);
    }
    asked_.clear();
  }

  // The event was applied: its writes join the batch.
  void keepEvent() {
    moveEntries(event_.values, overlay.values);
    for (auto& [hash, fields] : event_.counters) {
      auto& into = overlay.counters[hash];
      for (auto& [field, delta] : fields) into[field] += delta;
    }
    for (auto& [set, members] : event_.indexes) moveEntries(members, overlay.indexes[set]);
    event_ = MemoryState{};
  }
  // The event was refused, or failed: its writes are dropped.
  void dropEvent() { event_ = MemoryState{}; }

  MemoryState overlay;

 private:
  Redis& redis_;
  std::function<std::string(const std::string&)> name_;
  MemoryState event_;
  prometheus::Counter& oneByOne_;
  std::vector<const MemoryState*> unseen_;
  std::vector<std::string> asked_;  // the keys of the read-ahead, in the order of its reply
  std::map<std::string, std::optional<std::string>> reads_;
  uint32_t partition_ = 0;
};

}  // namespace

struct ServiceLoop::Metrics {
  Metrics(prometheus::Registry& registry, const std::string& service)
      : events(prometheus::BuildCounter()
                   .Name("mwp_service_events_total")
                   .Help("Events a service has seen, by outcome: applied, refused (a verdict with "
                         "a reason), or ignored (a kind the service does not own)")
                   .Register(registry)),
        cursor(
            prometheus::BuildGauge()
                .Name("mwp_service_cursor")
                .Help(
                    "Last sequence applied per partition; lag = mwp_bus_partition_sequence − this")
                .Register(registry)),
        lag(prometheus::BuildGauge()
                .Name("mwp_service_lag_events")
                .Help("Events the bus has announced per partition that the service has not applied")
                .Register(registry)),
        batchSeconds(
            prometheus::BuildHistogram()
                .Name("mwp_service_batch_seconds")
                .Help("Time to apply, commit and send the outbox of one batch")
                .Register(registry)
                .Add({{"service", service}},
                     latencyBuckets())),
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
                   .Register(registry)),
        applied(events.Add({{"service", service}, {"outcome", "applied"}})),
        refused(events.Add({{"service", service}, {"outcome", "refused"}})),
        ignored(events.Add({{"service", service}, {"outcome", "ignored"}})),
        service_(service),
        faultCount(faults.Add({{"service", service}})) {}

  prometheus::Gauge& cursorOf(uint32_t partition) {
    return cursor.Add({{"service", service_}, {"partition", std::to_string(partition)}});
  }

  prometheus::Family<prometheus::Counter>& events;
  prometheus::Gauge& lagOf(uint32_t partition) {
    return lag.Add({{"service", service_}, {"partition", std::to_string(partition)}});
  }

  prometheus::Family<prometheus::Gauge>& cursor;
  prometheus::Family<prometheus::Gauge>& lag;
  prometheus::Histogram& batchSeconds;
  prometheus::Counter& readsOneByOne;
  prometheus::Family<prometheus::Counter>& faults;
  prometheus::Counter& applied;
  prometheus::Counter& refused;
  prometheus::Counter& ignored;
  std::string service_;
  prometheus::Counter& faultCount;
};

ServiceLoop::ServiceLoop(ServiceLoopOptions options, zmq::context_t& context, Redis& redis,
                         Publisher& publisher, EventRules& rules, Clock clock,
                         prometheus::Registry& registry)
    : options_(std::move(options)),
      context_(context),
      redis_(redis),
      commits_(redis.endpoint()),
      readAhead_(redis.endpoint()),
      publisher_(publisher),
      rules_(rules),
      clock_(std::move(clock)),
      log_(options_.service),
      metrics_(std::make_unique<Metrics>(registry, options_.service)) {}

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
  auto first = std::min_element(options_.partitions.begin(), options_.partitions.end());
  return keys::outbox(options_.service, first == options_.partitions.end() ? 0 : *first);
}

std::map<uint32_t, uint64_t> ServiceLoop::loadCursors() {
  std::vector<RedisCommand> commands;
  for (auto p : options_.partitions) commands.push_back({"GET", cursorKey(p)});
  auto replies = redis_.pipeline(commands);
  std::map<uint32_t, uint64_t> cursors;
  for (size_t i = 0; i < options_.partitions.size(); ++i) {
    // An error (Redis still loading its data after a restart) is a fault: the round is retried.
    if (replies[i].isError()) throw RedisUnavailable("reading a cursor: " + replies[i].str);
    cursors[options_.partitions[i]] = replies[i].isNil() ? 0 : std::stoull(replies[i].str);
  }
  return cursors;
}

// What one transaction writes: the state of a batch, the verdicts, the outbox, the cursors.
struct ServiceLoop::Commit {
  explicit Commit(ServiceLoop& loop)
      : state(
            loop.redis_, [&loop](const std::string& key) { return loop.stateKey(key); },
            loop.metrics_->readsOneByOne) {}
  BatchState state;
  std::vector<std::pair<std::string, std::string>> verdicts;
  std::vector<std::string> outbox;
  std::map<uint32_t, uint64_t> cursors;
  // Events of the log taken by this transaction, by outcome. Committed with the cursors, so the
  // durable tally counts each event of the log once: the chaos run checks exactly that.
  std::map<std::string, int64_t> tally;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  uint64_t confirmation = 0;  // its number among confirmed commits, once Redis has confirmed it
};

// Events taken from the follower, their reads on their way, to be applied next.
struct ServiceLoop::Batch {
  std::vector<LoggedEvent> events;
  std::vector<std::unique_ptr<FrameReader>> readers;  // each event read once
  std::vector<std::string> unreadable;                // why a reader could not be made
  std::unique_ptr<Commit> commit;
  bool reading = false;       // its MGET was sent on readAhead_
  uint64_t readsSeeUpTo = 0;  // the commits confirmed when its reads were sent: Redis shows those
};

size_t ServiceLoop::runOnce() {
  if (!follower_) {
    // Fresh start, or after a fault: resume from what Redis says was committed.
    follower_ = std::make_unique<EventFollower>(context_, options_.publishEndpoint, redis_,
                                                loadCursors(), options_.curve);
    sendOutbox();  // derived events committed before a crash but not yet acknowledged
  }
  if (!upcoming_) {
    // Work is left in flight only when the follower had more at once: no need to wait then.
    bool busy = inFlight_ != nullptr;
    upcoming_ = take(follower_->poll(busy ? std::chrono::milliseconds(0) : options_.idlePoll,
                                     options_.maxBatch));
  }
  if (std::chrono::steady_clock::now() >= nextTimerCheck_) {
    finishCommit();  // timers read Redis directly: nothing of theirs may be in flight
    fireTimers();
    nextTimerCheck_ = std::chrono::steady_clock::now() + options_.timerInterval;
  }
  size_t taken = 0;
  if (upcoming_) {
    // Three stages overlap: this batch is applied while Redis executes the transaction of the one
    // before and reads ahead for the one after.
    auto batch = std::move(upcoming_);
    receiveReads(*batch);
    taken = batch->events.size();
    if (follower_->ready())
      upcoming_ = take(follower_->poll(std::chrono::milliseconds(0), options_.maxBatch));
    apply(*batch);
    finishCommit();
    startCommit(std::move(batch->commit));
  }
  // When nothing more is ready, the round ends with everything committed and sent.
  if (!upcoming_ && !follower_->ready()) {
    finishCommit();
    sendDerived();
  }
  for (const auto& [partition, cursor] : follower_->cursors()) {
    uint64_t announced = follower_->announced(partition);
    metrics_->lagOf(partition).Set(announced > cursor ? static_cast<double>(announced - cursor)
                                                      : 0);
  }
  healthy_ = true;
  return taken;
}

ServiceLoop::~ServiceLoop() = default;  // here, where Commit and Batch are complete

std::unique_ptr<ServiceLoop::Batch> ServiceLoop::take(std::vector<LoggedEvent> events) {
  if (events.empty()) return nullptr;
  auto batch = std::make_unique<Batch>();
  batch->events = std::move(events);
  batch->commit = std::make_unique<Commit>(*this);
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
  if (auto mget = batch->commit->state.readAheadCommand(keys)) {
    readAhead_.send({std::move(*mget)});
    batch->reading = true;
  }
  batch->readsSeeUpTo = confirmations_;
  return batch;
}

void ServiceLoop::receiveReads(Batch& batch) {
  if (!batch.reading) return;
  batch.reading = false;
  batch.commit->state.readAhead(std::move(readAhead_.collect().at(0)));
}

void ServiceLoop::apply(Batch& batch) {
  auto& commit = *batch.commit;
  // The writes Redis may not have shown this batch's reads: the commit in flight, and those
  // confirmed after the reads were sent.
  std::vector<const MemoryState*> unseen;
  if (inFlight_) unseen.push_back(&inFlight_->state.overlay);
  for (auto it = confirmed_.rbegin(); it != confirmed_.rend(); ++it) {
    if ((*it)->confirmation > batch.readsSeeUpTo) unseen.push_back(&(*it)->state.overlay);
  }
  commit.state.readThrough(std::move(unseen));
  int64_t applied = 0, refused = 0, ignored = 0;
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
      ++ignored;
      commit.state.dropEvent();
      continue;
    }
    if (result->verdict.applied) {
      ++applied;
      commit.state.keepEvent();
    } else {
      ++refused;
      commit.state.dropEvent();
      result->derived.clear();
    }
    if (!eventId.empty()) {
      commit.verdicts.emplace_back(
          eventId, result->verdict.applied ? "applied" : "refused: " + result->verdict.reason);
    }
    for (auto& d : result->derived) commit.outbox.push_back(std::move(d));
  }
  commit.state.readThrough({});  // the commits read through may be forgotten from here on
  commit.tally = {{"applied", applied}, {"refused", refused}, {"ignored", ignored}};
}

Applied ServiceLoop::cannotApply(const LoggedEvent& logged, const std::string& error) {
  log_.error("cannot apply a stored event", {{"partition", std::to_string(logged.partition)},
                                             {"sequence", std::to_string(logged.sequence)},
                                             {"error", error}});
  return Applied{Verdict{false, "cannot be applied (logged as a defect)"}, {}};
}

size_t ServiceLoop::fireTimers() {
  int64_t now = clock_();
  auto commit = std::make_unique<Commit>(*this);
  size_t fired = 0;
  for (auto partition : options_.partitions) {
    auto due = redis_.command({"ZRANGEBYSCORE", stateKey(timerSet(partition)), "-inf",
                               std::to_string(now), "LIMIT", "0", "256"});
    if (due.isError()) throw RedisUnavailable("ZRANGEBYSCORE failed: " + due.str);
    commit->state.setPartition(partition);
    for (const auto& member : due.elements) {
      // A timer fires once: whatever the rules do, it is cleared in the same transaction.
      Applied result;
      try {
        result = rules_.onTimer(member.str, commit->state, now);
      } catch (const RedisUnavailable&) {
        throw;
      } catch (const std::exception& e) {
        commit->state.dropEvent();
        log_.error("a timer failed", {{"timer", member.str}, {"error", e.what()}});
      } catch (const kj::Exception& e) {
        commit->state.dropEvent();
        log_.error("a timer failed", {{"timer", member.str}, {"error", e.getDescription().cStr()}});
      }
      commit->state.clearTimer(member.str);
      commit->state.keepEvent();
      for (auto& d : result.derived) commit->outbox.push_back(std::move(d));
      ++fired;
    }
  }
  if (fired > 0) {
    startCommit(std::move(commit));
    finishCommit();
  }
  return fired;
}

// The transaction of a commit. Values are copied, not moved: the overlay stays readable by the
// next batch until Redis answers.
std::vector<RedisCommand> ServiceLoop::transaction(const Commit& commit) const {
  const auto& overlay = commit.state.overlay;
  std::vector<RedisCommand> tx{{"MULTI"}};
  std::string written;
  for (const auto& [key, value] : overlay.values) {
    if (value) {
      tx.push_back({"SET", stateKey(key), *value});
    } else {
      tx.push_back({"DEL", stateKey(key)});
    }
    if (!written.empty()) written += '\n';
    written += tx.back()[1];
  }
  // Inside the transaction, so the announcement goes out exactly when the writes become visible.
  if (!written.empty()) tx.push_back({"PUBLISH", keys::kStateChanges, std::move(written)});
  for (const auto& [hash, fields] : overlay.counters) {
    for (const auto& [field, delta] : fields) {
      tx.push_back({"HINCRBY", stateKey(hash), field, std::to_string(delta)});
    }
  }
  for (const auto& [set, members] : overlay.indexes) {
    for (const auto& [member, score] : members) {
      if (score) {
        tx.push_back({"ZADD", stateKey(set), scoreText(*score), member});
      } else {
        tx.push_back({"ZREM", stateKey(set), member});
      }
    }
  }
  for (const auto& [eventId, verdict] : commit.verdicts) {
    tx.push_back({"SET", verdictKey(eventId), verdict, "EX", kVerdictTtlSeconds});
  }
  if (!commit.outbox.empty()) {
    RedisCommand push{"RPUSH", outboxKey()};
    push.insert(push.end(), commit.outbox.begin(), commit.outbox.end());
    tx.push_back(std::move(push));
  }
  for (const auto& [partition, sequence] : commit.cursors) {
    tx.push_back({"SET", cursorKey(partition), std::to_string(sequence)});
  }
  for (const auto& [outcome, count] : commit.tally) {
    if (count > 0) tx.push_back({"HINCRBY", tallyKey(), outcome, std::to_string(count)});
  }
  tx.push_back({"EXEC"});
  return tx;
}

void ServiceLoop::startCommit(std::unique_ptr<Commit> commit) {
  commits_.send(transaction(*commit));
  inFlight_ = std::move(commit);
}

void ServiceLoop::finishCommit() {
  if (!inFlight_) return;
  auto commit = std::move(inFlight_);  // gone whatever happens: a fault resumes from Redis
  auto replies = commits_.collect();
  const auto& exec = replies.back();
  if (exec.type != RedisReply::Type::kArray) {
    throw RedisUnavailable("transaction not committed: " + (exec.isError() ? exec.str : "aborted"));
  }
  for (const auto& r : exec.elements) {
    if (r.isError()) throw RedisUnavailable("a write of the transaction failed: " + r.str);
  }
  metrics_->applied.Increment(static_cast<double>(commit->tally["applied"]));
  metrics_->refused.Increment(static_cast<double>(commit->tally["refused"]));
  metrics_->ignored.Increment(static_cast<double>(commit->tally["ignored"]));
  for (const auto& [partition, sequence] : commit->cursors) {
    metrics_->cursorOf(partition).Set(static_cast<double>(sequence));
  }
  // Derived events are sent in groups: each send waits for the bus and for Redis, which would
  // stall the overlap of every batch. They wait for a batch's worth, or the end of the round.
  if (outbox_) {
    for (auto& frame : commit->outbox) outbox_->push_back(std::move(frame));
    if (outbox_->size() >= options_.maxBatch) sendDerived();
  } else {
    sendOutbox();
  }
  if (!commit->cursors.empty()) {
    metrics_->batchSeconds.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - commit->started).count());
  }
  // Kept while the batch read ahead may have been read before Redis showed it.
  commit->confirmation = ++confirmations_;
  confirmed_.push_back(std::move(commit));
  uint64_t seen = upcoming_ ? upcoming_->readsSeeUpTo : confirmations_;
  while (!confirmed_.empty() && confirmed_.front()->confirmation <= seen) confirmed_.pop_front();
}

void ServiceLoop::abandonWork() {
  upcoming_.reset();
  confirmed_.clear();
  try {
    if (readAhead_.awaitingReplies()) readAhead_.collect();
  } catch (const RedisUnavailable&) {
  }
  if (!inFlight_) return;
  inFlight_.reset();
  try {
    commits_.collect();
  } catch (const RedisUnavailable&) {
    // The connection is dropped; its transaction, if Redis got it whole, is atomic either way.
  }
}

void ServiceLoop::sendOutbox() {
  auto pending = redis_.command({"LRANGE", outboxKey(), "0", "-1"});
  if (pending.isError()) throw RedisUnavailable("LRANGE failed: " + pending.str);
  outbox_.emplace();
  for (auto& e : pending.elements) outbox_->push_back(std::move(e.str));
  sendDerived();
}

void ServiceLoop::sendDerived() {
  if (!outbox_) return sendOutbox();
  if (outbox_->empty()) return;
  auto results = publisher_.publish(*outbox_);
  for (const auto& r : results) {
    if (r.status == msg::IngestReply::Status::NACK) {
      log_.error("the bus refused a derived event", {{"eventId", r.eventId}, {"reason", r.reason}});
    }
  }
  // Every frame has an answer now (ACK, DUP, or a NACK that a retry would only repeat).
  auto trimmed = redis_.command({"LTRIM", outboxKey(), std::to_string(outbox_->size()), "-1"});
  if (trimmed.isError()) throw RedisUnavailable("LTRIM failed: " + trimmed.str);
  outbox_->clear();
}

void ServiceLoop::run(const std::atomic<bool>& stop) {
  auto backoff = std::chrono::milliseconds(100);
  while (!stop) {
    try {
      runOnce();
      backoff = std::chrono::milliseconds(100);
    } catch (const std::exception& e) {
      healthy_ = false;
      metrics_->faultCount.Increment();
      log_.warn("round abandoned; resuming from the last commit", {{"error", e.what()}});
      abandonWork();
      outbox_.reset();
      follower_.reset();
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
  }
}

}  // namespace mwp
