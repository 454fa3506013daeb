#include "router.h"

#include <algorithm>
#include <atomic>

#include "bus_client.h"
#include "ids.h"
#include "json_writer.h"
#include "language.h"
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

// The problem's detail in the language the caller's Accept-Language prefers (RFC 9110 §12.5.4):
// Chinese for zh-CN or zh, else English. A rule's refusal carries both reasons and the rule too.
void sendProblem(Response& res, const Problem& p, const std::string& requestId,
                 const Request& req) {
  res.status = p.status;
  if (p.retryAfter) res.set_header("Retry-After", std::to_string(p.retryAfter));
  bool zh = !p.detailZh.empty() &&
            languageOfAcceptLanguage(req.get_header_value("Accept-Language")) == Language::kChinese;
  res.set_header("Content-Language", zh ? "zh-CN" : "en");
  res.set_header("Vary", "Accept-Language");
  JsonWriter json;
  json.beginObject()
      .field("type", "about:blank")
      .field("title", p.title)
      .field("status", p.status)
      .field("detail", zh ? p.detailZh : p.detail)
      .field("instance", "urn:request:" + requestId);
  if (!p.rule.empty()) {
    json.field("rule", p.rule).field("reason", p.detail).field("reasonZh", p.detailZh);
  }
  res.set_content(json.endObject().take(), "application/problem+json");
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

Router::Router(const ApiKeys& keys, RateLimiter& limiter, TokenBuckets& refusals,
               prometheus::Registry& registry, std::set<std::string> trustedProxies)
    : keys_(keys),
      limiter_(limiter),
      refusals_(refusals),
      trustedProxies_(std::move(trustedProxies)),
      requests_(prometheus::BuildCounter()
                    .Name("mwp_gateway_requests_total")
                    .Help("HTTP requests by route template, method and status code")
                    .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("mwp_gateway_request_seconds")
                   .Help("HTTP request time by route template")
                   .Register(registry)) {}

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
  std::string literal = pattern.substr(0, pattern.find_first_of(R"(\.[](){}*+?|^$)"));
  table_.push_back({method, literal, std::regex(pattern, std::regex::optimize), std::move(roles),
                    std::move(handler), metrics});
}

const Router::Route* Router::find(const Request& req, std::smatch& matches,
                                  Problem& missing) const {
  bool otherMethod = false;
  for (const auto& route : table_) {
    if (req.path.compare(0, route.literalPrefix.size(), route.literalPrefix) != 0) continue;
    if (!std::regex_match(req.path, matches, route.pattern)) continue;
    if (route.method == req.method) return &route;
    otherMethod = true;
  }
  missing = otherMethod ? Problem{405, "Method not allowed", "see /v1/openapi.json"}
                        : Problem{404, "Not found", "no such route; see /v1/openapi.json"};
  return nullptr;
}

std::string Router::clientAddress(const Request& req) const {
  if (!trustedProxies_.count(req.remoteAddress)) return req.remoteAddress;
  // nginx: proxy_set_header X-Real-IP $remote_addr — one address, set by the proxy, not appended
  // to (as X-Forwarded-For is), so nothing the client sent survives in it.
  std::string real = req.get_header_value("X-Real-IP");
  bool address = !real.empty() && real.size() <= 45 &&
                 real.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
  return address ? real : req.remoteAddress;
}

