// The gateway and an admin port under the attacks of a hostile client on the network — slow
// headers, slow bodies, many idle keep-alive connections, large chunked bodies without a key —
// while a normal client's requests keep being answered within a second; and the gateway's keys:
// checked before any body is read, only as a bearer token, refusals throttled per address.
// Attackers connect from other loopback addresses (127.0.0.2 …) than the normal client.
#include <gtest/gtest.h>
#include <httplib.h>
#include <prometheus/registry.h>

#include <atomic>
#include <memory>
#include <thread>

#include "admin_server.h"
#include "gateway.h"
#include "raw_http.h"
#include "test_env.h"

namespace mwp {
namespace {

using namespace std::chrono_literals;
using test::RawConnection;
using test::statusOf;

std::string keyLine(const std::string& name, const std::string& role, const std::string& key) {
  return name + " " + role + " " + gateway::hashApiKey(key) + " \n";
}

// Deadlines shorter than the defaults, so that the attack's connections meet them in the test.
gateway::GatewayOptions attackedOptions() {
  gateway::GatewayOptions options;
  options.redis = test::testRedis();
  options.busIngest = test::freeEndpoint();  // nothing there: no route below needs the bus
  options.requestsPerSecond = 1000;
  options.http.workers = 4;
  options.http.headerDeadline = 1000ms;
  options.http.bodyDeadline = 1000ms;
  return options;
}

// Keeps each kind of attack going from its own thread and address until destroyed; a connection
// the server closes is opened again and starts over, as an attacker's would.
class Attack {
 public:
  explicit Attack(int port) : port_(port) {}
  ~Attack() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }

  // `connections` that send their request's headers one line every 300 ms, forever.
  void slowHeaders(int connections, const std::string& from) {
    run(connections, from, [](RawConnection& c, int round) {
      c.sendSome(round == 0 ? "GET /v1/audit HTTP/1.1\r\nHost: a\r\n"
                            : "X-Slow-" + std::to_string(round) + ": 1\r\n");
    });
  }
  // `connections` that send a keyed POST's body ten bytes every 300 ms.
  void slowBodies(int connections, const std::string& from, const std::string& key) {
    run(connections, from, [key](RawConnection& c, int round) {
      c.sendSome(round == 0 ? "POST /v1/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " +
                                  key + "\r\nContent-Length: 100000\r\n\r\n"
                            : std::string(10, '{'));
    });
  }
  // `connections` that ask once, then keep their connection open and say nothing.
  void idleKeepAlive(int connections, const std::string& from, const std::string& path) {
    run(connections, from, [path](RawConnection& c, int round) {
      if (round == 0) c.sendSome("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
    });
  }
  // `connections` that send a chunked POST without a key, 64 KiB chunks as fast as taken.
  void chunkedWithoutKey(int connections, const std::string& from) {
    std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    run(
        connections, from,
        [chunk](RawConnection& c, int round) {
          if (round == 0)
            c.sendSome("POST /v1/events HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
          for (int i = 0; i < 64 && c.sendSome(chunk) > 0; ++i) {
          }
        },
        10ms);
  }

 private:
  void run(int connections, std::string from, std::function<void(RawConnection&, int round)> step,
           std::chrono::milliseconds every = 300ms) {
    threads_.emplace_back([this, connections, from, step, every] {
      std::vector<std::pair<std::unique_ptr<RawConnection>, int>> open;  // and its round
      for (int i = 0; i < connections; ++i)
        open.emplace_back(std::make_unique<RawConnection>(port_, from), 0);
      while (!stop_) {
        for (auto& [c, round] : open) {
          if (c->gone()) {
            c = std::make_unique<RawConnection>(port_, from);
            round = 0;
          }
          step(*c, round++);
        }
        std::this_thread::sleep_for(every);
      }
    });
  }

  const int port_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Asks `path` `times` over the attack; each answer must be `status` and come within 1 s.
void expectAnsweredWithinASecond(int port, const std::string& path, const httplib::Headers& headers,
                                 int status, int times = 10) {
  for (int i = 0; i < times; ++i) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(3);
    client.set_read_timeout(3);
    auto started = std::chrono::steady_clock::now();
    auto r = client.Get(path, headers);
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(r) << "request " << i << " of " << path << " not answered";
    EXPECT_EQ(r->status, status) << path;
    EXPECT_LT(took, 1s) << "request " << i << " of " << path;
    std::this_thread::sleep_for(200ms);
  }
}

TEST(GatewayUnderAttack, ANormalClientIsStillAnsweredWithinASecond) {
  zmq::context_t context;
  prometheus::Registry registry;
  gateway::Gateway gateway(attackedOptions(),
                           gateway::ApiKeys::parse(keyLine("auditor", "auditor", "k-audit") +
                                                   keyLine("hrss", "admin", "k-attacker")),
                           Catalogue::builtIn(), context, registry);
  int port = gateway.start("127.0.0.1", 0);
  {
    Attack attack(port);
    attack.slowHeaders(16, "127.0.0.2");
    attack.slowBodies(16, "127.0.0.3", "k-attacker");
    attack.idleKeepAlive(200, "127.0.0.4", "/v1/openapi.json");
    attack.chunkedWithoutKey(8, "127.0.0.5");
    std::this_thread::sleep_for(500ms);
    expectAnsweredWithinASecond(port, "/v1/audit?page_size=1", {{"Authorization", "Bearer k-audit"}},
                                200);
  }
}

TEST(AdminUnderAttack, ReadyzIsStillAnsweredWithinASecond) {
  prometheus::Registry registry;
  AdminServer admin("127.0.0.1", 0, registry, [] { return true; });
  Attack attack(admin.port());
  attack.slowHeaders(16, "127.0.0.2");
  attack.idleKeepAlive(200, "127.0.0.4", "/livez");
  std::this_thread::sleep_for(500ms);
  expectAnsweredWithinASecond(admin.port(), "/readyz", {}, 200);
}

class GatewayKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = attackedOptions();
    options.refusalsPerMinute = 3;
    gateway_ = std::make_unique<gateway::Gateway>(
        options, gateway::ApiKeys::parse(keyLine("auditor", "auditor", "k-audit")),
        Catalogue::builtIn(), context_, registry_);
    port_ = gateway_->start("127.0.0.1", 0);
  }

