// SIGTERM ends every process cleanly (exit 0) within 5 seconds, and nothing acknowledged is lost:
// an event acknowledged just before the bus's SIGTERM is applied after the restart.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "bus_client.h"
#include "child_process.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

bool ready(int port) {
  httplib::Client client("127.0.0.1", port);
  for (int i = 0; i < 100; ++i) {
    auto r = client.Get("/readyz");
    if (r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int portOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

// A process that does not end on SIGTERM: the wait for it ends, the log says where its threads
// were, and it is killed — a stop that hangs must not hang the test or benchmark that asked.
TEST(Shutdown, AProcessThatIgnoresSigtermIsKilledWithItsStacksInItsLog) {
  std::string log = testing::TempDir() + "ignores-sigterm.log";
  std::remove(log.c_str());
  // An ignored signal stays ignored across exec: `sleep` itself ignores SIGTERM. The child says
  // when the trap is set, and SIGTERM waits for that line.
  mwp::ChildProcess stubborn("/bin/sh", {},
                             {"-c", "trap '' TERM; echo trap-set >&2; exec sleep 60"}, log);
  stubborn.start();
  auto logged = [&] {
    std::ifstream in(log);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  for (int i = 0; i < 600 && logged().find("trap-set") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(logged().find("trap-set"), std::string::npos) << "the child never set its trap";
  EXPECT_EQ(stubborn.terminateWithin(1), -1);
  EXPECT_FALSE(stubborn.running());
  std::string stacks = logged();
  EXPECT_NE(stacks.find("#0 "), std::string::npos) << "no stack in " << log << ":\n" << stacks;
}

TEST(Shutdown, SigtermEndsEveryProcessCleanlyWithinFiveSeconds) {
  test::flushRedis();
  std::string ingest = test::freeEndpoint(), publish = test::freeEndpoint();
  int busAdmin = portOf(test::freeEndpoint());
  test::ChildProcess bus(MWP_BUS_BINARY, {{"MWP_BUS_INGEST_BIND", ingest},
                                          {"MWP_BUS_PUBLISH_BIND", publish},
                                          {"MWP_BUS_ADMIN_PORT", std::to_string(busAdmin)}});
  bus.start();
  ASSERT_TRUE(ready(busAdmin));

  const std::pair<const char*, const char*> services[] = {
      {"employment", MWP_EMPLOYMENT_BINARY}, {"housing", MWP_HOUSING_BINARY},
      {"education", MWP_EDUCATION_BINARY},   {"health", MWP_HEALTH_BINARY},
      {"rights", MWP_RIGHTS_BINARY},         {"outreach", MWP_OUTREACH_BINARY}};
  for (const auto& [name, binary] : services) {
    std::string upper = name;
    for (auto& c : upper) c = static_cast<char>(toupper(c));
    int admin = portOf(test::freeEndpoint());
    test::ChildProcess service(binary, {{"MWP_BUS_INGEST", ingest},
                                        {"MWP_BUS_PUBLISH", publish},
                                        {"MWP_" + upper + "_QUERY_BIND", test::freeEndpoint()},
                                        {"MWP_" + upper + "_ADMIN_PORT", std::to_string(admin)}});
    service.start();
    ASSERT_TRUE(ready(admin)) << name;
    EXPECT_EQ(service.terminateWithin(5), 0) << name;
  }

  std::string keys = testing::TempDir() + "shutdown-api-keys";
  std::ofstream(keys) << "nobody integrator " << std::string(64, '0') << "\n";
  int gatewayAdmin = portOf(test::freeEndpoint());
  test::ChildProcess gateway(MWP_GATEWAY_BINARY,
                             {{"MWP_API_KEYS_FILE", keys},
                              {"MWP_BUS_INGEST", ingest},  // ready only while it reaches the bus
                              {"MWP_GATEWAY_PORT", std::to_string(portOf(test::freeEndpoint()))},
                              {"MWP_GATEWAY_ADMIN_PORT", std::to_string(gatewayAdmin)}});
  gateway.start();
  ASSERT_TRUE(ready(gatewayAdmin));
  EXPECT_EQ(gateway.terminateWithin(5), 0) << "gateway";

  // The bus: acknowledge, SIGTERM, restart; the acknowledged event is still there.
  zmq::context_t context;
  Publisher publisher(context, ingest);
  auto acked = publisher.publish(test::frameOf(test::fixtureLines()[2]));
  ASSERT_EQ(acked.status, msg::IngestReply::Status::ACK);
  EXPECT_EQ(bus.terminateWithin(5), 0) << "bus";
  bus.start();
  ASSERT_TRUE(ready(busAdmin));
  auto again = publisher.publish(test::frameOf(test::fixtureLines()[2]));
  EXPECT_EQ(again.status, msg::IngestReply::Status::DUPLICATE);
  EXPECT_EQ(again.sequence, acked.sequence);
  EXPECT_EQ(bus.terminateWithin(5), 0) << "bus";
}

}  // namespace
}  // namespace mwp
