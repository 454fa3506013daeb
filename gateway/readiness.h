// Whether the gateway can do its job, for its /readyz: its Redis answers (every read is audited
// there first) and the bus's ingest accepts connections (events are submitted there). Asked at
// most once a second, whatever the rate of /readyz: a probe costs a Redis round trip and a TCP
// connect. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "redis.h"

namespace mwp::gateway {

class Readiness {
 public:
  Readiness(RedisEndpoint redis, std::string busIngest);

  // nullopt when ready, else why not (one line, naming what cannot be reached).
  std::optional<std::string> notReadyBecause();

 private:
  std::optional<std::string> probe();

  const std::string busIngest_;
  std::mutex mutex_;
  std::unique_ptr<Redis> redis_;
  std::chrono::steady_clock::time_point probedAt_{};
  std::optional<std::string> answer_ = std::string("not probed yet");
};

// Whether a TCP connection to a ZeroMQ endpoint ("tcp://host:port") is accepted within
// `timeout`. Other transports (ipc://, inproc://) count as reachable: nothing to probe.
bool acceptsConnections(const std::string& endpoint, std::chrono::milliseconds timeout);

}  // namespace mwp::gateway
