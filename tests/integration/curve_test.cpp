// CurveZMQ on every socket, with a ZAP handler: only listed keys get in, each department's key
// sends only that department's events, and only mwp's own parts may follow the fan-out or ask a
// service. Nothing from anyone else is stored or shown.
#include "curve.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "bus_client.h"
#include "event_log.h"
#include "frames.h"
#include "mwp/messages/query.capnp.h"
#include "query_server.h"
#include "test_env.h"

namespace mwp {
namespace {

class CurveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    dir_ = testing::TempDir();
    server_ = newCurveKeys();
    hrss_ = newCurveKeys();
    stranger_ = newCurveKeys();
    services_ = newCurveKeys();
    gateway_ = newCurveKeys();
    writeCurveKeys(dir_ + "bus.key", server_, "test bus");
    writeCurveKeys(dir_ + "bus.pub", {server_.publicKey, ""}, "test bus");
    writeCurveKeys(dir_ + "services.key", services_, "test services");
    std::ofstream(dir_ + "clients") << "hrss " << hrss_.publicKey << "\n"
                                    << "mwpService " << services_.publicKey << "\n"
                                    << "gateway " << gateway_.publicKey << "\n";
    ingest_ = test::freeEndpoint();
    publish_ = test::freeEndpoint();
    bus_ = std::make_unique<test::ChildProcess>(
        MWP_BUS_BINARY,
        std::map<std::string, std::string>{{"MWP_BUS_INGEST_BIND", ingest_},
                                           {"MWP_BUS_PUBLISH_BIND", publish_},
                                           {"MWP_BUS_ADMIN_PORT", "0"},
                                           {"MWP_PARTITION_COUNT", "4"},
                                           {"MWP_KEY_FILE", dir_ + "bus.key"},
                                           {"MWP_CURVE_CLIENTS", dir_ + "clients"}});
    bus_->start();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }

  PublisherOptions as(const std::optional<CurveKeys>& keys) {
    PublisherOptions o;
    o.replyTimeout = std::chrono::milliseconds(500);
    o.attempts = 2;
    if (keys) o.curve = CurveClient{*keys, server_.publicKey};
    return o;
  }

  int64_t stored() {
    Redis redis(test::testRedis());
    int64_t n = 0;
    for (uint32_t p = 0; p < 4; ++p) n += static_cast<int64_t>(readLog(redis, p, 1, 100000).size());
    return n;
  }

  // Whether a subscriber with `keys` (plain text when nullopt) hears the bus's fan-out, which
  // announces every partition's sequence at least once a second even when no event comes.
  bool hearsFanOut(const std::optional<CurveKeys>& keys) {
    zmq::socket_t sub(context_, zmq::socket_type::sub);
    sub.set(zmq::sockopt::linger, 0);
    if (keys) makeCurveClient(sub, *keys, server_.publicKey);
    sub.set(zmq::sockopt::subscribe, "");
    sub.connect(publish_);
    return waitReadable(sub, std::chrono::milliseconds(2500));
  }

  std::string dir_;
  CurveKeys server_, hrss_, stranger_, services_, gateway_;
  std::string ingest_, publish_;
  std::unique_ptr<test::ChildProcess> bus_;
  zmq::context_t context_;
};

TEST_F(CurveTest, ADepartmentsKeySendsItsOwnEventsOnly) {
  Publisher publisher(context_, ingest_, as(hrss_));
  auto own = publisher.publish(test::frameOf(test::fixtureLines()[2]));  // jobFairHeld from hrss
  EXPECT_EQ(own.status, msg::IngestReply::Status::ACK) << own.reason;
  auto other = publisher.publish(test::frameOf(test::fixtureLines()[26]));  // health's check
  EXPECT_EQ(other.status, msg::IngestReply::Status::NACK);
  EXPECT_EQ(other.reason, "source: this key belongs to hrss and may send only hrss's events");
  EXPECT_EQ(stored(), 1);
}

TEST_F(CurveTest, AnUnknownKeyGetsNothingStored) {
  Publisher publisher(context_, ingest_, as(stranger_));
  EXPECT_THROW(publisher.publish(test::frameOf(test::fixtureLines()[2])), BusUnreachable);
  EXPECT_EQ(stored(), 0);
}

TEST_F(CurveTest, APlaintextClientGetsNothingStored) {
  Publisher publisher(context_, ingest_, as(std::nullopt));
  EXPECT_THROW(publisher.publish(test::frameOf(test::fixtureLines()[2])), BusUnreachable);
  EXPECT_EQ(stored(), 0);
}

TEST_F(CurveTest, OnlyMwpsOwnPartsFollowTheFanOut) {
  EXPECT_TRUE(hearsFanOut(services_));
  EXPECT_TRUE(hearsFanOut(gateway_));
  EXPECT_FALSE(hearsFanOut(hrss_)) << "a department's key must not read the event stream";
  EXPECT_FALSE(hearsFanOut(stranger_));
  EXPECT_FALSE(hearsFanOut(std::nullopt));
}

TEST_F(CurveTest, OnlyTheGatewayAsksAServiceAndTheServiceFollowsTheBusOverCurve) {
  std::string query = test::freeEndpoint();
  test::ChildProcess employment(
      MWP_EMPLOYMENT_BINARY,
      {{"MWP_BUS_INGEST", ingest_},
       {"MWP_BUS_PUBLISH", publish_},
       {"MWP_PARTITION_COUNT", "4"},
       {"MWP_EMPLOYMENT_QUERY_BIND", query},
       {"MWP_EMPLOYMENT_ADMIN_PORT", "0"},
       {"MWP_KEY_FILE", dir_ + "services.key"},
       {"MWP_BUS_SERVER_KEY_FILE", dir_ + "bus.pub"},
       {"MWP_CURVE_CLIENTS", dir_ + "clients"}});
  employment.start();
  // An event the service owns (a job fair from hrss, for employment), sent with hrss's key.
  Publisher publisher(context_, ingest_, as(hrss_));
  std::string line = test::fixtureLines()[2];
  auto sent = publisher.publish(test::frameOf(line));
  ASSERT_EQ(sent.status, msg::IngestReply::Status::ACK) << sent.reason;

  auto askVerdict = [&](const std::optional<CurveKeys>& keys) -> std::optional<std::string> {
    std::optional<CurveClient> curve;
    if (keys) curve = CurveClient{*keys, services_.publicKey};
    QueryClient client(context_, query, curve);
    capnp::MallocMessageBuilder message;
    message.initRoot<msg::Query>().setVerdict(sent.eventId);
    return client.ask(message, std::chrono::seconds(2));
  };
  // The gateway's key is answered once the service has applied the event it followed over CURVE.
  // A not-found answer comes back at once, so the asks are spread over a deadline, not counted:
  // a slow start of the service on a loaded machine is not a refusal.
  std::optional<std::string> answer;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!answer && std::chrono::steady_clock::now() < deadline) {
    answer = askVerdict(gateway_);
    if (answer && FrameReader(*answer).root<msg::QueryReply>().isNotFound()) {
      answer.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_TRUE(answer) << "the gateway's key got no verdict for an applied event";
  EXPECT_TRUE(FrameReader(*answer).root<msg::QueryReply>().isJson());
  EXPECT_FALSE(askVerdict(hrss_)) << "a department's key must not ask a service";
  EXPECT_FALSE(askVerdict(stranger_));
  EXPECT_FALSE(askVerdict(std::nullopt));
  EXPECT_EQ(employment.terminateWithin(5), 0);
}

}  // namespace
}  // namespace mwp
