// The gateway's parts, built once and wired: the HTTP server, the services' query sockets, the
// kept sections, the pools of Redis connections and bus publishers, the audit, the rate limiter,
// and the router that puts every route behind the same wrapper (router.h).
#include "gateway.h"

#include <httplib.h>

#include "audit_log.h"
#include "bus_client.h"
#include "handlers.h"
#include "pool.h"
#include "rate_limiter.h"
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
        audit(options.redis, options.auditReplicas, options.auditReplicaWait),
        limiter(options.requestsPerSecond),
        router(server, keys, limiter, registry),
        backends{options, catalogue, services, sections, logRedis, publishers, audit} {}

  GatewayOptions options;
  ApiKeys keys;
  httplib::Server server;
  ScatterGather services;
  SectionCache sections;
  Pool<Redis> logRedis;
  Pool<Publisher> publishers;
  AuditLog audit;
  RateLimiter limiter;
  Router router;
  Backends backends;
};

Gateway::Gateway(GatewayOptions options, ApiKeys keys, const Catalogue& catalogue,
                 zmq::context_t& context, prometheus::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(keys), catalogue, context,
                                   registry)) {
  auto& s = impl_->server;
  // cpp-httplib's defaults cap it near 300 requests/s here (Nagle, 5 requests per connection).
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(100000);
  s.set_payload_max_length(impl_->options.maxBodyBytes);
  s.set_read_timeout(5, 0);
  s.set_write_timeout(5, 0);
  size_t threads = impl_->options.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  auto& router = impl_->router;
  auto& b = impl_->backends;
  addWorkerRoutes(router, b);
  addListingRoutes(router, b);
  addProjectRoutes(router, b);
  addMeasureRoutes(router, b);
  addEventRoutes(router, b);
  addAuditRoutes(router, b);
  router.get("/v1/openapi.json", R"(/v1/openapi\.json)", {}, [](auto&, auto& res, auto&) {
    res.set_content(openApiDocument(), "application/json");
  });
}

Gateway::~Gateway() {
  stop();
}

const std::vector<RouteInfo>& Gateway::routes() const {
  return impl_->router.routes();
}

int Gateway::start(const std::string& host, int port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                        : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    throw std::runtime_error("the gateway cannot bind " + host + ":" + std::to_string(port));
  thread_ = std::thread([this] { impl_->server.listen_after_bind(); });
  return bound;
}

void Gateway::stop() {
  impl_->server.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mwp::gateway
