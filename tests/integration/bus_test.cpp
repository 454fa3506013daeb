// The bus with a real Redis and real ZeroMQ sockets on 127.0.0.1.
#include "bus.h"
#include "bus_fixture.h"

#include <capnp/schema.h>
#include <gtest/gtest.h>

#include <cstring>
#include <zmq_addon.hpp>

#include "bus_client.h"
#include "event_log.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

using Status = msg::IngestReply::Status;

class BusTest : public test::BusFixture {
 protected:
  // Events stored across all partitions.
  int64_t storedEvents() {
    int64_t n = 0;
    for (uint32_t p = 0; p < 4; ++p) n += redis_.command({"XLEN", keys::log(p)}).integer;
    return n;
  }
  int64_t rejectedEvents() { return redis_.command({"XLEN", keys::kRejected}).integer; }

  // Sends one refused frame and checks that nothing was stored but its audit copy.
  std::string refusalOf(const std::string& frame) {
    int64_t rejectedBefore = rejectedEvents();
    auto result = publisher_->publish(frame);
    EXPECT_EQ(result.status, Status::NACK);
    EXPECT_EQ(storedEvents(), 0);
    EXPECT_EQ(rejectedEvents(), rejectedBefore + 1);
    return result.reason;
  }

  std::string fixture(size_t index) { return test::fixtureLines().at(index); }

  Redis redis_{test::testRedis()};
};

TEST_F(BusTest, EveryFixtureEventIsStoredInOrderOfItsPartition) {
  std::vector<std::string> frames;
  for (const auto& line : test::fixtureLines()) frames.push_back(test::frameOf(line));
  auto results = publisher_->publish(frames);
  std::map<uint32_t, uint64_t> last;
  for (const auto& r : results) {
    ASSERT_EQ(r.status, Status::ACK) << r.eventId << ": " << r.reason;
    EXPECT_EQ(r.sequence, last[r.partition] + 1) << "sequences per partition run 1, 2, 3 …";
    last[r.partition] = r.sequence;
  }
  EXPECT_EQ(storedEvents(), static_cast<int64_t>(frames.size()));
}

TEST_F(BusTest, TheSameEventTwiceIsStoredOnceAndBothSendsGetTheSameSequence) {
  std::string frame = test::frameOf(fixture(2));
  auto first = publisher_->publish(frame);
  auto second = publisher_->publish(frame);
  EXPECT_EQ(first.status, Status::ACK);
  EXPECT_EQ(second.status, Status::DUPLICATE);
  EXPECT_EQ(second.partition, first.partition);
  EXPECT_EQ(second.sequence, first.sequence);
  EXPECT_EQ(storedEvents(), 1);
}

// A bus that starts over a log already holding events reports each partition's last sequence at
// once: lag is that minus a service's cursor, and a restarted bus must not show a lag of zero.
TEST_F(BusTest, AStartingBusReportsTheSequencesTheLogAlreadyHolds) {
  auto first = publisher_->publish(test::frameOf(fixture(2)));
  ASSERT_EQ(first.status, Status::ACK);
  publisher_.reset();
  bus_.reset();  // restarted: this bus knows the log only from Redis

  bus_ = std::make_unique<test::BusThread>(4);
  publisher_ = std::make_unique<Publisher>(context_, bus_->ingest);
  // An answer, to a frame that stores nothing, shows the bus has read the log and serves.
  EXPECT_EQ(publisher_->publish(std::string("not an envelope")).status, Status::NACK);
  EXPECT_EQ(
      test::samples(bus_->registry, "mwp_bus_partition_sequence")[std::to_string(first.partition)],
      static_cast<double>(first.sequence));
}

// An event stored by an attempt whose answer was lost (a connection dropped after Redis ran the
// script; here the bus's own script run behind its back) is answered as a duplicate, and is still
// announced: heartbeats carry its sequence, so followers read it from the log.
TEST_F(BusTest, AnEventStoredByAnAttemptWhoseAnswerWasLostIsStillAnnounced) {
  std::string frame = test::frameOf(fixture(2));
  auto read = bus::readFrame(frame, Catalogue::builtIn(), systemClock(), 4);
  ASSERT_EQ(read.reason, "");
  size_t script = redis_.addScript(kIngestScript);
  auto stored = redis_.command(redis_.scriptCommand(
      script,
      {keys::dedup(read.eventId), keys::sequence(read.partition), keys::log(read.partition)},
      {read.envelope, read.digest, "2592000", std::to_string(read.partition)}));
  ASSERT_EQ(stored.elements.at(0).integer, 1);
  uint64_t sequence = static_cast<uint64_t>(stored.elements.at(1).integer);

  auto result = publisher_->publish(frame);
  EXPECT_EQ(result.status, Status::DUPLICATE);
  EXPECT_EQ(result.sequence, sequence);
  EXPECT_EQ(
      test::samples(bus_->registry, "mwp_bus_partition_sequence")[std::to_string(read.partition)],
      static_cast<double>(sequence));
}

TEST_F(BusTest, AnEventIdReusedForDifferentContentIsRefused) {
  publisher_->publish(test::frameOf(fixture(2)));
  std::string other = fixture(2);
  other.replace(other.find("\"attendees\": 3000"), 17, "\"attendees\": 3001");
  auto result = publisher_->publish(test::frameOf(other));
  EXPECT_EQ(result.status, Status::NACK);
  EXPECT_NE(result.reason.find("already used for a different event"), std::string::npos);
  EXPECT_EQ(storedEvents(), 1);
  EXPECT_EQ(rejectedEvents(), 1) << "the refused event is kept for audit";
}

