#include "gateway.h"

#include <httplib.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include <regex>
#include <sstream>
#include <variant>

#include "bus_client.h"
#include "event_json.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "ids.h"
#include "indicator_exporter.h"
#include "masking.h"
#include "metrics.h"
#include "mwp/messages/query.capnp.h"
#include "section_cache.h"
#include "service_loop.h"
#include "services.h"

namespace mwp::gateway {
namespace {

using httplib::Request;
using httplib::Response;

// Services that keep a section of a worker's record (outreach keeps none).
const std::vector<std::string> kSectionServices = [] {
  std::vector<std::string> names;
  for (const auto& s : kServices) {
    if (s.keepsWorkerSection) names.emplace_back(s.name);
  }
  return names;
}();

// A pool of objects that are not thread-safe (Redis connections, publishers): one per request.
template <typename T>
class Pool {
 public:
  explicit Pool(std::function<std::unique_ptr<T>()> make) : make_(std::move(make)) {}
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    ~Lease() { pool_.give(std::move(item_)); }
    T& operator*() { return *item_; }
    T* operator->() { return item_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<T> item_;
  };
  Lease take() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return Lease(*this, make_());
    auto item = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(item));
  }

 private:
  void give(std::unique_ptr<T> item) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(item));
  }
  std::function<std::unique_ptr<T>()> make_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<T>> idle_;
};

// A token bucket per API key: `rate` requests a second, bursts of as many.
class RateLimiter {
 public:
  explicit RateLimiter(double rate) : rate_(rate) {}
  // 0 when the request may go ahead; otherwise the seconds to wait.
  int wait(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    auto& b = buckets_.try_emplace(key, Bucket{rate_, now}).first->second;
    b.tokens =
        std::min(rate_, b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count());
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  double rate_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

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

std::string etagOf(const std::string& body) {
  return "\"" + hex64(fnv1a64(body)) + "\"";
}

int intParam(const Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (const std::exception&) {
    return -1;
  }
}

// Thrown by handlers for an error the caller can act on; becomes problem+json.
struct Problem {
  int status;
  std::string title;
  std::string detail;
  int retryAfter = 0;
};

std::string sectionJson(const ServiceAnswer& a) {
  switch (a.kind) {
    case ServiceAnswer::Kind::kJson:
      return "{\"status\":\"ok\",\"data\":" + a.text + "}";
    case ServiceAnswer::Kind::kNotFound:
      return "{\"status\":\"none\"}";
    case ServiceAnswer::Kind::kError:
      return "{\"status\":\"error\",\"detail\":" + jsonQuote(a.text) + "}";
    default:
      return "{\"status\":\"unavailable\"}";
  }
}

}  // namespace

struct Gateway::Impl {
  Impl(GatewayOptions o, ApiKeys k, const Catalogue& c, zmq::context_t& ctx,
       prometheus::Registry& registry)
      : options(std::move(o)),
        keys(std::move(k)),
        catalogue(c),
        context(ctx),
        services(ctx, options.services, registry, options.servicesCurve),
        sections(options.redis, options.keptSections, registry),
        redis([this] { return std::make_unique<Redis>(options.redis, std::chrono::seconds(2)); }),
        publishers([this] {
          PublisherOptions p;
          p.replyTimeout = std::chrono::milliseconds(1000);
          p.attempts = 3;
          p.curve = options.busCurve;
          return std::make_unique<Publisher>(context, options.busIngest, p);
        }),
        limiter(options.requestsPerSecond),
        requests(prometheus::BuildCounter()
                     .Name("mwp_gateway_requests_total")
                     .Help("HTTP requests by route template, method and status code")
                     .Register(registry)),
        latency(prometheus::BuildHistogram()
                    .Name("mwp_gateway_request_seconds")
                    .Help("HTTP request time by route template")
                    .Register(registry)) {}

  using Handler = std::function<void(const Request&, Response&, const ApiKey&)>;

