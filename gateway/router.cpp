#include "router.h"

#include "http.h"

#include <algorithm>
#include <atomic>

#include "bus_client.h"
#include "ids.h"
#include "json_writer.h"
#include "masking.h"
#include "metrics.h"
#include "redis.h"
#include "rules.h"

namespace mwp::gateway {
namespace {

using Request = HttpRequest;
using Response = HttpResponse;

bool sane(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

std::string randomId() {
  static std::atomic<uint64_t> counter{0};
  return hex64(fnv1a64(std::to_string(systemClock()) + ":" + std::to_string(++counter) + ":" +
                       std::to_string(reinterpret_cast<uintptr_t>(&counter))));
}

// The caller's X-Request-Id when it is fit to be echoed and logged, else a new one; set on the
// response either way.
std::string requestIdOf(const Request& req, Response& res) {
  std::string requestId = req.get_header_value("X-Request-Id");
  if (!sane(requestId)) requestId = randomId();
  res.set_header("X-Request-Id", requestId);
  return requestId;
}

void sendProblem(Response& res, const Problem& p, const std::string& requestId) {
  res.status = p.status;
  if (p.retryAfter) res.set_header("Retry-After", std::to_string(p.retryAfter));
  JsonWriter json;
  json.beginObject()
      .field("type", "about:blank")
      .field("title", p.title)
      .field("status", p.status)
      .field("detail", p.detail)
      .field("instance", "urn:request:" + requestId)
      .endObject();
  res.set_content(json.take(), "application/problem+json");
}

}  // namespace

Router::RouteMetrics::RouteMetrics(prometheus::Family<prometheus::Counter>& requests,
                                   prometheus::Family<prometheus::Histogram>& latency,
                                   const RouteInfo& route)
    : requests_(requests),
      route_(route),
      latency_(latency.Add({{"route", route.path}}, latencyBuckets())) {}

void Router::RouteMetrics::observe(int status, double seconds) {
  latency_.Observe(seconds);
  prometheus::Counter* counter;
  {
    std::lock_guard lock(mutex_);
    auto& known = byStatus_[status];
    if (!known) {
      known = &requests_.Add(
          {{"route", route_.path}, {"method", route_.method}, {"code", std::to_string(status)}});
    }
    counter = known;
  }
  counter->Increment();
}

Router::Router(httplib::Server& server, const ApiKeys& keys, RateLimiter& limiter,
               prometheus::Registry& registry)
    : server_(server),
      keys_(keys),
      limiter_(limiter),
      requests_(prometheus::BuildCounter()
                    .Name("mwp_gateway_requests_total")
                    .Help("HTTP requests by route template, method and status code")
                    .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("mwp_gateway_request_seconds")
                   .Help("HTTP request time by route template")
                   .Register(registry)) {
  // What no route answered (or cpp-httplib refused before routing) is a problem too.
  server_.set_error_handler([](const Request& req, Response& res) {
    if (!res.body.empty()) return;
    bool noRoute = res.status == 404;
    sendProblem(res,
                Problem{res.status, noRoute ? "Not found" : "Request not served",
                        noRoute ? "no such route; see /v1/openapi.json" : "see the status code"},
                requestIdOf(req, res));
  });
}

void Router::get(const std::string& path, const std::string& pattern, std::vector<Role> roles,
                 Handler handler) {
  add("GET", path, pattern, std::move(roles), std::move(handler));
}

void Router::post(const std::string& path, const std::string& pattern, std::vector<Role> roles,
                  Handler handler) {
  add("POST", path, pattern, std::move(roles), std::move(handler));
}

void Router::add(const std::string& method, const std::string& path, const std::string& pattern,
                 std::vector<Role> roles, Handler handler) {
  routes_.push_back({method, path});
  auto& metrics = metrics_.emplace_back(requests_, latency_, routes_.back());
  auto served = [this, roles = std::move(roles), handler = std::move(handler), &metrics](
                    const Request& req, Response& res) {
    serve(req, res, roles, handler, metrics);
  };
  if (method == "GET") server_.Get(pattern, served);
  if (method == "POST") server_.Post(pattern, served);
}

ApiKey Router::admit(const Request& req, const std::string& path, const std::vector<Role>& roles,
                     std::string& who) {
  if (roles.empty()) return ApiKey{"-", Role::kAdmin};
  std::string presented = req.get_header_value("Authorization");
  if (presented.rfind("Bearer ", 0) == 0) presented = presented.substr(7);
  if (presented.empty()) presented = req.get_header_value("X-API-Key");
  if (presented.empty()) throw Problem{401, "API key required", "send Authorization: Bearer <key>"};
  auto key = keys_.find(presented);
  if (!key) throw Problem{401, "Unknown API key", "this key is not one of ours"};
  if (key->expiredOn(chinaDayOf(systemClock()))) {
    throw Problem{401, "Expired API key",
                  "this key expired after " + formatDate(*key->expiresOn) + "; ask for a new one"};
  }
  who = key->name;
  if (std::find(roles.begin(), roles.end(), key->role) == roles.end()) {
    throw Problem{403, "Not allowed", "the " + roleName(key->role) + " role may not use " + path};
  }
  if (int wait = limiter_.wait(key->name)) {
    throw Problem{429, "Too many requests", "slow down: this key's rate is limited", wait};
  }
  return *key;
}

void Router::serve(const Request& req, Response& res, const std::vector<Role>& roles,
                   const Handler& handler, RouteMetrics& metrics) {
  auto started = std::chrono::steady_clock::now();
  const auto& [method, path] = metrics.route();
  std::string requestId = requestIdOf(req, res);
  std::string who = "-";
  try {
    handler(req, res, admit(req, path, roles, who));
  } catch (const Problem& p) {
    sendProblem(res, p, requestId);
  } catch (const RedisUnavailable& e) {
    log_.warn("Redis unavailable", {{"requestId", requestId}, {"error", e.what()}});
    sendProblem(res, Problem{503, "Storage unavailable", "try again shortly"}, requestId);
  } catch (const BusUnreachable&) {
    sendProblem(res, Problem{503, "Bus unavailable", "events cannot be submitted now; try again"},
                requestId);
  } catch (const std::exception& e) {
    log_.error("request failed", {{"requestId", requestId}, {"route", path}, {"error", e.what()}});
    sendProblem(res, Problem{500, "Internal error", "logged as request " + requestId}, requestId);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics.observe(res.status, seconds);
  log_.info("request", {{"requestId", requestId},
                        {"method", method},
                        {"route", path},
                        {"status", std::to_string(res.status)},
                        {"key", who},
                        {"ms", std::to_string(static_cast<int>(seconds * 1000))}});
}

void sendJson(const Request& req, Response& res, const std::string& body, int status) {
  std::string etag = "\"" + hex64(fnv1a64(body)) + "\"";
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  res.status = status;
  res.set_content(body, "application/json");
}

std::string visibleTo(const ApiKey& key, std::string body) {
  return visibilityOf(key.role).fullResidentIds ? body : maskResidentIds(body);
}

}  // namespace mwp::gateway
