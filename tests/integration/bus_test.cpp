// The bus with a real Redis and real ZeroMQ sockets on 127.0.0.1.
#include "bus.h"

#include <capnp/schema.h>
#include <gtest/gtest.h>

#include <cstring>
#include <iostream>
#include <regex>
#include <set>
#include <thread>
#include <zmq_addon.hpp>

#include "bus_client.h"
#include "bus_fixture.h"
#include "event_log.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

using Status = msg::IngestReply::Status;

class BusTest : public test::BusFixture {
 protected:
  // Events stored across all partitions (a stream entry holds a batch's events of its partition).
  int64_t storedEvents() {
    int64_t n = 0;
    for (uint32_t p = 0; p < 4; ++p) n += static_cast<int64_t>(readLog(redis_, p, 1, 100000).size());
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

  // A job fair under `eventId` whose fairId is `length` characters: refused (fairIds are short),
  // its frame about that many bytes, its eventId readable.
  std::string fairWithLongId(const std::string& eventId, size_t length) {
    std::string line = test::withEventId(fixture(2), eventId);
    line.replace(line.find("F-2026-001"), 10, std::string(length, 'F'));
    return test::frameOf(line);
  }

  // The bus's answer to one message of these parts, sent as a department's system would.
  msg::IngestReply::Reader answerTo(const std::vector<std::string>& parts,
                                    capnp::MallocMessageBuilder& into) {
    zmq::socket_t dealer(context_, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::rcvtimeo, 10000);
    dealer.connect(bus_->ingest);
    for (size_t i = 0; i < parts.size(); ++i) {
      dealer.send(zmq::buffer(parts[i]),
                  i + 1 < parts.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
    zmq::message_t reply;
    EXPECT_TRUE(dealer.recv(reply)) << "no answer";
    FrameReader reader(reply.to_string());
    into.setRoot(reader.root<msg::IngestReply>());
    return into.getRoot<msg::IngestReply>().asReader();
  }

  // An IngestBatch of these frames, as a department's system would build one.
  static std::string batchOf(const std::vector<std::string>& frames) {
    capnp::MallocMessageBuilder message;
    auto list = message.initRoot<msg::IngestBatch>().initFrames(frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      list.set(i, capnp::Data::Reader(reinterpret_cast<const kj::byte*>(frames[i].data()),
                                      frames[i].size()));
    }
    return toBytes(message);
  }

  // The bus's answer to one batch message (`batch` and these bytes), each reply as a value.
  std::vector<IngestResult> answersToBatch(const std::string& batch) {
    zmq::socket_t dealer(context_, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::rcvtimeo, 10000);
    dealer.connect(bus_->ingest);
    dealer.send(zmq::buffer(kBatchMarker), zmq::send_flags::sndmore);
    dealer.send(zmq::buffer(batch), zmq::send_flags::none);
    std::vector<zmq::message_t> parts;
    EXPECT_TRUE(zmq::recv_multipart(dealer, std::back_inserter(parts))) << "no answer";
    std::vector<IngestResult> results;
    if (parts.size() != 2) {
      ADD_FAILURE() << "a batch's answer is two frames, `batch` and its replies; got " << parts.size();
      return results;
    }
    EXPECT_EQ(parts[0].to_string(), kBatchMarker);
    FrameReader reader(parts[1].to_string_view(), FrameReader::Borrowed{}, batchReaderOptions());
    for (auto r : reader.root<msg::IngestBatchReply>().getReplies()) {
      results.push_back({r.getStatus(), r.getEventId().cStr(), r.getPartition(), r.getSequence(),
                         r.getReason().cStr(), r.getRule().cStr(), r.getReasonZh().cStr()});
    }
    return results;
  }

  // The fields of the rejected-events stream's newest entry.
  std::map<std::string, std::string> newestRejected() {
    auto reply = redis_.command({"XREVRANGE", keys::kRejected, "+", "-", "COUNT", "1"});
    std::map<std::string, std::string> fields;
    if (reply.elements.empty()) return fields;
    const auto& list = reply.elements[0].elements[1].elements;
    for (size_t i = 0; i + 1 < list.size(); i += 2) fields[list[i].str] = list[i + 1].str;
    return fields;
  }

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

// What one batch brings for a partition is one stream entry, and each event keeps its own
// sequence: read from any of them, the log gives that one and those after it.
TEST_F(BusTest, ABatchOfAPartitionIsOneEntryAndEachEventKeepsItsSequence) {
  std::vector<std::string> frames;
  for (const auto& line : test::fixtureLines()) frames.push_back(test::frameOf(line));
  auto results = publisher_->publish(frames);
  std::map<uint32_t, std::vector<std::string>> sent;  // per partition, in sequence order
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_EQ(results[i].status, Status::ACK) << results[i].reason;
    sent[results[i].partition].push_back(bus::readFrame(frames[i], Catalogue::builtIn(),
                                                        systemClock(), 4).envelope);
  }
  int64_t entries = 0;
  for (uint32_t p = 0; p < 4; ++p) entries += redis_.command({"XLEN", keys::log(p)}).integer;
  EXPECT_LT(entries, static_cast<int64_t>(frames.size())) << "batches, not one entry per event";
  for (const auto& [partition, envelopes] : sent) {
    for (uint64_t from = 1; from <= envelopes.size(); ++from) {
      auto logged = readLog(redis_, partition, from, 1000);
      ASSERT_EQ(logged.size(), envelopes.size() - from + 1) << "partition " << partition;
      for (size_t i = 0; i < logged.size(); ++i) {
        EXPECT_EQ(logged[i].sequence, from + i);
        EXPECT_EQ(logged[i].envelope, envelopes[from - 1 + i]) << "the canonical bytes stored";
      }
    }
    EXPECT_EQ(readLog(redis_, partition, 2, 1).size(), envelopes.size() > 1 ? 1u : 0u)
        << "at most `count` events";
  }
}

// Within one batch: the first of an eventId is stored, a re-send of it is its duplicate, another
// event under the same id is refused.
TEST_F(BusTest, AnEventIdTwiceInOneBatchIsStoredOnceAndOtherContentUnderItRefused) {
  std::string other = fixture(2);
  other.replace(other.find("\"attendees\": 3000"), 17, "\"attendees\": 3001");
  auto results = publish({fixture(2), fixture(2), other, fixture(3)});
  ASSERT_EQ(results[0].status, Status::ACK);
  EXPECT_EQ(results[1].status, Status::DUPLICATE);
  EXPECT_EQ(results[1].sequence, results[0].sequence);
  EXPECT_EQ(results[2].status, Status::NACK);
  EXPECT_NE(results[2].reason.find("already used for a different event"), std::string::npos);
  EXPECT_EQ(results[3].status, Status::ACK);
  EXPECT_EQ(storedEvents(), 2);
}

// During a rolling update two buses serve at once on the same log: each event is still stored
// once, whichever bus and however often it is sent, and the sequences have no gap or repeat.
TEST_F(BusTest, TwoBusesAtOnceStoreEachEventOnceWithoutGaps) {
  test::BusThread second(4);
  Publisher toSecond(context_, second.ingest);
  std::vector<std::string> frames;
  for (const auto& line : test::fixtureLines()) frames.push_back(test::frameOf(line));
  std::vector<IngestResult> viaSecond;
  std::thread other([&] {
    for (int round = 0; round < 3; ++round) viaSecond = toSecond.publish(frames);
  });
  std::vector<IngestResult> viaFirst;
  for (int round = 0; round < 3; ++round) viaFirst = publisher_->publish(frames);
  other.join();
  std::set<std::string> ids;
  for (uint32_t p = 0; p < 4; ++p) {
    uint64_t expected = 1;
    for (const auto& e : readLog(redis_, p, 1, 100000)) {
      EXPECT_EQ(e.sequence, expected++) << "partition " << p;
      FrameReader reader(e.envelope);
      EXPECT_TRUE(ids.insert(reader.root<msg::Envelope>().getEventId().cStr()).second)
          << "stored twice: " << reader.root<msg::Envelope>().getEventId().cStr();
    }
  }
  EXPECT_EQ(ids.size(), frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_NE(viaFirst[i].status, Status::NACK) << viaFirst[i].reason;
    EXPECT_EQ(viaFirst[i].sequence, viaSecond[i].sequence) << "one place for each event";
    EXPECT_EQ(viaFirst[i].partition, viaSecond[i].partition);
  }
}

// The de-duplication window in buckets: an id stored near the window's start is still found at
// its end, and forgotten once the window has passed over its bucket.
TEST_F(BusTest, AnEventIdIsRememberedForTheWholeWindowAndThenForgotten) {
  auto read = bus::readFrame(test::frameOf(fixture(2)), Catalogue::builtIn(), systemClock(), 4);
  ASSERT_EQ(read.reason, "");
  redis_.addFunctionLibrary(kLogFunctions);
  DedupWindow window{30 * 86400};
  EXPECT_EQ(window.bucketKeys(systemClock()).size(), static_cast<size_t>(DedupWindow::kBuckets + 1));
  auto storeAt = [&](int64_t when) {
    RecordBatchCall call(window, when);
    call.add(read.partition, read.eventId, read.digest, read.envelope);
    RedisPipeline pipeline;
    call.appendTo(pipeline);
    return call.outcomes(redis_.pipeline(pipeline).at(0)).at(0);
  };
  int64_t stored = systemClock() - window.seconds + 60;
  ASSERT_TRUE(storeAt(stored).stored);
  auto later = storeAt(stored + window.seconds - 1);
  ASSERT_TRUE(later.before) << "within the window: a duplicate";
  EXPECT_EQ(later.before->sequence, 1u);
  EXPECT_TRUE(findStored(redis_, window, read.eventId, stored + window.seconds - 1));
  int64_t past = stored + window.seconds + window.bucketSeconds();
  EXPECT_FALSE(findStored(redis_, window, read.eventId, past));
  EXPECT_TRUE(storeAt(past).stored) << "past the window: stored again";
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
  redis_.addFunctionLibrary(kLogFunctions);
  RecordBatchCall call(DedupWindow{}, systemClock());
  call.add(read.partition, read.eventId, read.digest, read.envelope);
  RedisPipeline pipeline;
  call.appendTo(pipeline);
  auto stored = call.outcomes(redis_.pipeline(pipeline).at(0)).at(0).stored;
  ASSERT_TRUE(stored);
  uint64_t sequence = *stored;

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

// Found by the benchmark harness: a reused eventId found while later batches were in flight made
// the bus store its refusal with a call of its own, cutting into their pipelines, and exit. Now
// every frame of a stream is answered, in the order sent, the reused ids refused once each.
TEST_F(BusTest, EventIdsReusedWhileBatchesAreInFlightAreRefusedAndTheBusKeepsAnswering) {
  constexpr int kEvents = 2000;
  auto frames = test::numberedFrames("stream-", kEvents);
  std::vector<std::string> ids;
  for (int i = 0; i < kEvents; ++i) ids.push_back("stream-" + std::to_string(i));
  // Other content under the id of an event sent 350 frames before, mostly in an earlier batch,
  // and batches without any between them (up to 512 frames each), which must not be answered
  // before them. The same subject, so the same partition: which of two frames in one batch is
  // first is then the order they came in.
  std::string other = fixture(41);
  other.replace(other.find("\"participants\": 300"), 19, "\"participants\": 301");
  const std::set<int> reusedAt{350, 1350, 1950};
  std::set<std::string> reused;
  for (int at : reusedAt) {
    ids[at] = ids[at - 350];
    frames[at] = test::frameOf(test::withEventId(other, ids[at]));
    reused.insert(ids[at]);
  }
  zmq::socket_t dealer(context_, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.set(zmq::sockopt::sndhwm, 0);
  dealer.set(zmq::sockopt::rcvhwm, 0);
  dealer.set(zmq::sockopt::rcvtimeo, 10000);
  dealer.connect(bus_->ingest);
  for (const auto& frame : frames) dealer.send(zmq::buffer(frame), zmq::send_flags::none);
  auto nextAnswer = [&](capnp::MallocMessageBuilder& into) {
    zmq::message_t reply;
    EXPECT_TRUE(dealer.recv(reply)) << "no answer: the bus stopped";
    FrameReader reader(reply.to_string());
    into.setRoot(reader.root<msg::IngestReply>());
    return into.getRoot<msg::IngestReply>().asReader();
  };
  for (int i = 0; i < kEvents; ++i) {
    capnp::MallocMessageBuilder message;
    auto answer = nextAnswer(message);
    ASSERT_EQ(std::string(answer.getEventId().cStr()), ids[i]) << "answers in the order sent";
    std::string reason = answer.getReason().cStr();
    if (reusedAt.count(i)) {
      EXPECT_EQ(answer.getStatus(), Status::NACK);
      EXPECT_NE(reason.find("eventId " + ids[i] + " was already used"), std::string::npos)
          << reason;
    } else {
      EXPECT_EQ(answer.getStatus(), Status::ACK) << ids[i] << ": " << reason;
    }
  }
  dealer.send(zmq::buffer(test::frameOf(test::withEventId(fixture(41), "after"))));
  capnp::MallocMessageBuilder message;
  EXPECT_EQ(nextAnswer(message).getStatus(), Status::ACK) << "the bus still answers";

  std::map<std::string, int> refusals;  // of the rejected-events stream, by eventId
  for (const auto& entry : redis_.command({"XRANGE", keys::kRejected, "-", "+"}).elements) {
    const auto& fields = entry.elements[1].elements;
    for (size_t f = 0; f + 1 < fields.size(); f += 2) {
      if (fields[f].str == "eventId") ++refusals[fields[f + 1].str];
    }
  }
  EXPECT_EQ(refusals.size(), reused.size());
  for (const auto& id : reused) {
    EXPECT_EQ(refusals[id], 1) << id << " refused once";
    auto refusal = parseRefusal(redis_.command(refusalQuery(id)));
    ASSERT_TRUE(refusal.has_value()) << id;
    EXPECT_NE(refusal->reason.find("already used"), std::string::npos);
    // Kept with its rule and Chinese reason, as GET /v1/events/{id} shows them.
    EXPECT_EQ(refusal->rule, "bus.event.event_id");
    EXPECT_EQ(refusal->reasonZh, "eventId " + id + " 已用于另一个事件，每个事件须有自己的 eventId");
  }
  std::map<std::string, int> copies;  // of the log, by eventId
  for (uint32_t p = 0; p < 4; ++p) {
    for (const auto& e : readLog(redis_, p, 1, 100000)) {
      FrameReader reader(e.envelope);
      ++copies[reader.root<msg::Envelope>().getEventId().cStr()];
    }
  }
  EXPECT_EQ(copies.size(), static_cast<size_t>(kEvents) - reused.size() + 1);
  for (const auto& [id, n] : copies) EXPECT_EQ(n, 1) << id << " stored " << n << " times";
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

// A frame over the limit sent by a department's own system: answered with its eventId (what the
// sender matches answers by), and only the first rejectedFrameBytes of it kept for audit.
TEST_F(BusTest, AnOversizedFrameIsAnsweredWithItsEventIdAndOnlyItsStartIsKept) {
  std::string frame = fairWithLongId("too-big-1", 100'000);
  ASSERT_GT(frame.size(), kMaxFrameBytes);
  capnp::MallocMessageBuilder message;
  auto reply = answerTo({frame}, message);
  EXPECT_EQ(reply.getStatus(), Status::NACK);
  EXPECT_EQ(std::string(reply.getEventId().cStr()), "too-big-1");
  EXPECT_EQ(std::string(reply.getReason().cStr()), *frameSizeProblem(frame.size()));
  EXPECT_NE(std::string(reply.getReason().cStr()).find("is over the limit of 65536"),
            std::string::npos);
  auto kept = newestRejected();
  EXPECT_EQ(kept["eventId"], "too-big-1");
  EXPECT_EQ(kept["frame"].size(), bus::BusOptions{}.rejectedFrameBytes);
  EXPECT_TRUE(frame.starts_with(kept["frame"])) << "the frame's first bytes";
  EXPECT_EQ(kept["frameBytes"], std::to_string(frame.size()));
  EXPECT_EQ(kept["rule"], "bus.frame.size");
  EXPECT_EQ(kept["reasonZh"], std::string(reply.getReasonZh().cStr()));
  EXPECT_EQ(storedEvents(), 0);
}

// ZeroMQ drops a connection whose message is past the bus's socket limit (4 × 64 KiB) before the
// bus sees it: nothing could answer. The sender refuses such a frame itself and never sends it, so
// the frames beside it are answered and stored, and nothing waits for an answer that cannot come.
TEST_F(BusTest, AFrameTooLargeToReachTheBusIsRefusedByItsSenderAndTheOthersAreStored) {
  PublisherOptions quick;
  quick.replyTimeout = std::chrono::milliseconds(300);
  quick.attempts = 2;
  Publisher publisher(context_, bus_->ingest, quick);
  std::string huge = fairWithLongId("too-big-2", 300'000);
  auto results = publisher.publish({test::frameOf(fixture(2)), huge, test::frameOf(fixture(3))});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, Status::ACK);
  EXPECT_EQ(results[1].status, Status::NACK);
  EXPECT_EQ(results[1].eventId, "too-big-2");
  EXPECT_EQ(results[1].reason, *frameSizeProblem(huge.size()));
  EXPECT_EQ(results[2].status, Status::ACK);
  EXPECT_EQ(storedEvents(), 2);
}

// The stream of refused frames and the refusal keys beside it stay within rejectedBytes of
// Redis's memory however many frames are refused: the oldest go, keys with them, and the newest
// refusals are still found by eventId.
TEST_F(BusTest, RefusalsStayWithinTheirBudgetInRedis) {
  publisher_.reset();
  bus_.reset();
  bus::BusOptions budget;
  budget.rejectedBytes = 40 * bus::refusalCost(budget.rejectedFrameBytes);
  ASSERT_EQ(bus::refusalsKept(budget), 40);
  bus_ = std::make_unique<test::BusThread>(
      4, test::testRedis(), [&](bus::BusOptions& o) { o.rejectedBytes = budget.rejectedBytes; });
  publisher_ = std::make_unique<Publisher>(context_, bus_->ingest);
  std::vector<std::string> frames;
  for (int i = 0; i < 120; ++i) frames.push_back(fairWithLongId("long-" + std::to_string(i), 3000));
  for (const auto& r : publisher_->publish(frames)) ASSERT_EQ(r.status, Status::NACK);

  EXPECT_EQ(rejectedEvents(), 40);
  int64_t bytes = redis_.command({"MEMORY", "USAGE", keys::kRejected, "SAMPLES", "0"}).integer;
  size_t refusalKeys = 0;
  std::string cursor = "0";
  do {
    auto page = redis_.command({"SCAN", cursor, "MATCH", keys::refusal("*"), "COUNT", "1000"});
    cursor = page.elements[0].str;
    for (const auto& key : page.elements[1].elements) {
      ++refusalKeys;
      bytes += redis_.command({"MEMORY", "USAGE", key.str}).integer;
    }
  } while (cursor != "0");
  EXPECT_EQ(refusalKeys, 40u) << "a key for each refusal kept, none for those gone";
  EXPECT_LE(bytes, static_cast<int64_t>(budget.rejectedBytes));
  std::cout << "40 refusals of 3,000-byte frames: " << bytes << " bytes in Redis, " << bytes / 40
            << " each; budgeted " << bus::refusalCost(budget.rejectedFrameBytes) << " each\n";
  auto newest = redis_.command(refusalQuery("long-119"));
  EXPECT_TRUE(parseRefusal(newest).has_value());
  EXPECT_FALSE(parseRefusal(redis_.command(refusalQuery("long-0"))).has_value());
  EXPECT_LE(newestRejected()["frame"].size(), budget.rejectedFrameBytes);
}

TEST_F(BusTest, AMultiFrameMessageIsRefused) {
  std::string frame = test::frameOf(fixture(2));
  capnp::MallocMessageBuilder message;
  auto reply = answerTo({frame, frame}, message);
  EXPECT_EQ(reply.getStatus(), Status::NACK);
  EXPECT_EQ(std::string(reply.getReason().cStr()),
            "send one event as a single frame, or several as the frame \"batch\" and an IngestBatch");
  EXPECT_EQ(std::string(reply.getRule().cStr()), "bus.frame.single");
  // Nor is a batch in three frames, or under another name.
  capnp::MallocMessageBuilder three, named;
  EXPECT_EQ(answerTo({"batch", batchOf({frame}), frame}, three).getStatus(), Status::NACK);
  EXPECT_EQ(answerTo({"Batch", batchOf({frame})}, named).getStatus(), Status::NACK);
  EXPECT_EQ(storedEvents(), 0);
}

// Several events in one message: each answered as it would be on its own, in the batch's order,
// in one answer: stored, refused naming the field, a re-send within the batch, unreadable bytes.
TEST_F(BusTest, ABatchIsAnsweredEventByEventInOneMessage) {
  std::string first = test::frameOf(fixture(2));
  std::string refused = fairWithLongId("long-fair", 300);
  std::string unreadable(24, '\0');
  std::string second = test::frameOf(fixture(0));
  auto results = answersToBatch(batchOf({first, refused, first, unreadable, second}));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].status, Status::ACK) << results[0].reason;
  EXPECT_EQ(results[0].eventId, eventIdOfFrame(first));
  EXPECT_EQ(results[1].status, Status::NACK);
  EXPECT_EQ(results[1].eventId, "long-fair");
  EXPECT_NE(results[1].reason.find("fairId"), std::string::npos) << results[1].reason;
  EXPECT_NE(results[1].reasonZh, results[1].reason) << "a reason in Chinese too";
  EXPECT_EQ(results[2].status, Status::DUPLICATE) << "the same event twice in one batch";
  EXPECT_EQ(results[2].partition, results[0].partition);
  EXPECT_EQ(results[2].sequence, results[0].sequence);
  EXPECT_EQ(results[3].status, Status::NACK);
  EXPECT_EQ(results[3].eventId, "");
  EXPECT_EQ(results[3].rule, "bus.frame.readable");
  EXPECT_EQ(results[4].status, Status::ACK) << results[4].reason;
  EXPECT_EQ(storedEvents(), 2);
  EXPECT_EQ(rejectedEvents(), 2) << "an audit copy of each refused frame";
  // What the log holds is what the same frames store sent one by one.
  auto logged = readLog(redis_, results[0].partition, results[0].sequence, 1);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].envelope,
            bus::readFrame(first, Catalogue::builtIn(), systemClock(), 4).envelope);
  auto forms = test::samples(bus_->registry, "mwp_bus_messages_total");
  EXPECT_EQ(forms["batch"], 1);
  auto outcomes = test::samples(bus_->registry, "mwp_bus_events_total");
  EXPECT_EQ(outcomes["ack"], 2);
  EXPECT_EQ(outcomes["duplicate"], 1);
  EXPECT_EQ(outcomes["nack"], 2);
}

// A batch the bus cannot read, or of too many frames, gets one refusal for all of it, and nothing
// of it is stored; the connection goes on.
TEST_F(BusTest, ABatchTheBusCannotReadIsRefusedWhole) {
  std::string frame = test::frameOf(fixture(2));
  auto broken = batchOf({frame, frame});
  broken.resize(broken.size() - 16);  // cut short
  std::vector<std::string> many(kMaxBatchFrames + 1, std::string(8, '\0'));  // within 256 KiB
  for (const auto& batch : {broken, std::string(16, '\xff'), batchOf(many)}) {
    auto results = answersToBatch(batch);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].status, Status::NACK);
    EXPECT_EQ(results[0].eventId, "");
    EXPECT_EQ(results[0].rule, "bus.frame.batch");
    EXPECT_NE(results[0].reason.find("batch: "), std::string::npos) << results[0].reason;
    EXPECT_NE(results[0].reasonZh.find("batch："), std::string::npos) << results[0].reasonZh;
  }
  EXPECT_EQ(answersToBatch(batchOf(many))[0].reason,
            "batch: 1025 frames, over the limit of 1024; none of them was stored");
  EXPECT_EQ(storedEvents(), 0);
  EXPECT_EQ(rejectedEvents(), 4);
  EXPECT_TRUE(answersToBatch(batchOf({})).empty()) << "an empty batch: an empty answer";
  auto results = answersToBatch(batchOf({frame}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::ACK) << results[0].reason;
}

// mwp's own sender packs the frames waiting together into batches, and each event's result is
// what it would be sent alone; a publisher of one frame a message gets the same answers.
TEST_F(BusTest, APublisherSendsWhatWaitsAsBatchesWithEachEventsOwnAnswer) {
  std::vector<std::string> frames;
  for (int i = 0; i < 300; ++i) {
    frames.push_back(test::frameOf(test::withEventId(fixture(i % 20), "packed-" + std::to_string(i))));
  }
  frames.push_back(frames[7]);                            // a re-send
  frames.push_back(fairWithLongId("packed-refused", 300));  // refused
  auto results = publisher_->publish(frames);
  ASSERT_EQ(results.size(), frames.size());
  for (size_t i = 0; i < 300; ++i) {
    ASSERT_EQ(results[i].status, Status::ACK) << results[i].eventId << ": " << results[i].reason;
    EXPECT_EQ(results[i].eventId, "packed-" + std::to_string(i)) << "results in the order given";
  }
  EXPECT_EQ(results[300].status, Status::DUPLICATE);
  EXPECT_EQ(results[300].sequence, results[7].sequence);
  EXPECT_EQ(results[301].status, Status::NACK);
  auto forms = test::samples(bus_->registry, "mwp_bus_messages_total");
  EXPECT_GT(forms["batch"], 0);
  EXPECT_LE(forms["batch"] + forms["frame"], 302.0 / 2) << "most frames went in batches";
  EXPECT_EQ(storedEvents(), 300);

  PublisherOptions alone;
  alone.framesPerMessage = 1;
  Publisher one(context_, bus_->ingest, alone);
  double before = forms["frame"];
  auto again = one.publish(frames);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(again[i].status, i == 301 ? Status::NACK : Status::DUPLICATE) << again[i].eventId;
    EXPECT_EQ(again[i].sequence, results[i].sequence);
    EXPECT_EQ(again[i].reason, results[i].reason);
  }
  forms = test::samples(bus_->registry, "mwp_bus_messages_total");
  EXPECT_EQ(forms["frame"] - before, static_cast<double>(frames.size()));
}

// Whatever is broken in a frame, its reason names the frame or the field at fault in Chinese and
// English, never the library's own text (which quoted addresses: "[560651dafaf0 == 560651dafaf8]").
TEST(ReadFrame, AnUnreadableFrameIsRefusedNamingWhatIsWrongAndNothingOfTheBusItself) {
  const std::regex ours(R"(^[A-Za-z.\[\]0-9]+: .+ / not a readable Cap'n Proto envelope: [^\[]+$)");
  auto reasonFor = [](const std::string& bytes) {
    return bus::readFrame(bytes, Catalogue::builtIn(), 1'800'000'000, 4).reason;
  };
  std::string frame = test::frameOf(test::fixtureLines()[0]);
  EXPECT_EQ(
      reasonFor(frame + std::string(8, '\0')),
      "frame: 消息结束后还有多余的字节 / not a readable Cap'n Proto envelope: bytes after the "
      "end of the message");
  EXPECT_TRUE(std::regex_match(reasonFor(frame.substr(0, 13)), ours));
  // Each word of the message in turn made a pointer far outside it.
  std::set<std::string> named;
  for (size_t word = 1; word < frame.size() / 8; ++word) {
    std::string broken = frame;
    uint64_t outside = 0x000000427FFFFFFDull;  // a list of 8 bytes, 2^29 words further on
    std::memcpy(broken.data() + 8 * word, &outside, sizeof outside);
    std::string reason = reasonFor(broken);
    if (reason.find("not a readable") == std::string::npos) continue;  // refused for its content
    EXPECT_TRUE(std::regex_match(reason, ours)) << reason;
    named.insert(reason.substr(0, reason.find(':')));
  }
  EXPECT_TRUE(named.count("workerRegistered.name")) << "the field at fault is named";
  EXPECT_TRUE(named.count("eventId"));
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
