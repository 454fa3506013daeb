#include "admin_server.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <stdexcept>

#include "http_server.h"

namespace mwp {
namespace {

// An admin port is asked by Prometheus and the orchestrator's probes, a few requests a second:
// small pools and caps, so that no client can tie it up (a /readyz that times out restarts a
// healthy process).
http::ServerLimits adminLimits() {
  http::ServerLimits limits;
  limits.workers = 2;
  limits.maxQueued = 64;
  limits.maxConnections = 128;
  limits.maxConnectionsPerAddress = 16;
  limits.maxBodyBytes = 0;  // GET only
  limits.headerDeadline = std::chrono::milliseconds(2000);
  limits.idleTimeout = std::chrono::milliseconds(10000);
  return limits;
}

}  // namespace

AdminServer::AdminServer(const std::string& host, int port, prometheus::Registry& registry,
                         std::function<bool()> ready)
    : AdminServer(host, port, registry, [ready = std::move(ready)]() -> std::optional<std::string> {
        if (ready()) return std::nullopt;
        return std::string();
      }) {}

AdminServer::AdminServer(const std::string& host, int port, prometheus::Registry& registry,
                         std::function<std::optional<std::string>()> notReadyBecause) {
  auto serve = [&registry, notReadyBecause](http::Request& req, http::Response& res) {
    if (req.method != "GET") {
      res.status = 405;
      res.set_header("Allow", "GET");
      res.set_content("GET only\n", "text/plain");
    } else if (req.path == "/metrics") {
      std::ostringstream out;
      prometheus::TextSerializer().Serialize(out, registry.Collect());
      res.set_content(out.str(), "text/plain; version=0.0.4; charset=utf-8");
    } else if (req.path == "/livez") {
      res.set_content("ok\n", "text/plain");
    } else if (req.path == "/readyz") {
      auto why = notReadyBecause();
      res.status = why ? 503 : 200;
      res.set_content(!why           ? "ready\n"
                      : why->empty() ? "not ready\n"
                                     : "not ready: " + *why + "\n",
                      "text/plain");
    } else {
      res.status = 404;
      res.set_content("not found: /metrics, /livez, /readyz\n", "text/plain");
    }
  };
  server_ = std::make_unique<http::HttpServer>(adminLimits(), serve);
  try {
    port_ = server_->listen(host, port);
  } catch (const std::exception& e) {
    throw std::runtime_error("admin port " + host + ":" + std::to_string(port) +
                             " cannot be bound: " + e.what());
  }
}

AdminServer::~AdminServer() = default;

}  // namespace mwp
