// The durable event log in Redis: one stream per partition whose entry ids are the partition's
// sequence numbers (`<seq>-0`), a de-duplication key per eventId, and the rejected-events stream.
// The bus writes it; services read missed ranges from it. This file is the only place that knows
// the key names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "redis.h"

namespace mwp {

namespace keys {
std::string log(uint32_t partition);       // stream: <seq>-0 → e=<envelope bytes>
std::string sequence(uint32_t partition);  // the partition's last sequence number
std::string dedup(const std::string& eventId);
inline const std::string kRejected = "mwp:rejected";
// hash: reason, source, entry (its id in kRejected): the bus's refusal of an eventId, while its
// entry is kept (and at most the de-duplication window).
std::string refusal(const std::string& eventId);
}  // namespace keys

// The Lua script that keeps one refusal: appended to the rejected-events stream, and its reason
// under the eventId for `seconds` (a lookup by id needs no scan). The stream is held to `kept`
// entries exactly: the oldest go first, with the refusal keys still pointing at them, so the
// stream and the keys are bounded together.
//   KEYS: kRejected, refusal(eventId)
//   ARGV: kept, seconds, reason, eventId, source, frame (its kept prefix), the frame's length in
//         bytes, refusal("") (the keys' prefix)
//   returns the stream entry's id.
extern const char* const kRefusalScript;

// The bus's refusal of an event, as its refusal key holds it.
struct Refusal {
  std::string reason;
  std::string source;  // the department the frame named ("" when unreadable)
};
// The command that reads an eventId's refusal, and its reply read back (nullopt: none kept).
RedisCommand refusalQuery(const std::string& eventId);
std::optional<Refusal> parseRefusal(const RedisReply& reply);

// The Lua script that stores one event, atomically: if the eventId was stored within the
// de-duplication window, return the original's placement; otherwise take the next sequence,
// append to the stream and remember the eventId.
//   KEYS: dedup, sequence, log   ARGV: envelope, digest, window seconds, partition
//   returns {1, seq} stored now, or {0, "partition:seq:digest"} stored before.
extern const char* const kIngestScript;

// Where an eventId's event was stored, as its de-duplication key holds it:
// "<partition>:<sequence>:<digest>" (written by kIngestScript, read only through this).
struct DedupEntry {
  uint32_t partition = 0;
  uint64_t sequence = 0;
  std::string digest;  // of the canonical envelope: a re-send with other content is a conflict
};
// nullopt for text not of that shape.
std::optional<DedupEntry> parseDedupEntry(const std::string& text);

struct LoggedEvent {
  uint32_t partition = 0;
  uint64_t sequence = 0;
  std::string envelope;  // Cap'n Proto flat bytes; empty for a heartbeat
};

// Events of one partition with sequence ≥ from, at most `count`, in order.
std::vector<LoggedEvent> readLog(Redis& redis, uint32_t partition, uint64_t from, size_t count);

// The last sequence stored in each partition (0 when none).
std::vector<uint64_t> lastSequences(Redis& redis, uint32_t partitionCount);

// The topic a partition's events and heartbeats are published under. Fixed width and a closing
// dot, so subscribing to partition 1 does not also subscribe to 10–19.
std::string partitionTopic(uint32_t partition);
std::optional<uint32_t> partitionOfTopic(const std::string& topic);

}  // namespace mwp
