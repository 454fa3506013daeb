// The admin port every process opens: /metrics (Prometheus text format), /livez (the process
// answers) and /readyz (it can do its job: the readiness check passed). prometheus-cpp's Exposer
// serves only metrics, so one small cpp-httplib server serves all three. Plain HTTP on an internal
// port. Thread-safe; serves from its own threads until destroyed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
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
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace mwp
