#include "admin_server.h"

#include <httplib.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <stdexcept>

namespace mwp {

AdminServer::AdminServer(const std::string& host, int port, prometheus::Registry& registry,
                         std::function<bool()> ready)
    : AdminServer(host, port, registry, [ready = std::move(ready)]() -> std::optional<std::string> {
        if (ready()) return std::nullopt;
        return std::string();
      }) {}

AdminServer::AdminServer(const std::string& host, int port, prometheus::Registry& registry,
                         std::function<std::optional<std::string>()> notReadyBecause)
    : server_(std::make_unique<httplib::Server>()) {
  server_->set_tcp_nodelay(true);
  server_->Get("/metrics", [&registry](const httplib::Request&, httplib::Response& res) {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry.Collect());
    res.set_content(out.str(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/livez", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/readyz", [notReadyBecause](const httplib::Request&, httplib::Response& res) {
    auto why = notReadyBecause();
    res.status = why ? 503 : 200;
    res.set_content(!why ? "ready\n" : why->empty() ? "not ready\n" : "not ready: " + *why + "\n",
                    "text/plain");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    throw std::runtime_error("admin port " + host + ":" + std::to_string(port) +
                             " cannot be bound");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

AdminServer::~AdminServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mwp