  int statusWith(const std::string& authorization) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    auto r = client.Get("/v1/audit?page_size=1", headers);
    return r ? r->status : 0;
  }

  zmq::context_t context_;
  prometheus::Registry registry_;
  std::unique_ptr<gateway::Gateway> gateway_;
  int port_ = 0;
};

TEST_F(GatewayKeys, AKeyIsTakenOnlyAsABearerToken) {
  EXPECT_EQ(statusWith("Bearer k-audit"), 200);
  EXPECT_EQ(statusWith("bearer k-audit"), 200) << "the scheme's name is case-insensitive";
  EXPECT_EQ(statusWith("k-audit"), 401) << "a bare key";
  EXPECT_EQ(statusWith("Basic k-audit"), 401);
}

TEST_F(GatewayKeys, RefusedKeysAreThrottledPerAddressWithoutLookingAtTheKey) {
  EXPECT_EQ(statusWith("Bearer guess-1"), 401);
  EXPECT_EQ(statusWith("Bearer guess-2"), 401);
  EXPECT_EQ(statusWith(""), 401);
  EXPECT_EQ(statusWith("Bearer guess-3"), 429);
  // The right key from that address is not even looked at now: a guess learns nothing.
  EXPECT_EQ(statusWith("Bearer k-audit"), 429);
  // Another address is not throttled.
  RawConnection other(port_, "127.0.0.9");
  other.sendSome(
      "GET /v1/audit?page_size=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k-audit\r\n\r\n");
  EXPECT_EQ(statusOf(other.receiveAnswer(3000ms)), 200);
}

