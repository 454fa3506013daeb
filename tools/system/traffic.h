// Traffic for a local mwp: the simulated year as frames, published with retries until every frame
// is answered, and the wait until every service has taken everything.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "local_system.h"

namespace mwp::local {

// The simulated year (mwpctl simulate's generator, seed `seed`) cut to `count` events.
struct Stream {
  std::vector<std::string> frames;
  std::vector<std::string> eventIds;
  std::vector<std::string> workerIds;  // "" for events about no one worker
};
Stream makeStream(size_t count, uint64_t seed);

struct Sent {
  std::set<std::string> acknowledged;  // ACK or DUPLICATE
  size_t refused = 0;                  // NACK: the simulation's deliberately bad events
  size_t frames = 0;
};

// Publishes the frames in `order` (indexes into stream.frames) in batches of `batch`, at about
// `rate` events a second (0: as fast as the bus answers), with the operator's key; a batch the bus
// does not answer (it is down, or Redis is) is sent again until it is answered — for up to ten
// minutes, then BusUnreachable is thrown. `progress` counts the frames answered so far.
Sent publishAll(const Stream& stream, const std::vector<size_t>& order, const System& system,
                double rate, std::atomic<size_t>& progress, size_t batch = 50);
std::vector<size_t> inOrder(size_t count);

// Waits until every service has taken every stored event (three readings a second apart agree);
// false after `limit`.
bool waitSettled(System& system, std::chrono::seconds limit);

}  // namespace mwp::local
