#include "service_harness.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "frames.h"
#include "mwp/messages/query.capnp.h"

namespace mwp::test {
namespace {

std::map<std::string, std::string> serviceEnv(const std::string& name, const BusThread& bus,
                                              const std::string& query, int adminPort,
                                              std::map<std::string, std::string> extra) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  std::map<std::string, std::string> env{
      {"MWP_BUS_INGEST", bus.ingest},
      {"MWP_BUS_PUBLISH", bus.publish},
      {"MWP_PARTITION_COUNT", std::to_string(bus.partitionCount)},
      {"MWP_" + upper + "_QUERY_BIND", query},
      {"MWP_" + upper + "_ADMIN_PORT", std::to_string(adminPort)},
      {"MWP_INDICATOR_REFRESH_MS", "200"}};
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

int portOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

}  // namespace

RunningService::RunningService(const std::string& binary, const std::string& name,
                               const BusThread& bus, std::map<std::string, std::string> env,
                               std::string stderrFile)
    : queryEndpoint_(freeEndpoint()),
      adminPort_(portOf(freeEndpoint())),
      process_(binary, serviceEnv(name, bus, queryEndpoint_, adminPort_, std::move(env)),
               std::move(stderrFile)) {
  process_.start();
  client_ = std::make_unique<QueryClient>(context_, queryEndpoint_);
}

std::pair<std::string, std::string> RunningService::ask(capnp::MessageBuilder& query) {
  auto answer = client_->ask(query, std::chrono::seconds(3));
  if (!answer) return {"timeout", ""};
  FrameReader reader(*answer);
  auto reply = reader.root<msg::QueryReply>();
  switch (reply.which()) {
    case msg::QueryReply::JSON:
      return {"json", reply.getJson().cStr()};
    case msg::QueryReply::NOT_FOUND:
      return {"notFound", ""};
    case msg::QueryReply::INDICATORS: {  // as the gateway shows them
      JsonWriter json;
      json.beginArray();
      for (const auto& i : indicatorsOf(reply)) writeIndicator(json, i);
      return {"json", json.endArray().take()};
    }
    default:
      return {"error", reply.getError().cStr()};
  }
}

std::pair<std::string, std::string> RunningService::section(const std::string& workerId) {
  capnp::MallocMessageBuilder query;
  query.initRoot<msg::Query>().setWorkerSection(workerId);
  return ask(query);
}

std::pair<std::string, std::string> RunningService::verdict(const std::string& eventId) {
  capnp::MallocMessageBuilder query;
  query.initRoot<msg::Query>().setVerdict(eventId);
  return ask(query);
}

std::pair<std::string, std::string> RunningService::indicators(int year, const std::string& area,
                                                               int measure) {
  capnp::MallocMessageBuilder query;
  auto q = query.initRoot<msg::Query>().initIndicators();
  q.setYear(static_cast<uint16_t>(year));
  q.setArea(area);
  q.setMeasure(static_cast<uint8_t>(measure));
  return ask(query);
}

void RunningService::waitForVerdict(const std::string& eventId, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (verdict(eventId).first == "json") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "no verdict for " << eventId << " within " << seconds << " s";
}

std::string RunningService::metrics() {
  httplib::Client client("127.0.0.1", adminPort_);
  auto response = client.Get("/metrics");
  return response ? response->body : "";
}

std::optional<double> RunningService::metric(const std::string& name,
                                             std::map<std::string, std::string> labels) {
  std::istringstream lines(metrics());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "{", 0) != 0) continue;
    bool all = true;
    for (const auto& [k, v] : labels) {
      if (line.find(k + "=\"" + v + "\"") == std::string::npos) all = false;
    }
    if (all) return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

std::optional<double> RunningService::waitForMetric(const std::string& name,
                                                    std::map<std::string, std::string> labels,
                                                    double value, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::optional<double> seen;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = metric(name, labels);
    if (seen && *seen == value) return seen;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return seen;
}

}  // namespace mwp::test
