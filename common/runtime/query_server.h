// A service's read side: its ROUTER query socket (the gateway asks, over DEALER), answered from
// Redis on a connection and thread of its own, so queries never wait for the service loop. A
// second thread refreshes the service's indicator gauges, so queries never wait for that either.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "curve.h"
#include "indicator_exporter.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "redis.h"
#include "service_loop.h"

namespace mwp {

// A service's section of a worker's record, and what it was read from.
struct WorkerSection {
  std::optional<std::string> json;    // nullopt when the service has no record of the worker
  std::vector<std::string> keysRead;  // every Redis key read for it, found or not
};

// An indicator query's answer, into and out of its reply (msg::QueryReply.indicators).
void setIndicators(msg::QueryReply::Builder reply, const std::vector<IndicatorAnswer>& answers);
std::vector<IndicatorAnswer> indicatorsOf(msg::QueryReply::Reader reply);
// Its reporting (msg::QueryReply.reporting), for a query withReporting.
void setReporting(msg::QueryReply::Builder reply, const std::vector<AreaReporting>& reporting);
std::vector<AreaReporting> reportingIn(msg::QueryReply::Reader reply);
// One indicator as the gateway shows it (GET /v1/measures):
// {"measure":2,"indicator":"…","area":"…","year":2026,"value":1,"target":null}; `suppressed`:
// "value":null,"suppressed":true instead of the value (a small count of health data).
void writeIndicator(JsonWriter& json, const IndicatorAnswer& indicator, bool suppressed = false);

// What a service answers beyond what every service answers (indicators, verdicts).
class QueryHandler {
 public:
  virtual ~QueryHandler() = default;
  // The service's section of a worker's record. It must depend on `keysRead` alone (not on the
  // clock): the gateway keeps it until one of those keys is written.
  virtual WorkerSection workerSection(Redis& redis, const std::string& workerId) = 0;
  // A named listing, as JSON; nullopt when the service has no listing of that name.
  virtual std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) {
    (void)redis;
    (void)query;
    return std::nullopt;
  }
};

class QueryServer {
 public:
  // Binds `endpoint` (throws zmq::error_t if taken) and serves until destroyed. With `curve` the
  // socket is a CURVE server of the internal domain: the context needs a ZapHandler.
  QueryServer(zmq::context_t& context, const std::string& endpoint, RedisEndpoint redis,
              std::string service, QueryHandler& handler, IndicatorExporter& indicators,
              Clock clock, std::chrono::milliseconds refreshEvery = std::chrono::seconds(5),
              const std::optional<CurveKeys>& curve = std::nullopt);
  ~QueryServer();

  // The bound endpoint (with the port chosen when the endpoint asked for port 0 / "*").
  const std::string& endpoint() const { return endpoint_; }

 private:
  void serve();
  void refreshIndicators();
  std::string answer(const std::string& request);

  zmq::socket_t socket_;
  std::string endpoint_;
  Redis redis_;         // the queries'
  Redis refreshRedis_;  // the indicator refresh's
  std::string service_;
  QueryHandler& handler_;
  IndicatorExporter& indicators_;
  Clock clock_;
  std::chrono::milliseconds refreshEvery_;
  Logger log_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::thread refresher_;
};

// The client side: one question, one answer, within a deadline. Not thread-safe.
class QueryClient {
 public:
  // `curve`: the asker's key and the service's, when the service's query socket speaks CURVE.
  QueryClient(zmq::context_t& context, const std::string& endpoint,
              std::optional<CurveClient> curve = std::nullopt);
  // nullopt when no answer came within `deadline` (the socket is then replaced, so a late answer
  // cannot be taken for the next question's).
  std::optional<std::string> ask(capnp::MessageBuilder& query, std::chrono::milliseconds deadline);

 private:
  zmq::socket_t connect();

  zmq::context_t& context_;
  std::string endpoint_;
  std::optional<CurveClient> curve_;
  zmq::socket_t socket_;
};

}  // namespace mwp
