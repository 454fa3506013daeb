// The routes, and the wrapper every route goes through, in this order: a request id (the caller's
// X-Request-Id if sane, else a new one), the API key and its role — checked as soon as the
// headers are in, before any body is read (checkHeaders) — the key's rate limit, then the
// handler. Refused keys (401, 403) are counted per client address, and an address that has too
// many is answered 429 without its key being looked at, so keys cannot be guessed quickly. A
// Problem it throws, or a fault of Redis or the bus, becomes application/problem+json; each
// request is counted and timed by route template and logged by template, never by path (paths
// carry resident IDs). Routes are registered before serving; serving is thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "api_keys.h"
#include "http.h"
#include "log.h"
#include "problem.h"
#include "rate_limiter.h"
#include "token_buckets.h"

namespace mwp::gateway {

struct RouteInfo {
  std::string method;
  std::string path;  // the template, as in the OpenAPI document: /v1/workers/{workerId}
};

// `key` is the caller's; for an open route (no roles), an admin placeholder named "-".
using Handler = std::function<void(const HttpRequest&, HttpResponse&, const ApiKey& key)>;

class Router {
 public:
  // `keys`, `limiter` (per key) and `refusals` (per client address, counting 401 and 403) must
  // outlive the router. `trustedProxies`: the addresses (nginx's) whose X-Real-IP names the
  // client; from any other peer the header is ignored, so a client cannot pose as another.
  Router(const ApiKeys& keys, RateLimiter& limiter, TokenBuckets& refusals,
         prometheus::Registry& registry, std::set<std::string> trustedProxies = {});

  // `path`: the template; `pattern`: the regex the whole path must match, its groups the path
  // parameters (req.matches). `roles` empty: open to anyone, no key asked.
  void get(const std::string& path, const std::string& pattern, std::vector<Role> roles,
           Handler handler);
  void post(const std::string& path, const std::string& pattern, std::vector<Role> roles,
            Handler handler);

  const std::vector<RouteInfo>& routes() const { return routes_; }

  // The server's headers check (http_server.h): the answer to a request for no route, or whose
  // key or role is refused, before its body is read. Never blocks.
  std::optional<HttpResponse> checkHeaders(const HttpRequest& req);
  // The server's handler: routes and serves a complete request.
  void serve(HttpRequest& req, HttpResponse& res);
  // The server's own refusals (a body too large, too many connections …) as problems too.
  static HttpResponse refusal(int status, const std::string& reason);

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

  struct Route {
    std::string method;
    // The pattern's leading literal text: a path without it is not matched against the regex
    // (std::regex costs microseconds a route, and every request is routed twice).
    std::string literalPrefix;
    std::regex pattern;
    std::vector<Role> roles;
    Handler handler;
    RouteMetrics& metrics;
  };

  void add(const std::string& method, const std::string& path, const std::string& pattern,
           std::vector<Role> roles, Handler handler);
  // The route of this method and path (`matches` set over req.path); nullptr and a Problem in
  // `missing` when there is none.
  const Route* find(const HttpRequest& req, std::smatch& matches, Problem& missing) const;
  // The caller's key, after its role is checked; throws the Problem otherwise (401, 403, or 429
  // for an address with too many refused keys). `who`: the key's name, for the log.
  ApiKey authenticate(const HttpRequest& req, const Route& route, std::string& who);
  // The client's address: the peer's, or the X-Real-IP a trusted proxy gives.
  std::string clientAddress(const HttpRequest& req) const;
  // Counts the request by route and logs it, by template.
  void finish(const HttpRequest& req, const HttpResponse& res, const Route& route,
              const std::string& requestId, const std::string& who,
              std::chrono::steady_clock::time_point started);

  const ApiKeys& keys_;
  RateLimiter& limiter_;
  TokenBuckets& refusals_;
  const std::set<std::string> trustedProxies_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::deque<RouteMetrics> metrics_;  // a deque: each route holds on to its own
  std::vector<RouteInfo> routes_;
  std::vector<Route> table_;
  Logger log_{"gateway"};
};

// Sends JSON with an ETag; 304 when the caller already has this very body.
void sendJson(const HttpRequest& req, HttpResponse& res, const std::string& body,
              int status = 200);

// `body` as the key's role may see it: resident IDs masked unless the role sees them whole.
std::string visibleTo(const ApiKey& key, std::string body);

}  // namespace mwp::gateway