// Behind nginx every client has nginx's address: its X-Real-IP names the client, believed of a
// trusted proxy alone — so one client's guesses do not throttle the others, and nobody else can
// pose as another client (or dodge the throttle) by sending the header.
TEST(GatewayBehindAProxy, RefusedKeysAreCountedPerClientTheProxyNames) {
  auto options = attackedOptions();
  options.refusalsPerMinute = 2;
  options.trustedProxies = {"127.0.0.1"};
  zmq::context_t context;
  prometheus::Registry registry;
  gateway::Gateway gateway(options,
                           gateway::ApiKeys::parse(keyLine("auditor", "auditor", "k-audit")),
                           Catalogue::builtIn(), context, registry);
  int port = gateway.start("127.0.0.1", 0);
  auto status = [&](const std::string& from, const std::string& realIp, const std::string& key) {
    RawConnection c(port, from);
    c.sendSome("GET /v1/audit HTTP/1.1\r\nHost: a\r\nX-Real-IP: " + realIp +
               "\r\nAuthorization: Bearer " + key + "\r\n\r\n");
    return statusOf(c.receiveAnswer(3000ms));
  };
  EXPECT_EQ(status("127.0.0.1", "10.0.0.1", "guess-1"), 401);
  EXPECT_EQ(status("127.0.0.1", "10.0.0.1", "guess-2"), 401);
  EXPECT_EQ(status("127.0.0.1", "10.0.0.1", "k-audit"), 429) << "the guesser is throttled";
  EXPECT_EQ(status("127.0.0.1", "10.0.0.2", "k-audit"), 200) << "another client of the proxy";
  // Not a trusted proxy: its header is ignored, it is counted as itself.
  EXPECT_EQ(status("127.0.0.7", "10.0.0.3", "guess-3"), 401);
  EXPECT_EQ(status("127.0.0.7", "10.0.0.4", "guess-4"), 401);
  EXPECT_EQ(status("127.0.0.7", "10.0.0.5", "k-audit"), 429) << "a header changes nothing";
}

TEST_F(GatewayKeys, APostWithoutAKeyOrARouteIsAnsweredBeforeItsBody) {
  for (const char* framing : {"Content-Length: 50000000", "Transfer-Encoding: chunked"}) {
    for (auto [path, status] : {std::pair{"/v1/events", 401}, {"/v1/nothing", 404}}) {
      RawConnection c(port_);
      c.sendSome(std::string("POST ") + path + " HTTP/1.1\r\nHost: a\r\n" + framing + "\r\n\r\n");
      EXPECT_EQ(statusOf(c.receiveAnswer(3000ms)), status) << path << ", " << framing;
      EXPECT_TRUE(c.closedWithin(3000ms)) << path << ", " << framing << ": no body waited for";
    }
  }
}

TEST_F(GatewayKeys, TheServersOwnRefusalsAreProblemsToo) {
  std::string headers;
  for (int i = 0; i < 200; ++i) headers += "X-" + std::to_string(i) + ": v\r\n";
  RawConnection c(port_);
  c.sendSome("GET /v1/audit HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n");
  std::string answer = c.receiveAnswer(3000ms);
  EXPECT_EQ(statusOf(answer), 431);
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << answer;
  EXPECT_NE(answer.find("too many request headers"), std::string::npos) << answer;
}

TEST(GatewayReadiness, NotReadyWhileItsRedisOrTheBusCannotBeReached) {
  zmq::context_t context;
  test::BusThread bus(1);
  auto ready = [&](gateway::GatewayOptions options) {
    prometheus::Registry registry;
    gateway::Gateway gateway(options, gateway::ApiKeys::parse(""), Catalogue::builtIn(), context,
                             registry);
    AdminServer admin("127.0.0.1", 0, registry, [&] { return gateway.notReadyBecause(); });
    auto r = httplib::Client("127.0.0.1", admin.port()).Get("/readyz");
    return r ? std::to_string(r->status) + " " + r->body : "no answer";
  };
  auto options = attackedOptions();
  options.busIngest = bus.ingest;
  EXPECT_EQ(ready(options), "200 ready\n");
  auto noRedis = options;
  noRedis.redis.port = std::stoi(test::freeEndpoint().substr(16));
  EXPECT_EQ(ready(noRedis), "503 not ready: cannot reach the gateway's Redis\n");
  auto noBus = options;
  noBus.busIngest = test::freeEndpoint();
  EXPECT_EQ(ready(noBus),
            "503 not ready: cannot reach the bus's ingest at " + noBus.busIngest + "\n");
}

}  // namespace
}  // namespace mwp
