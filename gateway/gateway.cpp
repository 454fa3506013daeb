// The gateway's parts, built once and wired: the HTTP server, the services' query sockets, the
// kept sections, the pools of Redis connections and bus publishers, the audit, the rate limiters,
// and the router that puts every route behind the same wrapper (router.h).
#include "gateway.h"

#include "audit_log.h"
#include "bus_client.h"
#include "handlers.h"
#include "pool.h"
#include "rate_limiter.h"
#include "readiness.h"
#include "section_cache.h"

namespace mwp::gateway {

struct Gateway::Impl {
  Impl(GatewayOptions o, ApiKeys k, const Catalogue& catalogue, zmq::context_t& context,
       prometheus::Registry& registry)
      : options(std::move(o)),
        keys(std::move(k)),
        services(context, options.services, registry, options.servicesCurve),
        sections(options.stateRedis.empty() ? std::vector{options.redis} : options.stateRedis,
                 options.keptSections, registry),
        logRedis([this] {
          return std::make_unique<Redis>(options.logRedis.value_or(options.redis),
                                         std::chrono::seconds(2));
        }),
        publishers([this, &context] {
          PublisherOptions p;
          p.replyTimeout = std::chrono::milliseconds(1000);
          p.attempts = 3;
          p.curve = options.busCurve;
          return std::make_unique<Publisher>(context, options.busIngest, p);
        }),
        audit(options.redis, options.auditReplicas, options.auditReplicaWait,
              options.auditRetention),
        refs(options.workerRefSecret),
        lookupMisses(prometheus::BuildCounter()
                         .Name("mwp_gateway_worker_lookup_misses_total")
                         .Help("Lookups of a worker by full resident ID that found nobody, by key")
                         .Register(registry)),
        limiter(options.redis, options.requestsPerSecond),
        refusals(options.refusalsPerMinute / 60, options.refusalsPerMinute),
        router(keys, limiter, refusals, registry, options.trustedProxies),
        readiness(options.redis, options.busIngest),
        backends{options,    catalogue, services, sections,     logRedis,
                 publishers, audit,     refs,     lookupMisses, log},
        server(
            options.http, [this](HttpRequest& req, HttpResponse& res) { router.serve(req, res); },
            [this](const HttpRequest& req) { return router.checkHeaders(req); }, Router::refusal) {}

  GatewayOptions options;
  ApiKeys keys;
  ScatterGather services;
  SectionCache sections;
  Pool<Redis> logRedis;
  Pool<Publisher> publishers;
  AuditLog audit;
  WorkerRefs refs;
  prometheus::Family<prometheus::Counter>& lookupMisses;
  Logger log{"gateway"};
  RateLimiter limiter;
  TokenBuckets refusals;
  Router router;
  Readiness readiness;
  Backends backends;
  http::HttpServer server;  // last: stopped before the parts its handlers use go
};

Gateway::Gateway(GatewayOptions options, ApiKeys keys, const Catalogue& catalogue,
                 zmq::context_t& context, prometheus::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(keys), catalogue, context,
                                   registry)) {
  auto& router = impl_->router;
  auto& b = impl_->backends;
  addWorkerRoutes(router, b);
  addListingRoutes(router, b);
  addWorklistRoutes(router, b);
  addProjectRoutes(router, b);
  addMeasureRoutes(router, b);
  addScorecardRoutes(router, b);
  addEventRoutes(router, b);
  addAuditRoutes(router, b);
  router.get("/v1/openapi.json", R"(/v1/openapi\.json)", {}, [](auto&, auto& res, auto&) {
    res.set_content(openApiDocument(), "application/json");
  });
}

Gateway::~Gateway() {
  stop();
}

std::optional<std::string> Gateway::notReadyBecause() {
  return impl_->readiness.notReadyBecause();
}

const std::vector<RouteInfo>& Gateway::routes() const {
  return impl_->router.routes();
}

int Gateway::start(const std::string& host, int port) {
  try {
    return impl_->server.listen(host, port);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the gateway: ") + e.what());
  }
}

void Gateway::stop() {
  impl_->server.stop();
}

}  // namespace mwp::gateway
