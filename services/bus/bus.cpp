#include "bus.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/io.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstring>
#include <thread>
#include <zmq_addon.hpp>

#include "bus_client.h"
#include "event_kinds.h"
#include "event_log.h"
#include "event_rules.h"
#include "frames.h"
#include "ids.h"
#include "metrics.h"
#include "mwp/messages/bus.capnp.h"

namespace mwp::bus {
namespace {

using Status = msg::IngestReply::Status;

// A department's name as the schema spells it (enumName), read from the schema once, not per event.
const std::string& departmentName(msg::Department department) {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (auto e : capnp::Schema::from<msg::Department>().getEnumerants()) {
      out.push_back(e.getProto().getName().cStr());
    }
    return out;
  }();
  static const std::string unknown;  // a value of a newer schema: enumName's ""
  auto at = static_cast<size_t>(department);
  return at < names.size() ? names[at] : unknown;
}

// A message as one flat array (what toBytes() gives): in `small` when it fits, else in `large`,
// so a short answer costs no allocation. The bytes live as long as both.
template <size_t N>
kj::ArrayPtr<const kj::byte> flatBytes(capnp::MessageBuilder& message,
                                       std::array<capnp::word, N>& small,
                                       kj::Array<capnp::word>& large) {
  if (capnp::computeSerializedSizeInWords(message) <= N) {
    kj::ArrayOutputStream out(kj::arrayPtr(small.data(), N).asBytes());
    capnp::writeMessage(out, message);
    return out.getArray();
  }
  large = capnp::messageToFlatArray(message);
  return large.asBytes();
}

// A refused frame's rule and reasons, on whatever carries them (a FrameVerdict, a Pending frame).
template <typename Refused>
void refuseFrame(Refused& r, Reason why) {
  r.rule = std::move(why.rule);
  r.reasonZh = std::move(why.zh);
  r.reason = std::move(why.en);
}

// What the bus answers for one frame (a Pending), into a reply of its own or a batch's.
template <typename Frame>
void fillReply(msg::IngestReply::Builder reply, const Frame& p) {
  reply.setEventId(p.eventId.empty() ? capnp::Text::Reader()
                                     : capnp::Text::Reader(p.eventId.data(), p.eventId.size()));
  reply.setStatus(p.status);
  reply.setPartition(p.partition);
  reply.setSequence(p.sequence);
  reply.setReason(p.reason);
  reply.setReasonZh(p.reasonZh);
  reply.setRule(p.rule);
}

}  // namespace

struct Bus::Pending {
  size_t message = 0;        // its message, among the batch's
  std::string_view bytes;    // the frame as received, read where its message holds it
  std::string_view eventId;  // in the batch's arena
  std::string_view source;   // for the audit copy of a refused frame
  std::string raw;           // the frame as received, once refused (audit copy)
  std::string_view envelope;  // canonical bytes of an accepted event, in the batch's arena
  char digest[16] = {};
  std::string_view digestText() const { return {digest, sizeof digest}; }
  uint32_t partition = 0;
  Status status = Status::NACK;
  uint64_t sequence = 0;
  std::string reason;  // for a NACK, in English; "" otherwise
  std::string reasonZh, rule;
  bool answered = false;  // storing confirmed: an answer may go out
};

// Frames taken together: checked, then stored in one pipeline and answered.
struct Bus::Batch {
  explicit Batch(std::vector<BatchMemory>& spares)
      : spares_(spares), memory_(takeMemory(spares)), arena(memory_.arenaScratch.asPtr()) {
    messages.swap(memory_.messages);
    frames.swap(memory_.frames);
    commands.swap(memory_.commands);
  }
  ~Batch() {
    if (spares_.size() >= kSpareMemories) return;
    frames.clear();
    messages.clear();  // the messages go back to ZeroMQ; the capacity stays
    commands.clear();
    memory_.messages.swap(messages);
    memory_.frames.swap(frames);
    memory_.commands.swap(commands);
    spares_.push_back(std::move(memory_));
  }

 private:
  static BatchMemory takeMemory(std::vector<BatchMemory>& spares) {
    if (spares.empty()) return BatchMemory{kj::heapArray<kj::byte>(kArenaScratchBytes), {}, {}, {}};
    auto memory = std::move(spares.back());
    spares.pop_back();
    return memory;
  }
  std::vector<BatchMemory>& spares_;
  BatchMemory memory_;