  // Registers a route: request id, key, role, rate limit, metrics, problems — then the handler.
  void route(std::vector<RouteInfo>& info, const std::string& method, const std::string& path,
             const std::string& pattern, std::vector<Role> roles, Handler handler) {
    info.push_back({method, path});
    auto wrapped = [this, method, path, roles, handler](const Request& req, Response& res) {
      auto started = std::chrono::steady_clock::now();
      std::string requestId = req.get_header_value("X-Request-Id");
      if (!sane(requestId)) requestId = randomId();
      res.set_header("X-Request-Id", requestId);
      std::string who = "-";
      try {
        std::optional<ApiKey> key;
        if (!roles.empty()) {
          std::string presented = req.get_header_value("Authorization");
          if (presented.rfind("Bearer ", 0) == 0) presented = presented.substr(7);
          if (presented.empty()) presented = req.get_header_value("X-API-Key");
          if (presented.empty())
            throw Problem{401, "API key required", "send Authorization: Bearer <key>"};
          key = keys.find(presented);
          if (!key) throw Problem{401, "Unknown API key", "this key is not one of ours"};
          who = key->name;
          if (std::find(roles.begin(), roles.end(), key->role) == roles.end()) {
            throw Problem{403, "Not allowed",
                          "the " + roleName(key->role) + " role may not use " + path};
          }
          if (int wait = limiter.wait(key->name)) {
            throw Problem{429, "Too many requests", "slow down: this key's rate is limited", wait};
          }
        }
        handler(req, res, key.value_or(ApiKey{"-", Role::kAdmin}));
      } catch (const Problem& p) {
        problem(res, p, requestId);
      } catch (const RedisUnavailable& e) {
        log.warn("Redis unavailable", {{"requestId", requestId}, {"error", e.what()}});
        problem(res, Problem{503, "Storage unavailable", "try again shortly"}, requestId);
      } catch (const BusUnreachable& e) {
        problem(res, Problem{503, "Bus unavailable", "events cannot be submitted now; try again"},
                requestId);
      } catch (const std::exception& e) {
        log.error("request failed",
                  {{"requestId", requestId}, {"route", path}, {"error", e.what()}});
        problem(res, Problem{500, "Internal error", "logged as request " + requestId}, requestId);
      }
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      requests.Add({{"route", path}, {"method", method}, {"code", std::to_string(res.status)}})
          .Increment();
      latency
          .Add({{"route", path}},
               latencyBuckets())
          .Observe(seconds);
      // The route template, never the path: paths carry resident IDs.
      log.info("request", {{"requestId", requestId},
                           {"method", method},
                           {"route", path},
                           {"status", std::to_string(res.status)},
                           {"key", who},
                           {"ms", std::to_string(static_cast<int>(seconds * 1000))}});
    };
    if (method == "GET") server.Get(pattern, wrapped);
    if (method == "POST") server.Post(pattern, wrapped);
  }

  void problem(Response& res, const Problem& p, const std::string& requestId) {
    res.status = p.status;
    if (p.retryAfter) res.set_header("Retry-After", std::to_string(p.retryAfter));
    res.set_content("{\"type\":\"about:blank\",\"title\":" + jsonQuote(p.title) + ",\"status\":" +
                        std::to_string(p.status) + ",\"detail\":" + jsonQuote(p.detail) +
                        ",\"instance\":" + jsonQuote("urn:request:" + requestId) + "}",
                    "application/problem+json");
  }

  // Sends JSON with an ETag; 304 when the caller already has it.
  void json(const Request& req, Response& res, const std::string& body, int status = 200) {
    std::string etag = etagOf(body);
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.status = status;
    res.set_content(body, "application/json");
  }

  std::string visible(const ApiKey& key, const std::string& body) {
    return visibilityOf(key.role).fullResidentIds ? body : maskResidentIds(body);
  }

  // The sections of these services, those kept from before and the others asked now.
  std::map<std::string, ServiceAnswer> workerSections(const std::string& workerId,
                                                      const std::vector<std::string>& of) {
    auto ticket = sections.ticket();
    std::map<std::string, ServiceAnswer> answers;
    std::vector<std::string> toAsk;
    for (const auto& s : of) {
      if (auto kept = sections.find(s, workerId)) {
        answers[s] = std::move(*kept);
      } else {
        toAsk.push_back(s);
      }
    }
    if (toAsk.empty()) return answers;
    capnp::MallocMessageBuilder query;
    query.initRoot<msg::Query>().setWorkerSection(workerId);
    for (auto& [s, answer] : services.ask(query, options.deadline, toAsk)) {
      sections.keep(ticket, s, workerId, answer);
      answers[s] = std::move(answer);
    }
    return answers;
  }

