// mwp-bus: takes events in, checks them, de-duplicates, sequences and stores them durably,
// acknowledges, and fans them out. Path of one frame (a message of its own, or one of a batch's):
//   ROUTER ingest → size and Cap'n Proto checks → checkEvent (schema rules, catalogue) →
//   one call of the log's Redis Function per batch (dedup + sequence + one record batch per
//   partition) → reply →
//   PUB [topic][sequence][envelope] (XPUB: only topics someone subscribes to).
// A refused frame gets a NACK with the reason and an audit copy in the rejected-events stream.
// Nothing is answered before Redis has it — and, with ackReplicas, before that many replicas have
// it (WAIT after each batch): "acknowledged" then means "on two machines". Single-threaded: run()
// owns both sockets; healthy() and notReadyBecause() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <kj/arena.h>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>
#include <zmq.hpp>

#include "catalogue.h"
#include "curve.h"
#include "event_log.h"
#include "frames.h"
#include "log.h"
#include "redis.h"
#include "rules.h"
#include "state_keys.h"

namespace prometheus {
class Registry;
}

namespace mwp::bus {

// What the bus makes of one frame before storing it: the event's id and source, and either why it
// is refused or its canonical form, digest and partition. Never throws: any bytes get an answer.
struct FrameVerdict {
  std::string eventId;  // cut to 64 characters, as eventIdOfFrame() does
  std::string source;   // the department's name, for the audit copy
  std::optional<msg::Department> department;
  std::string reason;    // why it is refused, in English; "" when accepted
  std::string reasonZh;  // in Chinese
  std::string rule;      // the rule it breaks (common/core/rules.json)
  std::string envelope;  // canonical bytes of an accepted event
  std::string digest;    // of the canonical bytes: a re-send is recognised by it
  uint32_t partition = 0;
};
FrameVerdict readFrame(std::string_view raw, const Catalogue& catalogue, int64_t nowSeconds,
                       uint32_t partitionCount);

// The same as the bus reads each frame: `raw` read where it lies (it must stay unchanged while
// read), what is kept of it — the eventId, the canonical envelope — written into `arena`, so an
// accepted frame costs no allocation of its own. The views live as long as the arena.
struct FrameRead {
  std::string_view eventId;  // in the arena, cut to 64 characters
  std::string_view source;   // the department's name, for the audit copy ("" when unreadable)
  std::optional<msg::Department> department;
  std::string reason;  // why it is refused, in English; "" when accepted
  std::string reasonZh;
  std::string rule;
  std::string_view envelope;  // canonical bytes of an accepted event, in the arena
  char digest[16] = {};       // of the canonical bytes (envelopeDigest), for an accepted event
  uint32_t partition = 0;
};
void readFrame(std::string_view raw, const Catalogue& catalogue, int64_t nowSeconds,
               uint32_t partitionCount, kj::Arena& arena, FrameRead& read);

// The frames of a batch (an IngestBatch, docs/ingest.md), read where `bytes` lie through `reader`,
// which the frames then point into (both must outlive them); or why the batch is refused whole
// (unreadable, more than kMaxBatchFrames). Each frame is then read as readFrame() reads one.
std::variant<std::vector<std::string_view>, Reason> readBatch(std::string_view bytes,
                                                              std::unique_ptr<FrameReader>& reader);

struct BusOptions {
  std::string ingestEndpoint = "tcp://127.0.0.1:7101";
  std::string publishEndpoint = "tcp://127.0.0.1:7102";
  uint32_t partitionCount = 8;
  int64_t dedupWindowSeconds = 30 * 24 * 3600;  // how long an eventId is remembered
  std::chrono::milliseconds heartbeatInterval{1000};
  size_t maxBatch = 512;  // frames taken per Redis round trip
  // Refused frames are kept for audit, each as an entry of the rejected-events stream and its
  // reason under its eventId (a refusal key), within about this much of Redis's memory: when full,
  // the oldest go, keys with them. Of each frame only the first rejectedFrameBytes are kept.
  size_t rejectedBytes = 64 << 20;
  size_t rejectedFrameBytes = 1024;
  // Replicas that must confirm a batch (Redis WAIT) before any of it is answered; 0: none. A batch
  // they do not confirm within replicaWait goes unanswered, so its senders re-send it.
  int ackReplicas = 0;
  std::chrono::milliseconds replicaWait{1000};
  // CURVE on the ingest and the fan-out: the server's key pair. The process must also run a
  // ZapHandler listing the client keys (the fan-out takes only mwp's own parts): a key's user id is
  // a department (which may send only its own events), mwpService (derived events only), or
  // operator / gateway (any: they authenticate people).
  std::optional<CurveKeys> curve;
};

// Of a refusal's reason, at most this many bytes are kept (reasons are the bus's own, and shorter).
constexpr size_t kMaxKeptReasonBytes = 512;

// The most one kept refusal costs in Redis: its stream entry (reason, eventId, source, the frame's
// first `frameBytes`, its length) and its refusal key (reason, source, entry id), with what Redis
// spends on each entry and key (measured: BusTest.RefusalsStayWithinTheirBudgetInRedis).
size_t refusalCost(size_t frameBytes);
// How many refusals are kept: as many as rejectedBytes holds at their largest, at least one.
int64_t refusalsKept(const BusOptions& options);

class Bus {
 public:
  Bus(BusOptions options, zmq::context_t& context, Redis& redis, const Catalogue& catalogue,
      Clock clock, prometheus::Registry& registry);
  ~Bus();

