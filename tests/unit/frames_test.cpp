#include "frames.h"

#include <gtest/gtest.h>

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

TEST(Frames, Hex64IsSixteenLowerCaseDigits) {
  EXPECT_EQ(hex64(0), "0000000000000000");
  EXPECT_EQ(hex64(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(hex64(UINT64_MAX), "ffffffffffffffff");
}

}  // namespace
}  // namespace mwp