  void workerRecord(const Request& req, Response& res, const ApiKey& key) {
    std::string workerId = req.matches[1];
    if (!isValidResidentId(workerId)) {
      throw Problem{400, "Invalid resident ID",
                    "the workerId is not 18 characters with a valid GB 11643 check character"};
    }
    auto visibility = visibilityOf(key.role);
    std::vector<std::string> asked;
    for (const auto& s : kSectionServices) {
      if (s != "health" || visibility.healthSection) asked.push_back(s);
    }
    auto answers = workerSections(workerId, asked);

    std::string sections, unavailable;
    bool known = false, missing = false;
    for (const auto& s : asked) {
      const auto& a = answers[s];
      known |= a.kind == ServiceAnswer::Kind::kJson;
      if (a.kind == ServiceAnswer::Kind::kUnavailable) {
        missing = true;
        unavailable += (unavailable.empty() ? "" : ",") + jsonQuote(s);
      }
      sections += (sections.empty() ? "" : ",") + jsonQuote(s) + ":" + sectionJson(a);
    }
    if (!known && !missing)
      throw Problem{404, "Unknown worker", "no service has a record of this worker"};

    // 每次查询留痕: the read is audited before the answer goes out, or not answered.
    std::string sectionNames;
    for (const auto& s : asked) sectionNames += (sectionNames.empty() ? "" : ",") + s;
    auto r = redis.take();
    auto audit = r->command({"XADD", "mwp:audit", "MAXLEN", "~", "10000000", "*", "key", key.name,
                             "role", roleName(key.role), "worker", workerId, "sections",
                             sectionNames, "at", std::to_string(systemClock())});
    if (audit.isError()) throw RedisUnavailable("audit not written: " + audit.str);

    std::string body = "{\"workerId\":" + jsonQuote(workerId) + ",\"sections\":{" + sections +
                       "},\"unavailable\":[" + unavailable + "]}";
    json(req, res, visible(key, body));
  }

  void listing(const Request& req, Response& res, const ApiKey& key, const std::string& service,
               const std::string& name, const std::string& filter) {
    int size = intParam(req, "page_size", 50);
    if (size < 1 || size > 500) throw Problem{400, "Bad page_size", "page_size runs from 1 to 500"};
    std::string token = req.has_param("page_token") ? req.get_param_value("page_token") : "";
    if (!token.empty() && token.find_first_not_of("0123456789") != std::string::npos) {
      throw Problem{400, "Bad page_token", "pass back the nextPageToken of the previous page"};
    }
    capnp::MallocMessageBuilder query;
    auto list = query.initRoot<msg::Query>().initList();
    list.setName(name);
    list.setFilter(filter);
    list.setPageSize(static_cast<uint32_t>(size));
    list.setPageToken(token);
    auto answer = services.ask(query, options.deadline, {service})[service];
    if (answer.kind != ServiceAnswer::Kind::kJson) {
      throw Problem{503, "Service unavailable",
                    "the " + service + " service did not answer in time"};
    }
    json(req, res, visible(key, answer.text));
  }

  std::string areaParam(const Request& req) {
    std::string area = req.has_param("area") ? req.get_param_value("area") : "";
    if (!area.empty() && area != "all" && !catalogue.isReportingArea(area)) {
      throw Problem{400, "Unknown area",
                    "area is a Mianyang county code or a park of the area table"};
    }
    return area;
  }

  // Every indicator of every measure, for a year and an area, from the services that own them.
  std::string measuresJson(int year, const std::string& area, int only) {
    capnp::MallocMessageBuilder query;
    auto q = query.initRoot<msg::Query>().initIndicators();
    q.setYear(static_cast<uint16_t>(year));
    q.setArea(area.empty() ? "all" : area);
    auto answers = services.ask(query, options.deadline);
    std::map<int, std::string> indicatorsByMeasure;
    std::set<std::string> unavailable;
    // The services answer [{"measure":n,"indicator":…,"value":…,"target":…},…]; regroup by measure.
    static const std::regex item(R"(\{"measure":(\d+),[^{}]*\})");
    for (const auto& [service, answer] : answers) {
      if (answer.kind != ServiceAnswer::Kind::kJson) {
        unavailable.insert(service);
        continue;
      }
      for (std::sregex_iterator it(answer.text.begin(), answer.text.end(), item), end; it != end;
           ++it) {
        int m = std::stoi((*it)[1]);
        auto& list = indicatorsByMeasure[m];
        list += (list.empty() ? "" : ",") + it->str();
      }
    }
    std::string out = "[";
    for (auto m : catalogue.data().getMeasures()) {
      int n = m.getNumber();
      if (only && n != only) continue;
      std::string lead;
      for (auto d : m.getLead())
        lead += (lead.empty() ? "" : ",") + jsonQuote(catalogue.departmentName(d));
      std::string service = enumName(m.getService());
      if (out.size() > 1) out += ",";
      out += "{\"number\":" + std::to_string(n) +
             ",\"titleZh\":" + jsonQuote(m.getTitleZh().cStr()) +
             ",\"titleEn\":" + jsonQuote(m.getTitleEn().cStr()) + ",\"lead\":[" + lead + "]" +
             ",\"service\":" + jsonQuote(service) +
             ",\"status\":" + (unavailable.count(service) ? "\"unavailable\"" : "\"ok\"") +
             ",\"indicators\":[" + indicatorsByMeasure[n] + "]}";
    }
    return out + "]";
  }

