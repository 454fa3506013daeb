// The wrapper every route goes through, in this order: a request id (the caller's X-Request-Id if
// sane, else a new one), the API key and its role, the key's rate limit, then the handler; a
// Problem it throws, or a fault of Redis or the bus, becomes application/problem+json; each
// request is counted and timed by route template and logged by template, never by path (paths
// carry resident IDs). Routes are registered before serving; serving is thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api_keys.h"
#include "http.h"
#include "log.h"
#include "problem.h"
#include "rate_limiter.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace mwp::gateway {

struct RouteInfo {
  std::string method;
  std::string path;  // the template, as in the OpenAPI document: /v1/workers/{workerId}
};

// `key` is the caller's; for an open route (no roles), an admin placeholder named "-".
using Handler = std::function<void(const HttpRequest&, HttpResponse&, const ApiKey& key)>;

class Router {
 public:
  // `server`, `keys`, `limiter` must outlive the router.
  Router(httplib::Server& server, const ApiKeys& keys, RateLimiter& limiter,
         prometheus::Registry& registry);

  // `path`: the template; `pattern`: the regex cpp-httplib matches, its groups the path
  // parameters. `roles` empty: open to anyone, no key asked.
  void get(const std::string& path, const std::string& pattern, std::vector<Role> roles,
           Handler handler);
  void post(const std::string& path, const std::string& pattern, std::vector<Role> roles,
            Handler handler);

  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  // One route's request count (by status code) and latency, made when the route is registered.
  class RouteMetrics {
   public:
    RouteMetrics(prometheus::Family<prometheus::Counter>& requests,
                 prometheus::Family<prometheus::Histogram>& latency, const RouteInfo& route);
    void observe(int status, double seconds);
    const RouteInfo& route() const { return route_; }

   private:
    prometheus::Family<prometheus::Counter>& requests_;
    const RouteInfo route_;
    prometheus::Histogram& latency_;
    std::mutex mutex_;
    std::map<int, prometheus::Counter*> byStatus_;
  };

  void add(const std::string& method, const std::string& path, const std::string& pattern,
           std::vector<Role> roles, Handler handler);
  // The caller's key, after its role and rate limit are checked; throws the Problem otherwise.
  // `who`: the key's name, for the log, as soon as the key is known.
  ApiKey admit(const HttpRequest& req, const std::string& path, const std::vector<Role>& roles,
               std::string& who);
  void serve(const HttpRequest& req, HttpResponse& res, const std::vector<Role>& roles,
             const Handler& handler, RouteMetrics& metrics);

  httplib::Server& server_;
  const ApiKeys& keys_;
  RateLimiter& limiter_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::deque<RouteMetrics> metrics_;  // a deque: each route holds on to its own
  std::vector<RouteInfo> routes_;
  Logger log_{"gateway"};
};

// Sends JSON with an ETag; 304 when the caller already has this very body.
void sendJson(const HttpRequest& req, HttpResponse& res, const std::string& body,
              int status = 200);

// `body` as the key's role may see it: resident IDs masked unless the role sees them whole.
std::string visibleTo(const ApiKey& key, std::string body);

}  // namespace mwp::gateway
