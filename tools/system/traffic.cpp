#include "traffic.h"

#include <zmq.hpp>

#include <algorithm>
#include <numeric>
#include <thread>
#include <variant>

#include "bus_client.h"
#include "event_json.h"
#include "frames.h"
#include "simulate.h"

namespace mwp::local {

using Clock = std::chrono::steady_clock;

// How long a batch is sent again while the bus does not answer: longer than any fault the chaos
// run injects (its SIGSTOPs last 30 s by default), short of a CI job's patience.
constexpr auto kBusDownLimit = std::chrono::seconds(600);

Stream makeStream(size_t count, uint64_t seed) {
  simulate::Options s;
  s.seed = seed;
  s.now = std::chrono::duration_cast<std::chrono::seconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count();
  // About two events per simulated worker by now in the year; more workers until there are enough.
  for (s.workers = static_cast<uint32_t>(count / 2) + 10;; s.workers += s.workers / 2) {
    Stream stream;
    for (const auto& line : simulate::simulateYear(s)) {
      if (stream.frames.size() == count) break;
      auto decoded = decodeEventJson(line);
      if (auto* event = std::get_if<DecodedEvent>(&decoded)) {
        auto envelope = event->envelope();
        stream.eventIds.push_back(envelope.getEventId().cStr());
        stream.workerIds.push_back(envelope.getWorkerId().cStr());
        stream.frames.push_back(toBytes(*event->message));
      }
    }
    if (stream.frames.size() == count) return stream;
  }
}

Sent publishAll(const Stream& stream, const std::vector<size_t>& order, const System& system,
                double rate, std::atomic<size_t>& progress, size_t batch) {
  zmq::context_t context;
  PublisherOptions options;
  options.replyTimeout = std::chrono::milliseconds(1000);
  options.attempts = 3;
  options.curve = system.operatorKey();
  Publisher publisher(context, system.ingest(), options);
  Sent sent;
  std::set<std::string> refusedIds;
  auto started = Clock::now();
  for (size_t start = 0; start < order.size(); start += batch) {
    std::vector<std::string> frames;
    for (size_t i = start; i < std::min(order.size(), start + batch); ++i) {
      frames.push_back(stream.frames[order[i]]);
    }
    std::vector<IngestResult> results;
    for (auto unreachableSince = Clock::now();;) {
      try {
        results = publisher.publish(frames);
        break;
      } catch (const BusUnreachable&) {
        // The bus is down or cannot store: the same frames again, safely (de-duplicated) — for as
        // long as a restart or a failover takes, not for ever.
        if (Clock::now() - unreachableSince > kBusDownLimit) throw;
      }
    }
    for (const auto& r : results) {
      if (r.status == msg::IngestReply::Status::NACK) {
        refusedIds.insert(r.eventId);
      } else {
        sent.acknowledged.insert(r.eventId);
      }
    }
    sent.frames += frames.size();
    progress = sent.frames;
    if (rate <= 0) continue;
    auto due = started + std::chrono::microseconds(
                             static_cast<int64_t>(1e6 * static_cast<double>(sent.frames) / rate));
    std::this_thread::sleep_until(due);
  }
  sent.refused = refusedIds.size();
  return sent;
}

bool waitSettled(System& system, std::chrono::seconds limit) {
  Redis log(system.logRedis()), state(system.stateRedis());
  auto deadline = Clock::now() + limit;
  int calm = 0;  // consecutive settled readings: derived events may still be on their way
  while (Clock::now() < deadline) {
    try {
      calm = system.settled(log, state) ? calm + 1 : 0;
    } catch (const RedisUnavailable&) {
      calm = 0;
    }
    if (calm == 3) return true;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  return false;
}

std::vector<size_t> inOrder(size_t count) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

}  // namespace mwp::local