ApiKey Router::authenticate(const Request& req, const Route& route, std::string& who) {
  if (route.roles.empty()) return ApiKey{"-", Role::kAdmin};
  const std::string address = clientAddress(req);
  if (int wait = refusals_.waitWithoutCounting(address)) {
    throw Problem{429, "Too many refused keys",
                  "请求被拒绝次数过多，请稍后再试 / too many refused keys from this address; "
                  "wait before trying again",
                  wait};
  }
  auto refuse = [&](Problem p) {
    refusals_.wait(address);
    return p;
  };
  // RFC 6750 §2.1: the key comes as a bearer token; the scheme's name is case-insensitive
  // (RFC 9110 §11.1). A bare key is refused: one way to present it, the documented one.
  std::string presented = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "bearer ";
  bool bearer = presented.size() > kScheme.size() &&
                std::equal(kScheme.begin(), kScheme.end(), presented.begin(), [](char a, char b) {
                  return a == std::tolower(static_cast<unsigned char>(b));
                });
  if (!bearer) {
    throw refuse(Problem{401, "API key required",
                         "需要 API 密钥 / send the key as Authorization: Bearer <key>"});
  }
  auto key = keys_.find(presented.substr(kScheme.size()));
  if (!key) throw refuse(Problem{401, "Unknown API key", "this key is not one of ours"});
  if (key->expiredOn(chinaDayOf(systemClock()))) {
    throw refuse(Problem{401, "Expired API key", "this key expired after " +
                                                      formatDate(*key->expiresOn) +
                                                      "; ask for a new one"});
  }
  who = key->name;
  if (std::find(route.roles.begin(), route.roles.end(), key->role) == route.roles.end()) {
    throw refuse(
        Problem{403, "Not allowed",
                "the " + roleName(key->role) + " role may not use " + route.metrics.route().path});
  }
  return *key;
}

std::optional<Response> Router::checkHeaders(const Request& req) {
  std::smatch matches;
  Problem missing{};
  const Route* route = find(req, matches, missing);
  Response res;
  if (!route) {  // no body is read for a route that does not exist either
    sendProblem(res, missing, requestIdOf(req, res), req);
    return res;
  }
  auto started = std::chrono::steady_clock::now();
  std::string who = "-";
  try {
    authenticate(req, *route, who);
    return std::nullopt;
  } catch (const Problem& p) {
    std::string requestId = requestIdOf(req, res);
    sendProblem(res, p, requestId, req);
    finish(req, res, *route, requestId, who, started);
    return res;
  }
}

void Router::serve(Request& req, Response& res) {
  auto started = std::chrono::steady_clock::now();
  std::string requestId = requestIdOf(req, res);
  Problem missing{};
  const Route* route = find(req, req.matches, missing);
  if (!route) return sendProblem(res, missing, requestId, req);
  std::string who = "-";
  try {
    ApiKey key = authenticate(req, *route, who);
    if (!route->roles.empty()) {
      if (int wait = limiter_.wait(key.name)) {
        throw Problem{429, "Too many requests", "slow down: this key's rate is limited", wait};
      }
    }
    route->handler(req, res, key);
  } catch (const Problem& p) {
    sendProblem(res, p, requestId, req);
  } catch (const RedisUnavailable& e) {
    log_.warn("Redis unavailable", {{"requestId", requestId}, {"error", e.what()}});
    sendProblem(res, Problem{503, "Storage unavailable", "try again shortly"}, requestId, req);
  } catch (const BusUnreachable&) {
    sendProblem(res, Problem{503, "Bus unavailable", "events cannot be submitted now; try again"},
                requestId, req);
  } catch (const std::exception& e) {
    log_.error(
        "request failed",
        {{"requestId", requestId}, {"route", route->metrics.route().path}, {"error", e.what()}});
    sendProblem(res, Problem{500, "Internal error", "logged as request " + requestId}, requestId,
                req);
  }
  finish(req, res, *route, requestId, who, started);
}

Response Router::refusal(int status, const std::string& reason) {
  Response res;
  Request none;
  sendProblem(res, Problem{status, "Request not served", reason}, requestIdOf(none, res), none);
  return res;
}

void Router::finish(const Request&, const Response& res, const Route& route,
                    const std::string& requestId, const std::string& who,
                    std::chrono::steady_clock::time_point started) {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  route.metrics.observe(res.status, seconds);
  const auto& [method, path] = route.metrics.route();
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
