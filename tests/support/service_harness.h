// A service binary running against a bus in the test process: started with free ports, asked
// through its real query socket, read through its real /metrics.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "query_server.h"
#include "test_env.h"

namespace mwp::test {

class RunningService {
 public:
  // `name` as in MWP_<NAME>_* ("employment"); `env` adds to or overrides the defaults; its log
  // lines are appended to `stderrFile` ("" keeps the test's stderr).
  RunningService(const std::string& binary, const std::string& name, const BusThread& bus,
                 std::map<std::string, std::string> env = {}, std::string stderrFile = "");

  void kill9() { process_.kill9(); }
  const std::string& queryEndpoint() const { return queryEndpoint_; }
  void start() { process_.start(); }

  // The answer to a query: {"json", text}, {"notFound", ""}, {"error", text}, or {"timeout", ""}.
  std::pair<std::string, std::string> ask(capnp::MessageBuilder& query);
  std::pair<std::string, std::string> section(const std::string& workerId);
  std::pair<std::string, std::string> verdict(const std::string& eventId);
  std::pair<std::string, std::string> indicators(int year, const std::string& area, int measure);

  // Waits until the service has a verdict for `eventId` (it has applied everything before it in
  // that partition); fails the test after `seconds`.
  void waitForVerdict(const std::string& eventId, int seconds = 15);

  // GET /metrics, and one sample of it (nullopt when absent).
  std::string metrics();
  std::optional<double> metric(const std::string& name, std::map<std::string, std::string> labels);
  // Waits until a sample has `value` (gauges are refreshed every MWP_INDICATOR_REFRESH_MS).
  std::optional<double> waitForMetric(const std::string& name,
                                      std::map<std::string, std::string> labels, double value,
                                      int seconds = 10);

 private:
  std::string queryEndpoint_;
  int adminPort_;
  ChildProcess process_;
  zmq::context_t context_;
  std::unique_ptr<QueryClient> client_;
};

}  // namespace mwp::test