 public:
  // What is kept of the frames (eventIds, canonical envelopes), the frames' views point into:
  // in memory a batch before used and handed back, not in strings of each frame's own nor in
  // fresh chunks from the system (which cost page faults a batch).
  kj::Arena arena;
  std::deque<Message> messages;  // as received, in order
  std::vector<Pending> frames;   // the messages' frames, in order
  // The accepted frames, stored by one call of the log's function (the first command, if any);
  // the refused ones, each by an audit command after it.
  std::optional<RecordBatchCall> call;
  std::vector<Pending*> accepted;  // in the order added to `call`
  std::vector<Pending*> owners;  // the frame of each command but WAIT; nullptr for the call
  // Written from `call` and `owners` when sent, for the store of the server it goes to (`via`).
  RedisPipeline commands;
  std::optional<BatchStore> via;
  std::chrono::steady_clock::time_point started;
  std::optional<uint64_t> ticket;  // of its pipeline on the Redis connection, once sent
  // A reused eventId is found only in the call's reply, while later batches are in flight: its
  // refusal's audit copy goes out as a follow-up batch behind them (`refusalsOf` names the batch
  // whose frames it refuses), and that batch is held, with every batch after it, until then.
  Batch* refusalsOf = nullptr;
  bool awaitingRefusals = false;
};

struct Bus::Metrics {
  Metrics(prometheus::Registry& registry, uint32_t partitions)
      : events(prometheus::BuildCounter()
                   .Name("mwp_bus_events_total")
                   .Help("Frames answered by the bus, by outcome: ack (stored now), duplicate "
                         "(stored before), nack (refused)")
                   .Register(registry)),
        ack(events.Add({{"outcome", "ack"}})),
        duplicate(events.Add({{"outcome", "duplicate"}})),
        nack(events.Add({{"outcome", "nack"}})),
        messages(prometheus::BuildCounter()
                     .Name("mwp_bus_messages_total")
                     .Help("Messages received on the ingest, by form: frame (one event) or batch "
                           "(several in one message)")
                     .Register(registry)),
        frameMessages(messages.Add({{"form", "frame"}})),
        batchMessages(messages.Add({{"form", "batch"}})),
        unreplicated(prometheus::BuildCounter()
                         .Name("mwp_bus_unreplicated_batches_total")
                         .Help("Batches stored on the primary but left unanswered: fewer replicas "
                               "than MWP_ACK_REPLICAS confirmed them in time")
                         .Register(registry)
                         .Add({})),
        redisFaults(prometheus::BuildCounter()
                        .Name("mwp_bus_redis_faults_total")
                        .Help("Round trips to Redis that failed and were retried")
                        .Register(registry)
                        .Add({})),
        batchSeconds(
            prometheus::BuildHistogram()
                .Name("mwp_bus_batch_seconds")
                .Help("Time to check, store and answer one batch of frames")
                .Register(registry)
                .Add({}, latencyBuckets())),
        sequenceFamily(prometheus::BuildGauge()
                           .Name("mwp_bus_partition_sequence")
                           .Help("Last sequence stored per partition")
                           .Register(registry)) {
    for (uint32_t p = 0; p < partitions; ++p) {
      sequence.push_back(&sequenceFamily.Add({{"partition", std::to_string(p)}}));
    }
  }
  prometheus::Family<prometheus::Counter>& events;
  prometheus::Counter& ack;
  prometheus::Counter& duplicate;
  prometheus::Counter& nack;
  prometheus::Family<prometheus::Counter>& messages;
  prometheus::Counter& frameMessages;
  prometheus::Counter& batchMessages;
  prometheus::Counter& unreplicated;
  prometheus::Counter& redisFaults;
  prometheus::Histogram& batchSeconds;
  prometheus::Family<prometheus::Gauge>& sequenceFamily;
  std::vector<prometheus::Gauge*> sequence;
};

