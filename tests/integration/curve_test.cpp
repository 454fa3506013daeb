// CurveZMQ on the bus's ingest, with a ZAP handler: only listed keys get in, and each department's
// key sends only that department's events. Nothing from anyone else is stored.
#include "curve.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <thread>

#include "bus_client.h"
#include "event_log.h"
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
    writeCurveKeys(dir_ + "bus.key", server_, "test bus");
    std::ofstream(dir_ + "clients") << "hrss " << hrss_.publicKey << "\n";
    ingest_ = test::freeEndpoint();
    bus_ = std::make_unique<test::ChildProcess>(
        MWP_BUS_BINARY,
        std::map<std::string, std::string>{{"MWP_BUS_INGEST_BIND", ingest_},
                                           {"MWP_BUS_PUBLISH_BIND", test::freeEndpoint()},
                                           {"MWP_BUS_ADMIN_PORT", "0"},
                                           {"MWP_PARTITION_COUNT", "4"},
                                           {"MWP_BUS_CURVE_KEY_FILE", dir_ + "bus.key"},
                                           {"MWP_BUS_CURVE_CLIENTS", dir_ + "clients"}});
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
    for (uint32_t p = 0; p < 4; ++p) n += redis.command({"XLEN", keys::log(p)}).integer;
    return n;
  }

  std::string dir_;
  CurveKeys server_, hrss_, stranger_;
  std::string ingest_;
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

}  // namespace
}  // namespace mwp
