// The admin port every process opens: /metrics (Prometheus text format), /livez (the process
// answers) and /readyz (it can do its job: the readiness check passed). prometheus-cpp's Exposer
// serves only metrics, so one small HttpServer (http_server.h: deadlines and connection caps, so
// slow clients cannot make /readyz time out) serves all three. Plain HTTP, bound to an internal
// address (MWP_ADMIN_HOST, 127.0.0.1 by default): /metrics is not for the outside world.
// Thread-safe; serves from its own threads until destroyed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mwp::http {
class HttpServer;
}
namespace prometheus {
class Registry;
}

namespace mwp {

class AdminServer {
 public:
  // Binds host:port (port 0: any free port) and starts serving. Throws std::runtime_error if the
  // port cannot be bound. `ready` is called for each /readyz and must be thread-safe.
  AdminServer(const std::string& host, int port, prometheus::Registry& registry,
              std::function<bool()> ready);
  // The same, with /readyz saying why the process is not ready: `notReadyBecause` returns nullopt
  // when it is ready, else the reason (one line, no resident ID).
  AdminServer(const std::string& host, int port, prometheus::Registry& registry,
              std::function<std::optional<std::string>()> notReadyBecause);
  ~AdminServer();

  int port() const { return port_; }

 private:
  std::unique_ptr<http::HttpServer> server_;
  int port_ = 0;
};

}  // namespace mwp