  void measures(const Request& req, Response& res, const ApiKey&, int only) {
    int year = intParam(req, "year", yearOf(formatDate(chinaDayOf(systemClock()))));
    if (year < 2019 || year > 2100) throw Problem{400, "Bad year", "year runs from 2019"};
    std::string body = measuresJson(year, areaParam(req), only);
    json(req, res,
         only ? body.substr(1, body.size() - 2)
              : "{\"year\":" + std::to_string(year) + ",\"measures\":" + body + "}");
  }

  // One result of an event submission, as JSON.
  static std::string resultJson(const std::string& eventId, const IngestResult* r,
                                const std::string& refusal) {
    if (!r) {
      return "{\"eventId\":" + jsonQuote(eventId) +
             ",\"status\":\"refused\",\"reason\":" + jsonQuote(refusal) + "}";
    }
    switch (r->status) {
      case msg::IngestReply::Status::ACK:
        return "{\"eventId\":" + jsonQuote(eventId) +
               ",\"status\":\"accepted\",\"partition\":" + std::to_string(r->partition) +
               ",\"sequence\":" + std::to_string(r->sequence) + "}";
      case msg::IngestReply::Status::DUPLICATE:
        return "{\"eventId\":" + jsonQuote(eventId) +
               ",\"status\":\"duplicate\",\"partition\":" + std::to_string(r->partition) +
               ",\"sequence\":" + std::to_string(r->sequence) + "}";
      default:
        return "{\"eventId\":" + jsonQuote(eventId) +
               ",\"status\":\"refused\",\"reason\":" + jsonQuote(r->reason) + "}";
    }
  }