  // Binds both sockets; throws zmq::error_t if an endpoint is taken.
  void bind();
  // Serves until `stop`. Faults of Redis are logged and retried; frames whose storing could not
  // be confirmed get no answer, so their senders re-send them (safe: de-duplication).
  void run(const std::atomic<bool>& stop);
  // Whether the last round trip to Redis succeeded (and its batch was replicated as asked).
  bool healthy() const { return healthy_; }
  // Why the bus is not healthy, for /readyz; nullopt when it is.
  std::optional<std::string> notReadyBecause() const;

 private:
  struct Metrics;
  // One ZeroMQ message as received: one frame, or a batch of them (kBatchMarker, IngestBatch).
  // Kept where it was received (a deque's element) while its frames are read in place.
  struct Message {
    zmq::message_t identity;
    zmq::message_t body;  // the frame, or the batch's IngestBatch
    std::string user;     // the CURVE key's user id ("" without CURVE)
    bool batch = false;   // answered as a batch: kBatchMarker and an IngestBatchReply
    std::unique_ptr<FrameReader> reader;  // a batch's: its frames are views into what it reads
    size_t first = 0, count = 0;          // its frames among the batch's
  };
  struct Pending;
  struct Batch;
  // The frames waiting on the ingest socket (messages until there are maxBatch frames), checked.
  std::unique_ptr<Batch> receiveBatch();
  // The frames of a message just received (the last of batch.messages), added to the batch's: its
  // one frame, a batch's frames, or the message's refusal.
  void takeFrames(std::vector<zmq::message_t>& parts, Batch& batch);
  void check(Batch& batch);
  // Makes a batch's call and sends its pipeline (sendBatch: with WAIT when replicas must confirm)
  // without waiting: it is then in flight while the next is checked.
  void startBatch(std::unique_ptr<Batch> batch);
  void sendBatch(std::unique_ptr<Batch> batch);
  // Writes the batch's pipeline, unless written already for the store this connection has: the
  // log module's command where Redis has it, else the Function. Throws RedisUnavailable when Redis
  // cannot be reached to ask.
  void writeCommands(Batch& batch);
  BatchStore batchStore();
  // Whether Redis refused the log module's command itself in the batch's replies (NOPERM: the
  // user lacks +mwp.store_batch; or an unknown command: the module is gone). The connection then
  // stores with the Function, and the caller stores the batch again.
  bool moduleRefused(const Batch& batch, const std::vector<RedisReply>& replies);
  // Waits for the oldest batch in flight, if any (storing it again after a fault), and answers it
  // with the batches held behind it, unless it waits for its refusals.
  void finishBatch();
  void record(Batch& batch, const std::vector<RedisReply>& replies);
  void answer(Batch& batch);
  void heartbeat();
  // Reads what the fan-out's subscribers asked for (XPUB hands over each topic prefix when its
  // first subscriber comes and when its last goes): a partition nobody hears is not sent, so an
  // event costs no copy for the fan-out without a subscriber. One subscribing meanwhile misses
  // nothing: it reads the log up to the heartbeat, as after any gap.
  void hearSubscriptions();
  // The log holds an event of `partition` at `sequence`: heartbeats announce at least that much,
  // so followers read up to it even when its answer was a duplicate.
  void noteStored(uint32_t partition, uint64_t sequence);
  // Sets the sequence gauges to what noteStored() noted: once a batch, not once an event.
  void reportSequences();
  // Whether the key a frame came with may send events of `source`; the reason if not.
  std::optional<Reason> checkSender(const std::string& user, msg::Department source) const;
  RedisCommand auditCommand(const Pending& p) const;
  // Sends the batch's pipeline (written again for a server with the other store), retrying twice
  // after a fault; false if Redis stayed out of reach.
  bool pipelineWithRetry(Batch& batch, std::vector<RedisReply>& replies);

