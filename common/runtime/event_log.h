// The durable event log in Redis: one stream per partition whose entries are record batches — what
// one batch of the bus brought for that partition, its envelopes back to back, under the id
// `<first sequence>-0` (an event's sequence is the entry's plus its offset in it) — the window's
// de-duplication buckets, and the rejected-events stream. The bus writes it, with one call of the
// log's Redis Function per batch; services read missed ranges from it. This file is the only place
// that knows the key names and the entries' layout.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis.h"

namespace mwp {

namespace keys {
std::string log(uint32_t partition);       // stream: <first seq>-0 → e=<envelopes back to back>
std::string sequence(uint32_t partition);  // the partition's last sequence number
// hash: eventId → "<partition>:<sequence>:<digest>", for the ids first stored in bucket `bucket`
// of the de-duplication window (see DedupWindow).
std::string dedupBucket(int64_t bucket);
inline const std::string kRejected = "mwp:rejected";
// hash: reason, source, rule, reasonZh, entry (its id in kRejected): the bus's refusal of an
// eventId, while its entry is kept (and at most the de-duplication window).
std::string refusal(const std::string& eventId);
}  // namespace keys

// The Lua script that keeps one refusal: appended to the rejected-events stream, and its reason
// under the eventId for `seconds` (a lookup by id needs no scan). The stream is held to `kept`
// entries exactly: the oldest go first, with the refusal keys still pointing at them, so the
// stream and the keys are bounded together.
//   KEYS: kRejected, refusal(eventId)
//   ARGV: kept, seconds, reason (English), eventId, source, frame (its kept prefix), the frame's
//         length in bytes, refusal("") (the keys' prefix), rule, reasonZh (Chinese)
//   returns the stream entry's id.
extern const char* const kRefusalScript;

// The bus's refusal of an event, as its refusal key holds it.
struct Refusal {
  std::string reason;    // in English
  std::string source;    // the department the frame named ("" when unreadable)
  std::string rule;      // the rule it broke (docs/rules.md); "" if kept by an older bus
  std::string reasonZh;  // in Chinese; "" likewise
};
// The command that reads an eventId's refusal, and its reply read back (nullopt: none kept).
RedisCommand refusalQuery(const std::string& eventId);
std::optional<Refusal> parseRefusal(const RedisReply& reply);

// Where an eventId's event was stored, as its de-duplication entry holds it:
// "<partition>:<sequence>:<digest>" (written by the log's function, read only through this).
struct DedupEntry {
  uint32_t partition = 0;
  uint64_t sequence = 0;
  std::string digest;  // of the canonical envelope: a re-send with other content is a conflict
};
// nullopt for text not of that shape.
std::optional<DedupEntry> parseDedupEntry(const std::string& text);
// The digest kept beside an event's place, of its canonical envelope: XXH3-64 in hex, which reads
// 400 bytes in tens of nanoseconds (FNV-1a went a byte at a time). It tells a re-send from other
// content under a reused eventId; it is not a defence against a sender forging collisions (that
// sender could as well send its own events: CURVE keys say who may send what).
std::string envelopeDigest(std::string_view canonical);
// The same, into `out` without allocating: the bus's, per event.
void envelopeDigest(std::string_view canonical, char (&out)[16]);

// The de-duplication window, kept in buckets of time that expire whole instead of one key per
// eventId (a key each cost Redis a key object and an expiry, and the bus one command): an id goes
// into the bucket of the time it was first stored, which lives until the window has passed over
// that bucket's end, so an id is remembered at least `seconds` and at most `seconds` plus one
// bucket. A lookup checks every bucket the window covers: kBuckets + 1 of them.
struct DedupWindow {
  static constexpr int64_t kBuckets = 4;  // more: less memory past the window, more lookups
  int64_t seconds = 30 * 24 * 3600;