  void submit(const Request& req, Response& res, const ApiKey& key) {
    bool ndjson = req.get_header_value("Content-Type").find("ndjson") != std::string::npos;
    std::vector<std::string> lines;
    if (ndjson) {
      std::istringstream in(req.body);
      for (std::string l; std::getline(in, l);) {
        if (l.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(l);
      }
    } else {
      lines.push_back(req.body);
    }
    if (lines.empty()) throw Problem{400, "No event", "send one JSON event, or NDJSON lines"};
    struct Item {
      std::string eventId, frame, refusal;
    };
    std::vector<Item> items;
    std::vector<std::string> frames;
    for (const auto& l : lines) {
      auto decoded = decodeEventJson(l);
      if (auto* e = std::get_if<JsonError>(&decoded)) {
        items.push_back({e->eventId, "", e->reason});
        continue;
      }
      auto envelope = std::get<DecodedEvent>(decoded).envelope();
      std::string id = envelope.getEventId().cStr();
      if (key.role == Role::kDepartment && envelope.getSource() != key.department) {
        if (!ndjson) {
          throw Problem{403, "Not your department",
                        "this key may submit events of " + enumName(key.department) + " only"};
        }
        items.push_back(
            {id, "",
             "source: this key may submit events of " + enumName(key.department) + " only"});
        continue;
      }
      items.push_back({id, toBytes(*std::get<DecodedEvent>(decoded).message), ""});
      frames.push_back(items.back().frame);
    }
    std::vector<IngestResult> results;
    if (!frames.empty()) results = publishers.take()->publish(frames);
    std::string body;
    size_t next = 0;
    for (const auto& item : items) {
      const IngestResult* r = item.frame.empty() ? nullptr : &results[next++];
      body += (body.empty() ? "" : ",") + resultJson(item.eventId, r, item.refusal);
    }
    if (ndjson) {
      json(req, res, "{\"results\":[" + body + "]}");
      return;
    }
    const IngestResult* r = results.empty() ? nullptr : &results[0];
    if (!r || r->status == msg::IngestReply::Status::NACK) {
      throw Problem{422, "Event refused", r ? r->reason : items[0].refusal};
    }
    json(req, res, body, r->status == msg::IngestReply::Status::ACK ? 202 : 200);
  }

  void eventStatus(const Request& req, Response& res, const ApiKey& key) {
    std::string eventId = req.matches[1];
    if (!isValidEventId(eventId))
      throw Problem{400, "Invalid eventId", "1–64 characters of A–Z a–z 0–9 . _ : -"};
    auto stored = redis.take()->command({"GET", keys::dedup(eventId)});
    capnp::MallocMessageBuilder query;
    query.initRoot<msg::Query>().setVerdict(eventId);
    auto answers = services.ask(query, options.deadline);
    std::string verdicts;
    for (const auto& [service, a] : answers) {
      if (a.kind == ServiceAnswer::Kind::kNotFound) continue;
      std::string v = a.kind == ServiceAnswer::Kind::kJson ? a.text : "\"unavailable\"";
      verdicts += (verdicts.empty() ? "" : ",") + jsonQuote(service) + ":" + v;
    }
    std::string refusal;
    if (stored.isNil()) refusal = busRefusal(eventId);
    if (stored.isNil() && verdicts.empty() && refusal.empty()) {
      throw Problem{404, "Unknown event",
                    "no event with this id was stored in the last 30 days or recently refused"};
    }
    std::string where = "null";
    if (auto placed = stored.isNil() ? std::nullopt : parseDedupEntry(stored.str)) {
      where = "{\"partition\":" + std::to_string(placed->partition) +
              ",\"sequence\":" + std::to_string(placed->sequence) + "}";
    }
    json(req, res,
         visible(key, "{\"eventId\":" + jsonQuote(eventId) + ",\"stored\":" + where +
                          ",\"refusedByBus\":" + (refusal.empty() ? "null" : jsonQuote(refusal)) +
                          ",\"verdicts\":{" + verdicts + "}}"));
  }

  // The bus's reason for refusing an event, from the newest of the rejected-events stream (the
  // last kRecentRefusals refusals); "" when it is not among them.
  std::string busRefusal(const std::string& eventId) {
    constexpr const char* kRecentRefusals = "10000";
    auto recent =
        redis.take()->command({"XREVRANGE", keys::kRejected, "+", "-", "COUNT", kRecentRefusals});
    for (const auto& entry : recent.elements) {
      if (entry.elements.size() != 2) continue;
      const auto& kv = entry.elements[1].elements;
      std::string id, reason;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (kv[i].str == "eventId") id = kv[i + 1].str;
        if (kv[i].str == "reason") reason = kv[i + 1].str;
      }
      if (id == eventId) return reason;
    }
    return "";
  }

  void auditLog(const Request& req, Response& res, const ApiKey&) {
    int limit = intParam(req, "limit", 100);
    if (limit < 1 || limit > 1000) throw Problem{400, "Bad limit", "limit runs from 1 to 1000"};
    std::string worker = req.has_param("worker") ? req.get_param_value("worker") : "";
    auto entries = redis.take()->command({"XREVRANGE", "mwp:audit", "+", "-", "COUNT",
                                          std::to_string(worker.empty() ? limit : 100000)});
    std::string out;
    int n = 0;
    for (const auto& e : entries.elements) {
      if (n >= limit || e.elements.size() != 2) break;
      std::map<std::string, std::string> f;
      const auto& kv = e.elements[1].elements;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) f[kv[i].str] = kv[i + 1].str;
      if (!worker.empty() && f["worker"] != worker) continue;
      out += std::string(out.empty() ? "" : ",") + "{\"id\":" + jsonQuote(e.elements[0].str) +
             ",\"key\":" + jsonQuote(f["key"]) + ",\"role\":" + jsonQuote(f["role"]) +
             ",\"worker\":" + jsonQuote(f["worker"]) + ",\"sections\":" + jsonQuote(f["sections"]) +
             ",\"at\":" + (f["at"].empty() ? "0" : f["at"]) + "}";
      ++n;
    }
    json(req, res, "{\"entries\":[" + out + "]}");
  }

