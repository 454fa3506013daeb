#include "bus_client.h"

#include <algorithm>
#include <deque>
#include <zmq_addon.hpp>

#include "frames.h"
#include "mwp/rule_names.h"
#include "mwp/messages/events.capnp.h"

namespace mwp {

std::string_view eventIdViewOf(msg::Envelope::Reader envelope) {
  // Up to a NUL inside the text, as a C string reads: what every sender's library quotes back.
  return std::string_view(envelope.getEventId().cStr()).substr(0, 64);
}

std::string eventIdOf(msg::Envelope::Reader envelope) { return std::string(eventIdViewOf(envelope)); }

std::string eventIdOfFrame(const std::string& frame) {
  try {
    FrameReader reader(frame, FrameReader::Borrowed{});  // the id is copied out before it goes
    return eventIdOf(reader.root<msg::Envelope>());
  } catch (const kj::Exception&) {
    return "";
  }
}

bool waitReadable(zmq::socket_t& socket, std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  try {
    zmq::poll(&item, 1, timeout);
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    return false;
  }
  return item.revents & ZMQ_POLLIN;
}

Publisher::Publisher(zmq::context_t& context, std::string endpoint, PublisherOptions options)
    : context_(context), endpoint_(std::move(endpoint)), options_(options) {
  reconnect();
}

void Publisher::reconnect() {
  socket_ = zmq::socket_t(context_, zmq::socket_type::dealer);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::sndhwm, 0);
  socket_.set(zmq::sockopt::rcvhwm, 0);
  if (options_.curve) makeCurveClient(socket_, options_.curve->own, options_.curve->serverPublic);
  socket_.connect(endpoint_);
}

namespace {
// What a batch of frames of these sizes takes on the wire, at most: its segment table and root,
// a list pointer per frame, each frame padded to whole words.
struct BatchSize {
  size_t bytes = 4 * sizeof(capnp::word);
  void add(size_t frame) { bytes += sizeof(capnp::word) + (frame + 7) / 8 * 8; }
};
}  // namespace

void Publisher::send(const std::vector<std::string>& frames, const std::vector<size_t>& indices) {
  const size_t most = std::min(options_.framesPerMessage, kMaxBatchFrames);
  for (size_t start = 0; start < indices.size();) {
    size_t end = start + 1;
    BatchSize size;
    size.add(frames[indices[start]].size());
    for (; end < indices.size() && end - start < most; ++end) {
      BatchSize more = size;
      more.add(frames[indices[end]].size());
      if (more.bytes > kMaxMessageBytes) break;
      size = more;
    }
    if (end - start == 1) {
      socket_.send(zmq::buffer(frames[indices[start]]), zmq::send_flags::none);
    } else {
      capnp::MallocMessageBuilder message(size.bytes / sizeof(capnp::word));
      auto list = message.initRoot<msg::IngestBatch>().initFrames(end - start);
      for (size_t i = start; i < end; ++i) {
        const std::string& frame = frames[indices[i]];
        list.set(i - start, capnp::Data::Reader(reinterpret_cast<const kj::byte*>(frame.data()),
                                                frame.size()));
      }
      auto words = capnp::messageToFlatArray(message);
      socket_.send(zmq::buffer(kBatchMarker), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(words.asBytes().begin(), words.asBytes().size()),
                   zmq::send_flags::none);
    }
    start = end;
  }
}

std::vector<IngestResult> Publisher::publish(const std::vector<std::string>& frames) {
  std::vector<IngestResult> results(frames.size());
  std::vector<std::string> ids;
  std::vector<bool> refusedHere(frames.size());  // over the size limit: answered without sending
  ids.reserve(frames.size());
  size_t next = 0, done = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    ids.push_back(eventIdOfFrame(frames[i]));
    if (auto tooLarge = frameSizeProblem(frames[i].size())) {
      results[i] = {msg::IngestReply::Status::NACK, ids[i], 0, 0, *tooLarge,
                    rules::bus::frame::size.id, *tooLarge};
      refusedHere[i] = true;
      ++done;
    }
  }

  std::deque<size_t> inFlight;  // indices sent on the current socket, oldest first
  std::vector<size_t> toSend;
  int silentTimeouts = 0;
  // An answer (of its own or one of a batch's): for the oldest frame in flight with its eventId,
  // as the bus answers in arrival order.
  auto take = [&](msg::IngestReply::Reader reply) {
    std::string_view eventId(reply.getEventId().cStr());
    auto it = std::find_if(inFlight.begin(), inFlight.end(),
                           [&](size_t index) { return ids[index] == eventId; });
    if (it == inFlight.end()) return;
    // The frame's id is the answer's: handed over, as no other answer is matched with it.
    results[*it] = {reply.getStatus(),       std::move(ids[*it]),
                    reply.getPartition(),    reply.getSequence(),
                    reply.getReason().cStr(), reply.getRule().cStr(),
                    reply.getReasonZh().cStr()};
    inFlight.erase(it);
    ++done;
    silentTimeouts = 0;  // progress: only a bus that answers nothing is unreachable
  };
  while (done < frames.size()) {
    toSend.clear();
    for (; next < frames.size() && inFlight.size() < options_.window; ++next) {
      if (refusedHere[next]) continue;
      toSend.push_back(next);
      inFlight.push_back(next);
    }
    send(frames, toSend);
    if (!waitReadable(socket_, options_.replyTimeout)) {
      if (++silentTimeouts >= options_.attempts) {
        throw BusUnreachable("no answer from the bus at " + endpoint_ + " after " +
                             std::to_string(silentTimeouts) + " attempts");
      }
      // Outcome unknown: send everything unanswered again, on a fresh connection so that no late
      // answer from the old one can be mistaken for a new one.
      reconnect();
      send(frames, std::vector<size_t>(inFlight.begin(), inFlight.end()));
      continue;
    }
    std::vector<zmq::message_t> parts;
    while (zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
      try {
        // Read where it was received, while `parts` holds it.
        auto bytes = std::string_view(static_cast<const char*>(parts.back().data()),
                                      parts.back().size());
        if (parts.size() == 1) {
          FrameReader reader(bytes, FrameReader::Borrowed{});
          take(reader.root<msg::IngestReply>());
        } else if (parts.size() == 2 && parts[0].to_string_view() == kBatchMarker) {
          FrameReader reader(bytes, FrameReader::Borrowed{}, batchReaderOptions());
          for (auto reply : reader.root<msg::IngestBatchReply>().getReplies()) take(reply);
        }
      } catch (const kj::Exception&) {
        // Not an answer of the bus's; the frames it should have answered are re-sent.
      }
      parts.clear();
    }
  }
  return results;
}