Bus::Bus(BusOptions options, zmq::context_t& context, Redis& redis, const Catalogue& catalogue,
         Clock clock, prometheus::Registry& registry)
    : options_(std::move(options)),
      ingest_(context, zmq::socket_type::router),
      publish_(context, zmq::socket_type::xpub),
      redis_(redis),
      storeCommand_(redis_.addOptionalCommand(kStoreBatchCommand)),
      catalogue_(catalogue),
      clock_(std::move(clock)),
      metrics_(std::make_unique<Metrics>(registry, options_.partitionCount)),
      lastSequence_(options_.partitionCount, 0),
      heard_(options_.partitionCount, false) {
  ingest_.set(zmq::sockopt::linger, 0);
  // A frame over the limit is still received, so that its sender gets an answer; ZeroMQ drops a
  // connection whose message is past this cap without handing it over (nothing to answer then:
  // Publisher refuses such frames itself), so no sender makes the bus hold more per message.
  ingest_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxMessageBytes));
  ingest_.set(zmq::sockopt::rcvhwm, 100000);
  ingest_.set(zmq::sockopt::sndhwm, 100000);
  redis_.addFunctionLibrary(kLogFunctions);
  publish_.set(zmq::sockopt::linger, 0);
  publish_.set(zmq::sockopt::sndhwm, 1000000);
  if (options_.curve) {
    makeCurveServer(ingest_, *options_.curve, CurveDomain::ingest);
    makeCurveServer(publish_, *options_.curve, CurveDomain::internal);
  }
}

Bus::~Bus() = default;

void Bus::bind() {
  ingest_.bind(options_.ingestEndpoint);
  publish_.bind(options_.publishEndpoint);
}

