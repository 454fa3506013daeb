// Asks several services the same question at once over their query sockets and waits for all of
// them until a deadline. A service that does not answer in time is `unavailable`; the others are
// served. Thread-safe: each call takes a set of DEALER sockets from a pool.
#pragma once

#include <capnp/message.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "curve.h"
#include "indicator_exporter.h"

namespace mwp::gateway {

struct ServiceEndpoint {
  std::string name;      // "employment"
  std::string endpoint;  // its query socket
};

struct ServiceAnswer {
  enum class Kind { kJson, kNotFound, kError, kUnavailable, kIndicators };
  ServiceAnswer() = default;
  ServiceAnswer(Kind k, std::string t, std::vector<std::string> keys = {})
      : kind(k), text(std::move(t)), keysRead(std::move(keys)) {}

  Kind kind = Kind::kUnavailable;
  std::string text;                   // the JSON, or the error
  std::vector<std::string> keysRead;  // a worker section's: the Redis keys it was read from
  std::vector<IndicatorAnswer> indicators;  // kIndicators: an indicator query's answer
  std::vector<AreaReporting> reporting;     // kIndicators withReporting: completeness
};

class ScatterGather {
 public:
  // `curve`: the gateway's key and the services' public key, when their query sockets speak CURVE.
  ScatterGather(zmq::context_t& context, std::vector<ServiceEndpoint> services,
                prometheus::Registry& registry, std::optional<CurveClient> curve = std::nullopt);
  ~ScatterGather();

  // The answer of each service in `only` (every service when empty).
  std::map<std::string, ServiceAnswer> ask(capnp::MessageBuilder& query,
                                           std::chrono::milliseconds deadline,
                                           const std::vector<std::string>& only = {});

  const std::vector<ServiceEndpoint>& services() const { return services_; }

 private:
  struct SocketSet;
  std::unique_ptr<SocketSet> acquire();
  void release(std::unique_ptr<SocketSet> set);
  zmq::socket_t connect(const std::string& endpoint);

  zmq::context_t& context_;
  std::vector<ServiceEndpoint> services_;
  std::optional<CurveClient> curve_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SocketSet>> idle_;
  // Each service's, created once.
  std::map<std::string, prometheus::Histogram*> latency_;
  std::map<std::string, prometheus::Counter*> timeouts_;
};

}  // namespace mwp::gateway