  GatewayOptions options;
  ApiKeys keys;
  const Catalogue& catalogue;
  zmq::context_t& context;
  httplib::Server server;
  ScatterGather services;
  SectionCache sections;
  Pool<Redis> redis;
  Pool<Publisher> publishers;
  RateLimiter limiter;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;
  Logger log{"gateway"};
};

Gateway::Gateway(GatewayOptions options, ApiKeys keys, const Catalogue& catalogue,
                 zmq::context_t& context, prometheus::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(keys), catalogue, context,
                                   registry)) {
  auto& i = *impl_;
  auto& s = i.server;
  // cpp-httplib's defaults cap it near 300 requests/s here (Nagle, 5 requests per connection).
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(100000);
  s.set_payload_max_length(i.options.maxBodyBytes);
  s.set_read_timeout(5, 0);
  s.set_write_timeout(5, 0);
  size_t threads = i.options.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_error_handler([&i](const Request& req, Response& res) {
    if (!res.body.empty()) return;
    std::string requestId = req.get_header_value("X-Request-Id");
    if (!sane(requestId)) requestId = randomId();
    res.set_header("X-Request-Id", requestId);
    i.problem(
        res,
        Problem{res.status, res.status == 404 ? "Not found" : "Request not served",
                res.status == 404 ? "no such route; see /v1/openapi.json" : "see the status code"},
        requestId);
  });

  using R = Role;
  const std::vector<Role> readers{R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth};
  const std::vector<Role> everyone{R::kAdmin,  R::kIntegrator, R::kCaseworker,
                                   R::kHealth, R::kAuditor,    R::kDepartment};
  i.route(routeInfo_, "GET", "/v1/workers/{workerId}", R"(/v1/workers/([^/]+))", readers,
          [&i](auto& q, auto& r, auto& k) { i.workerRecord(q, r, k); });
  i.route(routeInfo_, "GET", "/v1/workers", R"(/v1/workers)", readers,
          [&i](auto& q, auto& r, auto& k) {
            std::string stale = q.has_param("stale") ? q.get_param_value("stale") : "false";
            if (stale != "true" && stale != "false")
              throw Problem{400, "Bad stale", "stale is true or false"};
            i.listing(q, r, k, "employment", "registry", i.areaParam(q) + "|" + stale);
          });
  i.route(routeInfo_, "GET", "/v1/measures", R"(/v1/measures)", everyone,
          [&i](auto& q, auto& r, auto& k) { i.measures(q, r, k, 0); });
  i.route(routeInfo_, "GET", "/v1/measures/{number}", R"(/v1/measures/(\d+))", everyone,
          [&i](auto& q, auto& r, auto& k) {
            int n = std::stoi(q.matches[1]);
            if (!i.catalogue.hasMeasure(n))
              throw Problem{404, "Unknown measure", "measures run from 1 to 30"};
            i.measures(q, r, k, n);
          });
  i.route(routeInfo_, "GET", "/v1/cases", R"(/v1/cases)", {R::kAdmin, R::kCaseworker},
          [&i](auto& q, auto& r, auto& k) {
            std::string status = q.has_param("status") ? q.get_param_value("status") : "open";
            if (status != "open" && status != "overdue") {
              throw Problem{400, "Bad status", "status is open or overdue"};
            }
            i.listing(q, r, k, "rights", "cases", status + "|" + i.areaParam(q));
          });
  i.route(routeInfo_, "POST", "/v1/events", R"(/v1/events)", {R::kAdmin, R::kDepartment},
          [&i](auto& q, auto& r, auto& k) { i.submit(q, r, k); });
  i.route(routeInfo_, "GET", "/v1/events/{eventId}", R"(/v1/events/([^/]+))",
          {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth, R::kDepartment},
          [&i](auto& q, auto& r, auto& k) { i.eventStatus(q, r, k); });
  i.route(routeInfo_, "GET", "/v1/audit", R"(/v1/audit)", {R::kAdmin, R::kAuditor},
          [&i](auto& q, auto& r, auto& k) { i.auditLog(q, r, k); });
  i.route(routeInfo_, "GET", "/v1/openapi.json", R"(/v1/openapi\.json)", {},
          [](auto&, auto& r, auto&) { r.set_content(openApiDocument(), "application/json"); });
}

Gateway::~Gateway() {
  stop();
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