EventFollower::EventFollower(zmq::context_t& context, const std::string& publishEndpoint,
                             Redis& redis, std::map<uint32_t, uint64_t> cursors,
                             const std::optional<CurveClient>& curve)
    : redis_(redis), socket_(context, zmq::socket_type::sub), cursors_(std::move(cursors)) {
  socket_.set(zmq::sockopt::linger, 0);
  if (curve) makeCurveClient(socket_, curve->own, curve->serverPublic);
  socket_.set(zmq::sockopt::rcvhwm, 100000);
  for (const auto& [partition, cursor] : cursors_) {
    socket_.set(zmq::sockopt::subscribe, partitionTopic(partition));
    known_[partition] = UINT64_MAX;  // unknown until caught up once: read the log to its end
  }
  socket_.connect(publishEndpoint);
}

uint64_t EventFollower::announced(uint32_t partition) const {
  auto known = known_.at(partition);
  return known == UINT64_MAX ? cursors_.at(partition) : known;
}

void EventFollower::catchUp(uint32_t partition, uint64_t through, std::vector<LoggedEvent>& out,
                            size_t limit) {
  constexpr size_t kPage = 1024;  // four batches of 256 per read of the log
  uint64_t& cursor = cursors_[partition];
  auto& ahead = readAhead_[partition];
  while (cursor < through && out.size() < limit) {
    if (ahead.empty()) {
      auto events = readLog(redis_, partition, cursor + 1, kPage);
      ++catchUpReads_;
      if (events.size() < kPage && through == UINT64_MAX) {
        // The log has nothing more: what it holds is all the bus has announced.
        known_[partition] = events.empty() ? cursor : events.back().sequence;
      }
      if (events.empty()) break;
      ahead.assign(std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
    }
    for (; !ahead.empty() && cursor < through && out.size() < limit; ahead.pop_front()) {
      // Entries the bus delivered meanwhile are already applied: only the next one is taken.
      if (ahead.front().sequence == cursor + 1) {
        cursor = ahead.front().sequence;
        out.push_back(std::move(ahead.front()));
      }
    }
  }
}

bool EventFollower::ready() {
  for (const auto& [partition, known] : known_) {
    if (known > cursors_[partition]) return true;
  }
  return (socket_.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0;
}

void EventFollower::accept(LoggedEvent event, std::vector<LoggedEvent>& out) {
  uint64_t& cursor = cursors_[event.partition];
  uint64_t& known = known_[event.partition];
  if (known == UINT64_MAX || event.sequence > known) known = event.sequence;
  if (event.sequence <= cursor) return;  // already applied: a duplicate delivery
  if (event.sequence > cursor + 1 || event.envelope.empty()) {
    // A gap, or a heartbeat ahead of us: the log has what PUB/SUB dropped.
    catchUp(event.partition, event.sequence, out, SIZE_MAX);
    return;
  }
  cursor = event.sequence;
  out.push_back(std::move(event));
}

std::vector<LoggedEvent> EventFollower::poll(std::chrono::milliseconds timeout, size_t maxEvents) {
  std::vector<LoggedEvent> out;
  // First whatever the log holds beyond the cursors (a start, or a range left from last time).
  for (const auto& [partition, known] : known_) {
    if (known > cursors_[partition]) catchUp(partition, known, out, maxEvents);
    if (out.size() >= maxEvents) return out;
  }
  if (out.empty()) waitReadable(socket_, timeout);
  std::vector<zmq::message_t> frames;
  while (out.size() < maxEvents) {
    frames.clear();
    auto received =
        zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait);
    if (!received) break;
    if (frames.size() != 3) continue;
    auto partition = partitionOfTopic(frames[0].to_string());
    if (!partition || !cursors_.count(*partition)) continue;
    LoggedEvent event;
    event.partition = *partition;
    event.sequence = std::stoull(frames[1].to_string());
    event.envelope = frames[2].to_string();
    accept(std::move(event), out);
  }
  return out;
}

}  // namespace mwp