void Bus::run(const std::atomic<bool>& stop) {
  while (!stop) {
    try {
      lastSequence_ = lastSequences(redis_, options_.partitionCount);
      // What the log holds already, reported from the start: a restarted bus showing 0 would make
      // every service's lag look like none.
      for (uint32_t p = 0; p < options_.partitionCount; ++p) {
        metrics_->sequence[p]->Set(static_cast<double>(lastSequence_[p]));
      }
      setHealthy(true);
      break;
    } catch (const RedisUnavailable& e) {
      setHealthy(false, std::string("Redis: ") + e.what());
      log_.warn("waiting for Redis", {{"error", e.what()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  auto nextHeartbeat = std::chrono::steady_clock::now();
  while (!stop) {
    auto now = std::chrono::steady_clock::now();
    if (now >= nextHeartbeat) {
      hearSubscriptions();
      heartbeat();
      nextHeartbeat = now + options_.heartbeatInterval;
    }
    // With batches in flight, only frames already waiting are taken: when none are, the oldest
    // batch is answered.
    auto wait =
        inFlight_.empty()
            ? std::min(std::chrono::duration_cast<std::chrono::milliseconds>(nextHeartbeat - now),
                       std::chrono::milliseconds(200))
            : std::chrono::milliseconds(0);
    if (waitReadable(ingest_, wait)) {
      // Checked while Redis stores the batches before it. The pipelines go out in order on one
      // connection, so de-duplication and sequencing see them one after the other, as before.
      startBatch(receiveBatch());
      // A loop: finishing a batch may add a follow-up batch of refusals.
      while (inFlight_.size() > kBatchesInFlight) finishBatch();
    } else {
      finishBatch();
    }
  }
  while (!inFlight_.empty()) finishBatch();
}

std::unique_ptr<Bus::Batch> Bus::receiveBatch() {
  auto batch = std::make_unique<Batch>(spareMemories_);
  batch->started = std::chrono::steady_clock::now();
  batch->frames.reserve(options_.maxBatch);
  std::vector<zmq::message_t> parts;
  double batches = 0;
  while (batch->frames.size() < options_.maxBatch) {
    parts.clear();
    if (!zmq::recv_multipart(ingest_, std::back_inserter(parts), zmq::recv_flags::dontwait)) break;
    auto& message = batch->messages.emplace_back();
    message.first = batch->frames.size();
    if (options_.curve && parts.size() > 1) message.user = parts.back().gets("User-Id");
    takeFrames(parts, *batch);
    message.count = batch->frames.size() - message.first;
    batches += message.batch;
  }
  // Once a batch of them, not once a message (each Increment is an atomic update).
  if (batches > 0) metrics_->batchMessages.Increment(batches);
  if (batch->messages.size() > batches) {
    metrics_->frameMessages.Increment(static_cast<double>(batch->messages.size()) - batches);
  }
  check(*batch);
  return batch;
}

namespace {
std::string_view viewOf(const zmq::message_t& part) {
  return {static_cast<const char*>(part.data()), part.size()};
}
}  // namespace

std::variant<std::vector<std::string_view>, Reason> readBatch(std::string_view bytes,
                                                              std::unique_ptr<FrameReader>& reader) {
  std::optional<size_t> count;
  try {
    reader = std::make_unique<FrameReader>(bytes, FrameReader::Borrowed{}, batchReaderOptions());
    auto list = reader->root<msg::IngestBatch>().getFrames();
    count = list.size();
    if (*count <= kMaxBatchFrames) {
      std::vector<std::string_view> frames;
      frames.reserve(*count);
      for (auto frame : list) frames.emplace_back(frame.asChars().begin(), frame.size());
      return frames;
    }
  } catch (const kj::Exception&) {
    // Unreadable: refused whole, below.
  }
  reader.reset();
  if (count) {
    std::string n = std::to_string(*count), limit = std::to_string(kMaxBatchFrames);
    return Reason{rules::bus::frame::batch.id,
                  "batch：" + n + " 帧，超过 " + limit + " 帧的上限，其中事件均未存储",
                  "batch: " + n + " frames, over the limit of " + limit + "; none of them was stored"};
  }
  return Reason{rules::bus::frame::batch.id,
                "batch：不是可读的 IngestBatch（messages/bus.capnp），其中事件均未存储",
                "batch: not a readable IngestBatch (messages/bus.capnp); none of its events was stored"};
}

void Bus::takeFrames(std::vector<zmq::message_t>& parts, Batch& batch) {
  Message& message = batch.messages.back();
  message.identity = std::move(parts[0]);
  auto frame = [&](std::string_view bytes) -> Pending& {
    Pending& p = batch.frames.emplace_back();
    p.message = batch.messages.size() - 1;
    p.bytes = bytes;
    return p;
  };
  auto refuse = [&](Reason why) {
    Pending& p = frame(viewOf(message.body));
    p.raw = p.bytes;  // the refusal's audit copy
    refuseFrame(p, std::move(why));
  };
  if (parts.size() == 2) {
    message.body = std::move(parts[1]);
    frame(viewOf(message.body));
    return;
  }
  if (parts.size() != 3 || viewOf(parts[1]) != kBatchMarker) {
    refuse({rules::bus::frame::single.id, "一个事件单帧发送；多个事件以 batch 帧加一个 IngestBatch 发送",
            "send one event as a single frame, or several as the frame \"batch\" and an "
            "IngestBatch"});
    return;
  }
  message.batch = true;
  message.body = std::move(parts[2]);
  auto frames = readBatch(viewOf(message.body), message.reader);
  if (auto* refused = std::get_if<Reason>(&frames)) {
    refuse(std::move(*refused));
    return;
  }
  for (auto bytes : std::get<std::vector<std::string_view>>(frames)) frame(bytes);
}

namespace {
// `bytes` copied into `arena`, with a NUL after them (Cap'n Proto's texts are read with one).
std::string_view kept(kj::Arena& arena, std::string_view bytes) {
  auto out = arena.allocateArray<char>(bytes.size() + 1);
  memcpy(out.begin(), bytes.data(), bytes.size());
  out[bytes.size()] = '\0';
  return {out.begin(), bytes.size()};
}

// A frame's eventId, source and refusal (if any) from what readFrame() made of it, onto what
// carries them on (a FrameVerdict, a Pending frame).
template <typename Into>
void takeNames(FrameRead& read, Into& into) {
  into.eventId = read.eventId;
  into.source = read.source;
  into.reason = std::move(read.reason);
  into.reasonZh = std::move(read.reasonZh);
  into.rule = std::move(read.rule);
}
}  // namespace

void readFrame(std::string_view raw, const Catalogue& catalogue, int64_t nowSeconds,
               uint32_t partitionCount, kj::Arena& arena, FrameRead& r) {
  auto tooLarge = frameSizeProblem(raw.size());
  try {
    FrameReader reader(raw, FrameReader::Borrowed{});
    auto event = reader.root<msg::Envelope>();
    // Read even from a frame over the limit (no more than its id and source): its answer carries
    // the eventId its sender matches answers by.
    r.eventId = kept(arena, eventIdViewOf(event));
    r.department = event.getSource();
    r.source = departmentName(*r.department);
    if (tooLarge) {
      refuseFrame(r, {rules::bus::frame::size.id, *tooLarge, *tooLarge});
      return;
    }
    if (auto problem = checkEvent(event, catalogue, nowSeconds)) {
      refuseFrame(r, *problem);
      return;
    }
    r.envelope = framedSegment(canonicalSegment(event), arena);
    // Over the canonical form, so a re-send with the same content is recognised however the
    // sender laid out its message.
    envelopeDigest(r.envelope, r.digest);
    r.partition = partitionOfEvent(event, partitionCount);
  } catch (const kj::Exception&) {
    // These reasons are one line in both languages already ("frame: zh / … envelope: en").
    std::string both = tooLarge ? *tooLarge : unreadableEnvelopeReason(raw);
    refuseFrame(r, {tooLarge ? rules::bus::frame::size.id : rules::bus::frame::readable.id, both,
                    both});
  }
}

FrameVerdict readFrame(std::string_view raw, const Catalogue& catalogue, int64_t nowSeconds,
                       uint32_t partitionCount) {
  kj::Arena arena;
  FrameRead r;
  readFrame(raw, catalogue, nowSeconds, partitionCount, arena, r);
  FrameVerdict v;
  takeNames(r, v);
  v.department = r.department;
  if (v.reason.empty()) {
    v.envelope = r.envelope;
    v.digest.assign(r.digest, sizeof r.digest);
    v.partition = r.partition;
  }
  return v;
}

void Bus::check(Batch& batch) {
  int64_t now = clock_();
  for (auto& p : batch.frames) {
    if (!p.reason.empty()) continue;
    FrameRead read;
    readFrame(p.bytes, catalogue_, now, options_.partitionCount, batch.arena, read);
    takeNames(read, p);
    if (p.reason.empty()) {
      const std::string& user = batch.messages[p.message].user;
      if (auto problem = checkSender(user, *read.department)) refuseFrame(p, *problem);
    }
    if (!p.reason.empty()) {
      p.raw = p.bytes;  // the refusal's audit copy: only a refused frame is copied
      continue;
    }
    p.envelope = read.envelope;
    memcpy(p.digest, read.digest, sizeof p.digest);
    p.partition = read.partition;
  }
}

void Bus::startBatch(std::unique_ptr<Batch> batch) {
  batch->call.emplace(DedupWindow{options_.dedupWindowSeconds}, clock_());
  for (auto& p : batch->frames) {
    if (!p.reason.empty()) continue;
    batch->call->add(p.partition, p.eventId, p.digestText(), p.envelope);
    batch->accepted.push_back(&p);
  }
  if (!batch->call->empty()) batch->owners.push_back(nullptr);
  for (auto& p : batch->frames) {
    if (!p.reason.empty()) batch->owners.push_back(&p);
  }
  if (batch->owners.empty()) {
    // No frame to store: empty batches only, answered in their turn with nothing sent to Redis.
    if (!batch->messages.empty()) inFlight_.push_back(std::move(batch));
    return;
  }
  sendBatch(std::move(batch));
}

void Bus::sendBatch(std::unique_ptr<Batch> batch) {
  try {
    writeCommands(*batch);
    batch->ticket = redis_.send(batch->commands);
  } catch (const RedisUnavailable&) {
    // Left to finishBatch(), which stores the whole batch again.
  }
  inFlight_.push_back(std::move(batch));
}

BatchStore Bus::batchStore() {
  auto store = redis_.hasCommand(storeCommand_) ? BatchStore::kModuleCommand : BatchStore::kFunction;
  if (store != store_) {
    log_.info("storing batches", {{"with", store == BatchStore::kModuleCommand
                                               ? std::string("the log module's ") + kStoreBatchCommand
                                               : std::string("the log's Redis Function")},
                                  {"redis", redis_.address()}});
    store_ = store;
  }
  return store;
}

bool Bus::moduleRefused(const Batch& batch, const std::vector<RedisReply>& replies) {
  if (batch.via != BatchStore::kModuleCommand || !batch.call || batch.call->empty()) return false;
  const RedisReply& reply = replies.front();  // the call's: first in the pipeline
  if (!reply.isError() || (reply.str.rfind("NOPERM", 0) != 0 &&
                           reply.str.find("unknown command") == std::string::npos)) {
    return false;
  }
  redis_.forgetCommand(storeCommand_);
  log_.warn("Redis refused the log module's command: storing with the Function on this connection",
            {{"error", reply.str}, {"redis", redis_.address()}});
  return true;
}

void Bus::writeCommands(Batch& batch) {
  // A batch without a call (refusals only) is the same for either store.
  BatchStore store = batch.call && !batch.call->empty() ? batchStore() : BatchStore::kFunction;
  if (batch.via == store) return;
  batch.commands.clear();
  for (auto* owner : batch.owners) {
    if (owner) {
      batch.commands.add(auditCommand(*owner));
    } else {
      batch.call->appendTo(batch.commands, store);
    }
  }
  // Last in the pipeline, so it waits for every write before it; its reply has no owner.
  if (options_.ackReplicas > 0) {
    batch.commands.add({"WAIT", std::to_string(options_.ackReplicas),
                        std::to_string(options_.replicaWait.count())});
  }
  batch.via = store;
}

void Bus::finishBatch() {
  if (inFlight_.empty()) return;
  auto batch = std::move(inFlight_.front());
  inFlight_.pop_front();
  std::vector<RedisReply> replies;
  bool stored = batch->owners.empty();  // nothing to store
  // Its pipeline is still on its way unless the connection was lost since it was sent.
  if (!stored && batch->ticket && redis_.oldestSent() == batch->ticket) {
    try {
      replies = redis_.collect();
      setHealthy(true);
      stored = !moduleRefused(*batch, replies);  // else stored again below, with the Function
    } catch (const RedisUnavailable& e) {
      setHealthy(false, std::string("Redis: ") + e.what());
      metrics_->redisFaults.Increment();
      log_.warn("storing a batch failed", {{"error", e.what()}});
    }
  }
  // Stored again after a fault: what was stored before is recognised as a duplicate, with its
  // sequence. Unanswered when Redis stays out of reach: the senders re-send.
  if (!stored) {
    try {
      while (redis_.awaitingReplies()) redis_.collect();  // later batches: stored again later
    } catch (const RedisUnavailable&) {
      // Lost with the connection, which pipelineWithRetry() opens again.
    }
    stored = pipelineWithRetry(*batch, replies);
  }
  if (stored && !batch->owners.empty()) record(*batch, replies);
  if (batch->refusalsOf) {
    // Its refusals stored or not (then unanswered: their senders re-send), the batch they belong
    // to may now be answered.
    batch->refusalsOf->awaitingRefusals = false;
  } else if (stored) {
    held_.push_back(std::move(batch));
  }
  // In the order the frames came: a sender's answers keep the order of its frames (docs/ingest.md).
  while (!held_.empty() && !held_.front()->awaitingRefusals) {
    answer(*held_.front());
    held_.pop_front();
  }
}

void Bus::hearSubscriptions() {
  zmq::message_t message;
  bool changed = false;
  while (publish_.recv(message, zmq::recv_flags::dontwait)) {
    if (message.size() == 0) continue;
    std::string prefix(static_cast<const char*>(message.data()) + 1, message.size() - 1);
    if (*static_cast<const char*>(message.data()) == 1) {
      subscriptions_.insert(std::move(prefix));
    } else {
      subscriptions_.erase(prefix);
    }
    changed = true;
  }
  if (!changed) return;
  for (uint32_t p = 0; p < options_.partitionCount; ++p) {
    std::string topic = partitionTopic(p);
    heard_[p] = std::any_of(subscriptions_.begin(), subscriptions_.end(),
                            [&](const std::string& s) { return topic.rfind(s, 0) == 0; });
  }
}

void Bus::answer(Batch& batch) {
  hearSubscriptions();
  // Counted before answered: whoever has an answer finds it in the metrics. Once a batch, not
  // once a frame (each Increment is an atomic update).
  double acks = 0, duplicates = 0, nacks = 0;
  for (const auto& p : batch.frames) {
    if (!p.answered) continue;
    (p.status == Status::ACK ? acks : p.status == Status::DUPLICATE ? duplicates : nacks) += 1;
  }
  if (acks > 0) metrics_->ack.Increment(acks);
  if (duplicates > 0) metrics_->duplicate.Increment(duplicates);
  if (nacks > 0) metrics_->nack.Increment(nacks);
  std::array<capnp::word, 40> replyBuffer;
  kj::Array<capnp::word> largeReply;
  for (const auto& m : batch.messages) {
    auto frames = kj::arrayPtr(batch.frames.data() + m.first, m.count);
    zmq::const_buffer to(m.identity.data(), m.identity.size());
    if (!m.batch) {
      const Pending& p = frames[0];
      if (!p.answered) continue;  // storing unconfirmed: the sender's retry will be answered
      // Built in a first segment on the stack, sized for an answer with a full eventId and no
      // reason; a NACK's reason may spill onto the heap.
      std::array<capnp::word, 32> segment{};
      capnp::MallocMessageBuilder message(kj::arrayPtr(segment.data(), segment.size()));
      fillReply(message.initRoot<msg::IngestReply>(), p);
      auto bytes = flatBytes(message, replyBuffer, largeReply);
      std::array<zmq::const_buffer, 2> parts{to, zmq::buffer(bytes.begin(), bytes.size())};
      zmq::send_multipart(ingest_, parts, zmq::send_flags::dontwait);
      continue;
    }
    auto answered = std::count_if(frames.begin(), frames.end(),
                                  [](const Pending& p) { return p.answered; });
    if (answered == 0 && frames.size() > 0) continue;  // resent whole, and answered then
    // A first segment of the size an answer of a full eventId and no reason takes in a list.
    capnp::MallocMessageBuilder message(static_cast<unsigned>(answered) * 16 + 8);
    auto replies = message.initRoot<msg::IngestBatchReply>().initReplies(answered);
    unsigned next = 0;
    for (const auto& p : frames) {
      if (p.answered) fillReply(replies[next++], p);
    }
    auto bytes = flatBytes(message, replyBuffer, largeReply);
    std::array<zmq::const_buffer, 3> parts{to, zmq::buffer(kBatchMarker),
                                           zmq::buffer(bytes.begin(), bytes.size())};
    zmq::send_multipart(ingest_, parts, zmq::send_flags::dontwait);
  }
  for (const auto& p : batch.frames) {
    if (p.answered && p.status == Status::ACK && heard_[p.partition]) {
      publish_.send(zmq::buffer(partitionTopic(p.partition)), zmq::send_flags::sndmore);
      publish_.send(zmq::buffer(std::to_string(p.sequence)), zmq::send_flags::sndmore);
      publish_.send(zmq::const_buffer(p.envelope.data(), p.envelope.size()), zmq::send_flags::none);
    }
  }
  metrics_->batchSeconds.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - batch.started).count());
}

void Bus::record(Batch& batch, const std::vector<RedisReply>& replies) {
  if (options_.ackReplicas > 0) {
    // Stored on the primary but not confirmed by enough replicas: a failover now could lose it, so
    // none of it is answered (or announced); the senders re-send and are answered DUPLICATE once
    // a replica has it.
    const RedisReply& wait = replies.back();
    if (wait.type != RedisReply::Type::kInteger || wait.integer < options_.ackReplicas) {
      std::string why = std::to_string(wait.integer) + " of " +
                        std::to_string(options_.ackReplicas) + " replicas confirmed a batch within " +
                        std::to_string(options_.replicaWait.count()) + " ms (WAIT)";
      setHealthy(false, why);
      metrics_->unreplicated.Increment();
      log_.warn("a batch left unanswered: not replicated", {{"why", why}});
      return;
    }
  }
  size_t next = 0;  // the reply read next
  std::vector<Pending*> conflicts;  // eventIds reused for other content: refused after the fact
  if (batch.call && !batch.call->empty()) {
    const RedisReply& stored = replies[next++];
    std::vector<RecordBatchCall::Outcome> outcomes;
    try {
      outcomes = batch.call->outcomes(stored);
    } catch (const RedisUnavailable& e) {
      log_.error("Redis refused a batch", {{"error", e.what()}});  // unanswered
    }
    for (size_t i = 0; i < outcomes.size(); ++i) {
      Pending& p = *batch.accepted[i];
      const auto& o = outcomes[i];
      p.answered = true;
      if (o.stored) {
        p.status = Status::ACK;
        p.sequence = *o.stored;
        noteStored(p.partition, p.sequence);
        continue;
      }
      // Where the event first stored under this eventId is, and its digest.
      if (!o.before) {
        log_.error("a de-duplication entry is not partition:sequence:digest",
                   {{"eventId", std::string(p.eventId)}});
        p.answered = false;  // the sender re-sends; the entry needs looking into
        continue;
      }
      if (o.before->digest != p.digestText()) {
        p.status = Status::NACK;
        std::string id(p.eventId);
        refuseFrame(p, {rules::bus::event::event_id.id,
                        "eventId " + id + " 已用于另一个事件，每个事件须有自己的 eventId",
                        "eventId " + id +
                            " was already used for a different event; give each event its own id"});
        p.raw = p.envelope;
        conflicts.push_back(&p);
        continue;
      }
      p.status = Status::DUPLICATE;
      p.partition = o.before->partition;
      p.sequence = o.before->sequence;
      // Perhaps stored by an attempt whose reply was lost: announced all the same.
      noteStored(p.partition, p.sequence);
    }
  }
  for (; next < batch.owners.size(); ++next) {
    if (replies[next].isError()) {
      log_.error("Redis refused a write", {{"error", replies[next].str}});
      continue;  // unanswered
    }
    batch.owners[next]->answered = true;  // a NACK, audit copy stored
  }
  reportSequences();
  if (conflicts.empty()) return;
  // A refusal is answered only once its audit copy is stored: by a follow-up batch, pipelined
  // behind those in flight (a call of its own now would cut into their replies).
  auto refusals = std::make_unique<Batch>(spareMemories_);
  refusals->refusalsOf = &batch;
  for (auto* p : conflicts) {
    p->answered = false;
    refusals->owners.push_back(p);
  }
  batch.awaitingRefusals = true;
  sendBatch(std::move(refusals));
}

void Bus::noteStored(uint32_t partition, uint64_t sequence) {
  // A partition of an earlier configuration (fewer partitions) is not this bus's to announce.
  if (partition >= lastSequence_.size() || sequence <= lastSequence_[partition]) return;
  lastSequence_[partition] = sequence;
  sequencesMoved_ = true;
}

void Bus::reportSequences() {
  if (!sequencesMoved_) return;
  for (uint32_t p = 0; p < lastSequence_.size(); ++p) {
    metrics_->sequence[p]->Set(static_cast<double>(lastSequence_[p]));
  }
  sequencesMoved_ = false;
}

size_t refusalCost(size_t frameBytes) {
  // Fields in both: the reasons in two languages, a rule id and an eventId (≤ 64 bytes each, as
  // eventIdOf quotes it), a department's name (the schema's longest is 16), an entry id or a
  // length (≤ 24 digits).
  constexpr size_t kFields = 2 * kMaxKeptReasonBytes + 64 + 64 + 32 + 24;
  constexpr size_t kRedisOverhead = 512;  // per entry and key together, with room to spare
  return frameBytes + 2 * kFields + kRedisOverhead;
}

int64_t refusalsKept(const BusOptions& options) {
  return std::max<int64_t>(1, options.rejectedBytes / refusalCost(options.rejectedFrameBytes));
}

namespace {
// The first `bytes` of a text, not cutting a UTF-8 character in two.
std::string utf8Prefix(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}
}  // namespace

RedisCommand Bus::auditCommand(const Pending& p) const {
  return {"EVAL",
          kRefusalScript,
          "2",
          keys::kRejected,
          keys::refusal(std::string(p.eventId)),
          std::to_string(refusalsKept(options_)),
          std::to_string(options_.dedupWindowSeconds),
          utf8Prefix(p.reason, kMaxKeptReasonBytes),
          std::string(p.eventId),
          std::string(p.source),
          p.raw.substr(0, options_.rejectedFrameBytes),
          std::to_string(p.raw.size()),
          keys::refusal(""),
          p.rule,
          utf8Prefix(p.reasonZh, kMaxKeptReasonBytes)};
}

bool Bus::pipelineWithRetry(Batch& batch, std::vector<RedisReply>& replies) {
  for (int attempt = 1;; ++attempt) {
    try {
      writeCommands(batch);  // a failover may have reached a server without the module
      replies = redis_.pipeline(batch.commands);
      if (moduleRefused(batch, replies)) continue;  // written again for the Function
      setHealthy(true);
      return true;
    } catch (const RedisUnavailable& e) {
      setHealthy(false, std::string("Redis: ") + e.what());
      metrics_->redisFaults.Increment();
      log_.warn("storing a batch failed",
                {{"error", e.what()}, {"attempt", std::to_string(attempt)}});
      if (attempt == 3) return false;
      // A restarted Redis that lost the log's function has it again once reconnected.
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
  }
}

std::optional<Reason> Bus::checkSender(const std::string& user, msg::Department source) const {
  if (!options_.curve || user == "operator" || user == "gateway") return std::nullopt;
  if (user == departmentName(source)) return std::nullopt;
  return Reason{rules::bus::event::source.id,
                "source：此密钥属于 " + user + "，只能发送 " + user + " 的事件",
                "source: this key belongs to " + user + " and may send only " + user + "'s events"};
}

void Bus::heartbeat() {
  for (uint32_t p = 0; p < options_.partitionCount; ++p) {
    if (!heard_[p]) continue;
    publish_.send(zmq::buffer(partitionTopic(p)), zmq::send_flags::sndmore);
    publish_.send(zmq::buffer(std::to_string(lastSequence_[p])), zmq::send_flags::sndmore);
    publish_.send(zmq::const_buffer(), zmq::send_flags::none);
  }
}

void Bus::setHealthy(bool healthy, std::string why) {
  std::lock_guard lock(unreadyMutex_);
  healthy_ = healthy;
  unready_ = healthy ? "" : std::move(why);
}

std::optional<std::string> Bus::notReadyBecause() const {
  std::lock_guard lock(unreadyMutex_);
  if (healthy_) return std::nullopt;
  return unready_;
}

}  // namespace mwp::bus
