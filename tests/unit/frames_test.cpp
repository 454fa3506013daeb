#include "frames.h"

#include <gtest/gtest.h>

#include <cstring>
#include <variant>

#include "event_json.h"
#include "fixtures.h"
#include "ids.h"

namespace mwp {
namespace {

// What capnp::canonicalize() gives, framed: canonicalFrame builds the same bytes in its own
// scratch words, and the de-duplication digests of stored events depend on them not changing.
std::string capnpsCanonicalFrame(msg::Envelope::Reader envelope) {
  return framedSegment(capnp::canonicalize(envelope));
}

TEST(Frames, TheCanonicalFormIsCapnpsForEveryFixtureEvent) {
  for (const auto& line : test::fixtureLines()) {
    auto decoded = decodeEventJson(line);
    ASSERT_TRUE(std::holds_alternative<DecodedEvent>(decoded)) << line;
    auto envelope = std::get<DecodedEvent>(decoded).envelope();
    EXPECT_EQ(canonicalFrame(envelope), capnpsCanonicalFrame(envelope)) << line;
  }
}

TEST(Frames, TheCanonicalFormShedsWhatALaterSetLeftBehindAndReadsBack) {
  // A text set twice leaves the first behind in the segment; a larger message after a small one
  // makes the scratch words grow.
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<msg::Envelope>();
  envelope.setEventId("first-id-that-is-replaced-later");
  envelope.setEventId("e-1");
  envelope.initWorkerRegistered().setName(std::string(3000, 'x'));
  auto small = decodeEventJson(test::fixtureLines().at(0));
  auto smallEnvelope = std::get<DecodedEvent>(small).envelope();
  EXPECT_EQ(canonicalFrame(smallEnvelope), capnpsCanonicalFrame(smallEnvelope));
  auto bytes = canonicalFrame(envelope.asReader());
  EXPECT_EQ(bytes, capnpsCanonicalFrame(envelope.asReader()));
  EXPECT_LT(bytes.size(), toBytes(message).size());
  FrameReader reader(bytes);
  EXPECT_EQ(std::string(reader.root<msg::Envelope>().getEventId().cStr()), "e-1");
  EXPECT_EQ(reader.root<msg::Envelope>().getWorkerRegistered().getName().size(), 3000u);
}

TEST(Frames, TheCanonicalFormOfAStructLargerThanTheScratchIsSizedAndBuilt) {
  // A message built here is bounded by no traversal limit: its canonical form outgrows the
  // scratch a read frame's fits in, and is built again in larger scratch; what follows it, a
  // smaller one, finds the scratch zeroed again.
  size_t limitBytes = untrustedReaderOptions().traversalLimitInWords * sizeof(capnp::word);
  capnp::MallocMessageBuilder message;
  auto envelope = message.initRoot<msg::Envelope>();
  envelope.setEventId("e-large");
  envelope.initWorkerRegistered().setName(std::string(limitBytes + 4096, 'n'));
  auto large = canonicalFrame(envelope.asReader());
  EXPECT_EQ(large, capnpsCanonicalFrame(envelope.asReader()));
  EXPECT_GT(large.size(), limitBytes);
  for (const auto& line : test::fixtureLines()) {
    auto small = std::get<DecodedEvent>(decodeEventJson(line));
    EXPECT_EQ(canonicalFrame(small.envelope()), capnpsCanonicalFrame(small.envelope())) << line;
  }
}

TEST(Frames, ABorrowingReaderReadsAlignedBytesInPlaceAndCopiesOthers) {
  auto fixture = std::get<DecodedEvent>(decodeEventJson(test::fixtureLines().at(0)));
  std::string bytes = toBytes(*fixture.message);
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word) + 1);
  auto* aligned = reinterpret_cast<char*>(words.begin());
  memcpy(aligned, bytes.data(), bytes.size());
  auto inside = [&](const char* p, const char* start) { return p >= start && p < start + bytes.size(); };

  FrameReader inPlace(std::string_view(aligned, bytes.size()), FrameReader::Borrowed{});
  auto id = inPlace.root<msg::Envelope>().getEventId();
  EXPECT_TRUE(inside(id.begin(), aligned)) << "read where the bytes are, not from a copy";
  EXPECT_EQ(std::string(id.cStr()), "fixture-01-workerRegistered");

  // One byte on: Cap'n Proto cannot read there, so the reader copies.
  std::string shifted(bytes.size() + 1, '\0');
  memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  FrameReader copied(std::string_view(shifted.data() + 1, bytes.size()), FrameReader::Borrowed{});
  auto copiedId = copied.root<msg::Envelope>().getEventId();
  EXPECT_FALSE(inside(copiedId.begin(), shifted.data() + 1));
  EXPECT_EQ(std::string(copiedId.cStr()), "fixture-01-workerRegistered");
  auto* reader = reinterpret_cast<const char*>(&copied);
  EXPECT_TRUE(copiedId.begin() >= reader && copiedId.begin() < reader + sizeof copied)
      << "a frame of an event's usual size is copied into the reader, not onto the heap";

  FrameReader owning(std::string_view(aligned, bytes.size()));
  EXPECT_FALSE(inside(owning.root<msg::Envelope>().getEventId().begin(), aligned))
      << "without Borrowed, always a copy: the caller's bytes may go";
}

TEST(Frames, ABorrowingReaderCopiesALargeUnalignedFrameWhole) {
  capnp::MallocMessageBuilder message;
  std::string longId(5000, 'x');  // far past the room a reader has in itself
  message.initRoot<msg::Envelope>().setEventId(longId);
  std::string bytes = toBytes(message);
  std::string shifted(bytes.size() + 3, '\0');
  memcpy(shifted.data() + 3, bytes.data(), bytes.size());
  FrameReader copied(std::string_view(shifted.data() + 3, bytes.size()), FrameReader::Borrowed{});
  shifted.assign(shifted.size(), '\0');  // the copy must not depend on the bytes it was made from
  EXPECT_EQ(std::string(copied.root<msg::Envelope>().getEventId().cStr()), longId);
}

TEST(Frames, Hex64IsSixteenLowerCaseDigits) {
  EXPECT_EQ(hex64(0), "0000000000000000");
  EXPECT_EQ(hex64(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(hex64(UINT64_MAX), "ffffffffffffffff");
  char digits[16];
  hex64(0x0123456789abcdefULL, digits);
  EXPECT_EQ(std::string(digits, sizeof digits), "0123456789abcdef");
}

}  // namespace
}  // namespace mwp