  BusOptions options_;
  zmq::socket_t ingest_;
  zmq::socket_t publish_;
  Redis& redis_;
  size_t storeCommand_;  // the log module's command, as Redis::addOptionalCommand names it
  std::optional<BatchStore> store_;  // the store last used, to log each change once
  const Catalogue& catalogue_;
  Clock clock_;
  Logger log_{"bus"};
  std::unique_ptr<Metrics> metrics_;
  std::vector<uint64_t> lastSequence_;
  bool sequencesMoved_ = false;  // since the gauges were last set
  std::set<std::string> subscriptions_;  // the fan-out's topic prefixes someone subscribes to
  std::vector<bool> heard_;              // per partition: whether its topic has a subscriber
  // Batches whose pipelines were sent and are not yet answered, oldest first. Two at most once a
  // third is checked: Redis always has the next batch queued while the bus checks one.
  static constexpr size_t kBatchesInFlight = 2;
  // A batch's arena starts in memory of this much, which holds a full batch of 400-byte events
  // (beyond it the arena takes chunks of its own). That memory, the frames' vector and the
  // pipeline's buffer go back among the spares when the batch is done, of which the bus keeps as
  // many as batches are ever alive at once: taken fresh each batch, their pages were zeroed by the
  // kernel again each time (page faults were 3 % of the bus's samples).
  static constexpr size_t kArenaScratchBytes = 512 * 1024;
  static constexpr size_t kSpareMemories = kBatchesInFlight + 4;
  struct BatchMemory {
    kj::Array<kj::byte> arenaScratch;
    std::deque<Message> messages;
    std::vector<Pending> frames;
    RedisPipeline commands;
  };
  std::vector<BatchMemory> spareMemories_;  // before the batches: they hand theirs back
  std::deque<std::unique_ptr<Batch>> inFlight_;
  // Batches stored and not yet answered, oldest first: the first waits for its refusals' audit
  // copies, the others behind it so that answers keep the frames' order.
  std::deque<std::unique_ptr<Batch>> held_;
  std::atomic<bool> healthy_{false};
  mutable std::mutex unreadyMutex_;
  std::string unready_ = "not started";  // why not healthy; guarded by unreadyMutex_
  void setHealthy(bool healthy, std::string why = "");
};

}  // namespace mwp::bus
