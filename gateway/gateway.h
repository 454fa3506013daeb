// mwp-gateway: the HTTP API integrators use. One record per worker from every service at once,
// the registry, measure progress, rights cases, event submission and lookup, and the audit log —
// behind API keys with roles, per-key rate limits, and an audit entry for every worker read.
// Errors are application/problem+json (RFC 9457). Thread-safe: served by HttpServer (event-driven
// I/O, handlers on a pool of workers; http_server.h).
#pragma once

#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "api_keys.h"
#include "audit_log.h"
#include "catalogue.h"
#include "curve.h"
#include "event_log.h"
#include "http_server.h"
#include "redis.h"
#include "router.h"
#include "scatter_gather.h"

namespace mwp::gateway {

struct GatewayOptions {
  std::vector<ServiceEndpoint> services;
  std::string busIngest = "tcp://127.0.0.1:7101";
  std::optional<CurveClient> busCurve;       // the gateway's key, when the bus speaks CURVE
  std::optional<CurveClient> servicesCurve;  // the same key, when the services' queries speak it
  RedisEndpoint redis;                       // the gateway's own keys: the audit of reads
  // The bus's log, where an event is looked up (GET /v1/events/{id}); unset: `redis`.
  std::optional<RedisEndpoint> logRedis;
  DedupWindow dedupWindow;  // the bus's (MWP_DEDUP_WINDOW_DAYS): where stored eventIds are kept
  // The services' Redis servers, whose commits announce the keys they wrote (sections kept are
  // dropped by them); empty: `redis` alone. Each distinct server is followed once.
  std::vector<RedisEndpoint> stateRedis;
  // Replicas that must have a read's audit entry before the read is answered (0: none).
  int auditReplicas = 0;
  std::chrono::milliseconds auditReplicaWait{1000};
  std::chrono::seconds auditRetention = AuditLog::kDefaultRetention;
  // The secret worker references are made with (worker_refs.h); empty: one per process.
  std::string workerRefSecret;
  // Health indicators (the catalogue's "health") from 1 to this minus 1 are shown suppressed to
  // roles without health access: a count of 1 or 2 in an area tells one person's result.
  int healthMinCount = 5;
  std::chrono::milliseconds deadline{500};  // how long a worker record waits for the services
  size_t keptSections = 100000;   // worker sections kept until they change (0: ask every time)
  // Per API key, with a burst of as many; one budget for every gateway on the same `redis`.
  double requestsPerSecond = 50;
  // Refused keys (401, 403) per client address a minute, with a burst of as many; beyond, the
  // address is answered 429 without its key being looked at.
  double refusalsPerMinute = 30;
  // Peers whose X-Real-IP header names the client (the TLS proxy): the refused-key throttle then
  // counts per client, not per proxy. Empty: every peer is the client.
  std::set<std::string> trustedProxies;
  // The server's limits: workers (the handlers' threads), deadlines, connection caps, header
  // and body sizes (http_server.h).
  http::ServerLimits http;
};

class Gateway {
 public:
  Gateway(GatewayOptions options, ApiKeys keys, const Catalogue& catalogue, zmq::context_t& context,
          prometheus::Registry& registry);
  ~Gateway();

  // Binds host:port (0: any free port) and serves from its own threads. Returns the port.
  int start(const std::string& host, int port);
  void stop();

  // For the admin port's /readyz: nullopt when the gateway's Redis and the bus's ingest can be
  // reached, else which cannot (readiness.h). Thread-safe.
  std::optional<std::string> notReadyBecause();

  // Every route the server has, for the OpenAPI document's test.
  const std::vector<RouteInfo>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document served at /v1/openapi.json (gateway/openapi.json, built in).
const char* openApiDocument();

}  // namespace mwp::gateway
