// The gateway's request handling, over real HTTP on 127.0.0.1: any request line, target and body,
// with any of the roles' keys or none, gets an answer — never a 500 (an unhandled failure), a
// crash, a leak or a hang. Behind it: a real bus on the test Redis (MWP_TEST_REDIS_PORT), so that
// event submission is stored or refused for real; the services are absent, so records and
// measures answer that they are unavailable, as they would during an outage.
//
// Input: byte 0 picks the method, byte 1 the key, the rest is "<target>\n<body>".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <prometheus/registry.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "api_keys.h"
#include "child_process.h"
#include "fuzz_support.h"
#include "gateway.h"

namespace mwp::fuzz {
namespace {

struct Stack {
  zmq::context_t context;
  prometheus::Registry registry;
  std::unique_ptr<Redis> redis;
  std::unique_ptr<bus::Bus> bus;
  std::atomic<bool> stop{false};
  std::thread busThread;
  std::unique_ptr<gateway::Gateway> gateway;
  int port = 0;

  Stack() {
    const char* redisPort = std::getenv("MWP_TEST_REDIS_PORT");
    if (!redisPort) {
      std::fprintf(stderr, "MWP_TEST_REDIS_PORT is not set: run through ops/test.sh or ops/fuzz.sh\n");
      std::exit(2);
    }
    RedisEndpoint endpoint;
    endpoint.port = std::atoi(redisPort);
    redis = std::make_unique<Redis>(endpoint);
    bus::BusOptions busOptions;
    busOptions.ingestEndpoint = "tcp://127.0.0.1:" + std::to_string(freeTcpPort());
    busOptions.publishEndpoint = "tcp://127.0.0.1:" + std::to_string(freeTcpPort());
    bus = std::make_unique<bus::Bus>(busOptions, context, *redis, Catalogue::builtIn(),
                                     systemClock, registry);
    bus->bind();
    busThread = std::thread([this] { bus->run(stop); });

    gateway::GatewayOptions options;
    options.redis = endpoint;
    options.busIngest = busOptions.ingestEndpoint;
    for (const char* s : {"employment", "housing", "education", "health", "rights", "outreach"}) {
      options.services.push_back({s, "tcp://127.0.0.1:" + std::to_string(freeTcpPort())});
    }
    options.deadline = std::chrono::milliseconds(5);
    options.requestsPerSecond = 1e9;
    options.refusalsPerMinute = 1e9;  // every input is looked at, refused keys or not
    std::string keys;
    for (const char* role : {"admin", "integrator", "caseworker", "health", "auditor"}) {
      keys += std::string("fuzz-") + role + " " + role + " " +
              gateway::hashApiKey(std::string("key-") + role) + "\n";
    }
    keys += "fuzz-hrss department " + gateway::hashApiKey("key-hrss") + " hrss\n";
    gateway = std::make_unique<gateway::Gateway>(options, gateway::ApiKeys::parse(keys),
                                                 Catalogue::builtIn(), context, registry);
    port = gateway->start("127.0.0.1", 0);
  }
};

// The whole answer to `request` on a new connection ("" if the gateway did not answer).
std::string roundTrip(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{10, 0};  // far beyond any answer: libFuzzer's -timeout reports the hang first
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    (void)!write(fd, request.data(), request.size());
    shutdown(fd, SHUT_WR);
    char buffer[16384];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  }
  close(fd);
  return answer;
}

}  // namespace
}  // namespace mwp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mwp::fuzz;
  static Stack* stack = new Stack();  // one gateway for the whole run
  if (size < 2) return 0;
  static const char* methods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "get"};
  static const char* keys[] = {"",         "key-admin",   "key-integrator", "key-caseworker",
                               "key-health", "key-auditor", "key-hrss",       "not-a-key"};
  std::string method = methods[data[0] % 8];
  std::string key = keys[data[1] % 8];
  std::string rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto newline = rest.find('\n');
  std::string target = rest.substr(0, newline);
  std::string body = newline == std::string::npos ? "" : rest.substr(newline + 1);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!key.empty()) request += "Authorization: Bearer " + key + "\r\n";
  request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\nConnection: close\r\n\r\n" + body;
  std::string answer = roundTrip(stack->port, request);
  if (answer.empty()) return 0;  // a request the HTTP library drops unanswered (bad framing)
  if (answer.rfind("HTTP/1.1 ", 0) != 0) fail("an answer that is not HTTP");
  if (answer.compare(9, 3, "500") == 0) fail(("500 for: " + request).c_str());
  return 0;
}
