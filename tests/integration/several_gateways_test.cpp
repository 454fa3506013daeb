// Several gateway instances serving one city behind the TLS proxy, as a deployment scales them:
// two gateways against one stack (one bus, one Redis, the housing service). A key's rate limit is
// one budget across both — its bucket is in Redis, not in each process — and a change applied
// through the bus is seen fresh on both, each following the services' announcements of what they
// wrote.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <thread>

#include "bus_client.h"
#include "gateway.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kWorker = "510722198803040026";

gateway::ApiKeys adminKey() {
  return gateway::ApiKeys::parse("admin-1 admin " + gateway::hashApiKey("k-admin") + " \n");
}

class SeveralGateways : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    bus_ = std::make_unique<test::BusThread>(4);
    housing_ = std::make_unique<test::RunningService>(MWP_HOUSING_BINARY, "housing", *bus_);
  }

  // Two gateways on the same Redis, bus and housing service, each with its own registry and port.
  void startGateways(double requestsPerSecond) {
    gateway::GatewayOptions options;
    options.redis = test::testRedisAs("gateway");
    options.busIngest = bus_->ingest;
    options.services.push_back({"housing", housing_->queryEndpoint()});
    options.requestsPerSecond = requestsPerSecond;
    for (int i = 0; i < 2; ++i) {
      registries_[i] = std::make_unique<prometheus::Registry>();
      gateways_[i] = std::make_unique<gateway::Gateway>(options, adminKey(), Catalogue::builtIn(),
                                                        context_, *registries_[i]);
      ports_[i] = gateways_[i]->start("127.0.0.1", 0);
    }
  }

  httplib::Result get(int gateway, const std::string& path) {
    httplib::Client client("127.0.0.1", ports_[gateway]);
    return client.Get(path, {{"Authorization", "Bearer k-admin"}});
  }

  void publish(const std::string& line) {
    zmq::context_t context;
    Publisher publisher(context, bus_->ingest);
    auto stored = publisher.publish(test::frameOf(line));
    ASSERT_EQ(stored.status, msg::IngestReply::Status::ACK) << stored.reason;
  }

  std::unique_ptr<test::BusThread> bus_;
  std::unique_ptr<test::RunningService> housing_;
  zmq::context_t context_;
  std::unique_ptr<prometheus::Registry> registries_[2];
  std::unique_ptr<gateway::Gateway> gateways_[2];
  int ports_[2] = {0, 0};
};

TEST_F(SeveralGateways, AKeysRateLimitIsOneBudgetAcrossThem) {
  constexpr int kRate = 10;  // a second, with a burst of as many
  startGateways(kRate);
  int admitted[2] = {0, 0}, tooMany = 0;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) {
    auto r = get(i % 2, "/v1/measures/1");
    ASSERT_TRUE(r);
    if (r->status == 429)
      ++tooMany;
    else
      admitted[i % 2] += 1;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // One bucket: its burst, plus what it refilled while the requests went; a bucket in each
  // gateway would have let through twice the burst at once.
  double budget = kRate + kRate * seconds + 1;
  std::cout << "admitted " << admitted[0] << " + " << admitted[1] << " in " << seconds
            << " s; one bucket allows " << budget << "\n";
  EXPECT_LE(admitted[0] + admitted[1], budget);
  EXPECT_GT(admitted[0], 0);
  EXPECT_GT(admitted[1], 0);
  EXPECT_GT(tooMany, 0);
}

TEST_F(SeveralGateways, ARateLimitThatCannotBeReadRefusesWith503) {
  gateway::GatewayOptions options;
  options.redis = test::testRedisAs("gateway");
  options.redis.port = std::stoi(test::freeEndpoint().substr(16));  // no Redis there
  options.busIngest = bus_->ingest;
  prometheus::Registry registry;
  gateway::Gateway blind(options, adminKey(), Catalogue::builtIn(), context_, registry);
  httplib::Client client("127.0.0.1", blind.start("127.0.0.1", 0));
  auto r = client.Get("/v1/measures/1", {{"Authorization", "Bearer k-admin"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << "not let through uncounted";
}

TEST_F(SeveralGateways, AChangeAppliedThroughTheBusIsSeenFreshOnEach) {
  startGateways(1000);
  publish(event("sg-rent-1", "rentSubsidyGranted",
                R"({"monthlyYuan":300,"months":6,"grantedOn":"2026-02-01"})", kWorker, "housing",
                "510722"));
  housing_->waitForVerdict("sg-rent-1");
  std::string path = std::string("/v1/workers/") + kWorker;
  for (int g = 0; g < 2; ++g) {
    for (int read = 0; read < 2; ++read) {  // the second read is answered from the kept section
      auto r = get(g, path);
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 200) << r->body;
      ASSERT_EQ(r->body.find("2026-03-02"), std::string::npos) << r->body;
    }
  }

  publish(event("sg-rent-2", "rentSubsidyGranted",
                R"({"monthlyYuan":200,"months":3,"grantedOn":"2026-03-02"})", kWorker, "housing",
                "510722"));
  housing_->waitForVerdict("sg-rent-2");
  // The commit's announcement reaches each gateway's follower a moment after the verdict is
  // readable (section_cache.h): on a loaded machine that moment can outlast one request, so the
  // record is read again for up to 2 s. A kept section never dropped would fail every read.
  const std::string granted = R"({"monthlyYuan":200,"months":3,"grantedOn":"2026-03-02"})";
  for (int g = 0; g < 2; ++g) {
    auto after = get(g, path);
    ASSERT_TRUE(after);
    for (int i = 0; i < 40 && after->body.find(granted) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      after = get(g, path);
      ASSERT_TRUE(after);
    }
    EXPECT_NE(after->body.find(granted), std::string::npos) << "gateway " << g << ": " << after->body;
  }
}

}  // namespace
}  // namespace mwp