TEST_F(BusTest, ABadResidentIdIsRefusedWithTheReason) {
  std::string line = fixture(0);
  line.replace(line.find("510703199005121230"), 18, "510703199005121231");
  EXPECT_EQ(refusalOf(test::frameOf(line)),
            "workerId: not a valid resident ID (18 characters, GB 11643 check character)");
}

TEST_F(BusTest, AnOverlongEventIdIsRefusedAndTheAnswerStillFindsItsFrame) {
  std::string frame = test::frameOf(test::withEventId(fixture(2), std::string(100, 'e')));
  EXPECT_EQ(refusalOf(frame), "eventId: 1–64 characters of A–Z a–z 0–9 . _ : -");
}

TEST_F(BusTest, AnUnknownAreaIsRefused) {
  std::string line = fixture(2);
  line.replace(line.find("\"area\": \"510703\""), 16, "\"area\": \"510799\"");
  EXPECT_EQ(refusalOf(test::frameOf(line)),
            "area: not a Mianyang county code or a park of the area table");
}

TEST_F(BusTest, AnUnknownKindIsRefused) {
  // A newer sender's kind: a payload discriminant this schema does not have.
  std::string frame = test::frameOf(fixture(2));
  auto offset = capnp::Schema::from<msg::Envelope>().getProto().getStruct().getDiscriminantOffset();
  uint16_t unknown = 999;
  // Flat single-segment message: 8 bytes segment table, 8 bytes root pointer, then the data
  // section.
  std::memcpy(frame.data() + 16 + 2 * offset, &unknown, sizeof unknown);
  EXPECT_EQ(refusalOf(frame), "unknown kind: this bus's schema does not have it (newer sender?)");
}

TEST_F(BusTest, ATruncatedFrameIsRefused) {
  std::string frame = test::frameOf(fixture(0));
  EXPECT_NE(refusalOf(frame.substr(0, frame.size() / 2 / 8 * 8)).find("not a readable Cap'n Proto"),
            std::string::npos);
  EXPECT_NE(refusalOf(frame.substr(0, 13)).find("not a readable Cap'n Proto"), std::string::npos);
  EXPECT_NE(refusalOf("").find("not a readable Cap'n Proto"), std::string::npos);
}

TEST_F(BusTest, AFrameOverTheSizeLimitIsRefusedUnread) {
  std::string reason = refusalOf(std::string(kMaxFrameBytes + 8, '\0'));
  EXPECT_EQ(reason, "frame of 65544 bytes is over the limit of 65536");
}

TEST_F(BusTest, AMultiFrameMessageIsRefused) {
  zmq::socket_t dealer(context_, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(bus_->ingest);
  std::string frame = test::frameOf(fixture(2));
  dealer.send(zmq::buffer(frame), zmq::send_flags::sndmore);
  dealer.send(zmq::buffer(frame), zmq::send_flags::none);
  zmq::message_t reply;
  ASSERT_TRUE(dealer.recv(reply));
  FrameReader reader(reply.to_string());
  EXPECT_EQ(reader.root<msg::IngestReply>().getStatus(), Status::NACK);
  EXPECT_EQ(std::string(reader.root<msg::IngestReply>().getReason().cStr()),
            "send one event per message, as a single frame");
  EXPECT_EQ(storedEvents(), 0);
}

TEST_F(BusTest, FramesAtOddOffsetsInTheReceiveBufferAreAccepted) {
  // Odd-sized frames between valid ones put the valid ones at odd offsets of ZeroMQ's receive
  // buffer; Cap'n Proto would throw "unaligned data" if the bus read them in place.
  std::vector<std::string> frames;
  for (int i = 0; i < 50; ++i) {
    frames.push_back(std::string(13 + i % 7, 'x'));
    frames.push_back(test::frameOf(test::withEventId(fixture(41), "odd-" + std::to_string(i))));
  }
  auto results = publisher_->publish(frames);
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].status, i % 2 ? Status::ACK : Status::NACK) << i << results[i].reason;
  }
  EXPECT_EQ(storedEvents(), 50);
}

TEST(FrameReader, ReadsAFrameThatStartsAtAnOddAddress) {
  std::string frame = test::frameOf(test::fixtureLines()[0]);
  std::vector<char> buffer(frame.size() + 1);
  std::memcpy(buffer.data() + 1, frame.data(), frame.size());
  FrameReader reader(std::string_view(buffer.data() + 1, frame.size()));
  EXPECT_EQ(std::string(reader.root<msg::Envelope>().getEventId().cStr()),
            "fixture-01-workerRegistered");
}

TEST_F(BusTest, RefusalsAreCountedInMetrics) {
  publisher_->publish(std::string(24, '\0'));
  publisher_->publish(test::frameOf(fixture(2)));
  auto outcomes = test::samples(bus_->registry, "mwp_bus_events_total");
  EXPECT_EQ(outcomes["nack"], 1);
  EXPECT_EQ(outcomes["ack"], 1);
}

}  // namespace
}  // namespace mwp