  int64_t bucketSeconds() const { return std::max<int64_t>(1, (seconds + kBuckets - 1) / kBuckets); }
  // The buckets a lookup at `now` (Unix seconds) checks, oldest first; the last one takes new ids.
  std::vector<std::string> bucketKeys(int64_t now) const;
  // How long the newest of them must still live, from `now`.
  int64_t newestBucketSeconds(int64_t now) const;
};

// Where the event first stored under `eventId` within the window is, and its digest; nullopt when
// none is (or its entry is not of the shape above). One round trip.
std::optional<DedupEntry> findStored(Redis& redis, const DedupWindow& window,
                                     const std::string& eventId, int64_t now);

// The log's Redis Function library; its version is in its name, so a bus of another version keeps
// calling its own during a rolling update. The bus loads it (Redis::addFunctionLibrary).
extern const char* const kLogFunctions;

// The log module's command (services/bus/log_module, mwp_log.so): the Function's store_batch in
// native code, with the same keys, arguments and reply. For a Redis started with --loadmodule.
extern const char* const kStoreBatchCommand;

// Which of the two stores a batch: the Function (every Redis that took FUNCTION LOAD) or the
// module's command (a Redis that loaded it: Redis::hasCommand tells).
enum class BatchStore { kFunction, kModuleCommand };

// One call of the log's function that stores a batch, atomically: each event whose eventId the
// window does not hold takes the next sequence of its partition, and what a partition gets becomes
// one stream entry; one whose id it holds — stored before, or earlier in the same batch — is
// answered with the original's place and digest. Events are added in the batch's order; the
// bytes given to add() must outlive the call (it keeps views of them).
class RecordBatchCall {
 public:
  RecordBatchCall(const DedupWindow& window, int64_t now) : window_(window), now_(now) {}
  void add(uint32_t partition, std::string_view eventId, std::string_view digest,
           std::string_view envelope);
  bool empty() const { return count_ == 0; }
  // Writes the call into `pipeline`, as an FCALL or as the module's command: each envelope is
  // copied once, from where add() found it.
  void appendTo(RedisPipeline& pipeline, BatchStore store = BatchStore::kFunction) const;

  // What became of one event.
  struct Outcome {
    std::optional<uint64_t> stored;    // its sequence, when stored by this call
    std::optional<DedupEntry> before;  // else where it was stored before (nullopt: unreadable)
  };
  // The call's reply, as outcomes in the order the events were added; throws RedisUnavailable if
  // the reply is not of the function's shape.
  std::vector<Outcome> outcomes(const RedisReply& reply) const;

 private:
  struct Event {
    std::string_view eventId;
    std::string_view digest;
    std::string_view envelope;
    size_t added;  // its place in the order of add()
  };
  DedupWindow window_;
  int64_t now_;
  size_t count_ = 0;
  std::vector<std::pair<uint32_t, std::vector<Event>>> partitions_;  // in order of first event
};

struct LoggedEvent {
  uint32_t partition = 0;
  uint64_t sequence = 0;
  std::string envelope;  // Cap'n Proto flat bytes; empty for a heartbeat
};

// The envelopes of one record batch's entry, in order (each a flat Cap'n Proto message, which
// says its own length); throws std::invalid_argument when the bytes do not split into messages.
std::vector<std::string> splitRecordBatch(std::string_view entry);

// Events of one partition with sequence ≥ from, at most `count`, in order.
std::vector<LoggedEvent> readLog(Redis& redis, uint32_t partition, uint64_t from, size_t count);

// The last sequence stored in each partition (0 when none).
std::vector<uint64_t> lastSequences(Redis& redis, uint32_t partitionCount);

// The topic a partition's events and heartbeats are published under. Fixed width and a closing
// dot, so subscribing to partition 1 does not also subscribe to 10–19.
std::string partitionTopic(uint32_t partition);
std::optional<uint32_t> partitionOfTopic(const std::string& topic);

}  // namespace mwp
