// The two sides of the bus a program uses.
//
// Publisher: sends events to the bus's ingest socket and waits for each one's answer, re-sending
// what is unanswered after a timeout on a fresh connection. Frames waiting together go as batches
// (several events in one message, docs/ingest.md), each event answered as on its own. Re-sending is safe because the bus
// de-duplicates by eventId; an answer, a refusal too, is final. A frame over kMaxFrameBytes is
// refused here, as the bus would, and never sent: ZeroMQ drops the connection of a message past
// the bus's socket limit unread, so the bus could not answer it. Not thread-safe.
//
// EventFollower: delivers every event of a set of partitions exactly once and in sequence order,
// after a cursor. PUB/SUB may drop messages; a gap, a heartbeat ahead of the cursor or a late
// start makes it read the missing range from the Redis log. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "curve.h"
#include "event_log.h"
#include "mwp/messages/bus.capnp.h"
#include "mwp/messages/events.capnp.h"

namespace mwp {

struct BusUnreachable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct IngestResult {
  msg::IngestReply::Status status = msg::IngestReply::Status::NACK;
  std::string eventId;
  uint32_t partition = 0;
  uint64_t sequence = 0;
  std::string reason;    // for a NACK, in English
  std::string rule;      // for a NACK, the rule it breaks (common/core/rules.json)
  std::string reasonZh;  // for a NACK, in Chinese
};

struct PublisherOptions {
  // Silence after which unanswered frames are re-sent.
  std::chrono::milliseconds replyTimeout{2000};
  int attempts = 5;                  // consecutive silent timeouts before giving up
  // Frames in flight at once. The bus's batches overlap on their way through its threads and
  // Redis only when there are several batches' worth unanswered: 2,048 took 17 % more a second
  // than 512 on the bench machine (docs/performance.md, "How many in flight").
  size_t window = 2048;
  // Frames sent together in one message (a batch) when that many are waiting: CurveZMQ then seals
  // one message where it sealed one per event. 1: every frame a message of its own.
  size_t framesPerMessage = 64;
  std::optional<CurveClient> curve;  // set when the bus's ingest speaks CURVE
};

class Publisher {
 public:
  Publisher(zmq::context_t& context, std::string endpoint, PublisherOptions options = {});

  // One result per frame, in the order given. Throws BusUnreachable when the bus stays silent
  // through every attempt; results already received are then lost to the caller, but every frame
  // may be sent again safely.
  std::vector<IngestResult> publish(const std::vector<std::string>& frames);
  IngestResult publish(const std::string& frame) { return publish(std::vector{frame}).front(); }

 private:
  void reconnect();
  // Sends frames[i] for each i of `indices`, in order: in batches of up to framesPerMessage
  // frames and kMaxMessageBytes, a frame alone when no other goes with it.
  void send(const std::vector<std::string>& frames, const std::vector<size_t>& indices);

  zmq::context_t& context_;
  std::string endpoint_;
  PublisherOptions options_;
  zmq::socket_t socket_;
};

// Waits until `socket` has a message or `timeout` passes. A signal (SIGTERM on its way to the
// stop flag) ends the wait early instead of throwing EINTR. Returns whether a message is ready.
bool waitReadable(zmq::socket_t& socket, std::chrono::milliseconds timeout);

// The eventId an envelope carries as the bus quotes it back (cut to 64 bytes): what a sender
// matches the bus's answer with. The bus reads it with this too.
std::string eventIdOf(msg::Envelope::Reader envelope);
// The same, where the message holds it (valid as long as the message's bytes).
std::string_view eventIdViewOf(msg::Envelope::Reader envelope);
// The eventId a frame carries, read the way the bus reads it; "" when the frame is unreadable (the
// bus's answer then says "" too, and is matched by the frame's place among those in flight).
std::string eventIdOfFrame(const std::string& frame);

class EventFollower {
 public:
  // `cursors`: for each owned partition, the last sequence already applied (0: none).
  // `curve`: this follower's key and the bus's, when the fan-out speaks CURVE.
  EventFollower(zmq::context_t& context, const std::string& publishEndpoint, Redis& redis,
                std::map<uint32_t, uint64_t> cursors,
                const std::optional<CurveClient>& curve = std::nullopt);

  // Up to `maxEvents` events after the cursors, in order within each partition, each exactly once;
  // waits up to `timeout` when nothing is ready. Throws RedisUnavailable while catching up fails.
  std::vector<LoggedEvent> poll(std::chrono::milliseconds timeout, size_t maxEvents);

  // Whether poll() would return events at once: the log holds events beyond the cursors, or the
  // bus has sent some. A caller can then keep work in flight instead of finishing it first.
  bool ready();

  const std::map<uint32_t, uint64_t>& cursors() const { return cursors_; }
  // The highest sequence the bus has announced for a partition (its cursor until it has heard).
  uint64_t announced(uint32_t partition) const;
  uint64_t catchUpReads() const { return catchUpReads_; }

 private:
  void accept(LoggedEvent event, std::vector<LoggedEvent>& out);
  void catchUp(uint32_t partition, uint64_t through, std::vector<LoggedEvent>& out, size_t limit);

  Redis& redis_;
  zmq::socket_t socket_;
  std::map<uint32_t, uint64_t> cursors_;
  std::map<uint32_t, uint64_t> known_;  // highest sequence the bus has announced per partition
  // Stored events read from the log beyond what poll() has returned: the log is read in pages
  // larger than a batch, so catching up costs fewer round trips.
  std::map<uint32_t, std::deque<LoggedEvent>> readAhead_;
  uint64_t catchUpReads_ = 0;
};

}  // namespace mwp
