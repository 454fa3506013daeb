#include <gtest/gtest.h>

#include "event_rules.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

// The checks read payload fields by their slots (event_rules.cpp): they must see what the
// generated accessors see, and so what the stored canonical form keeps, however a frame is laid
// out.
// The refusal's English reason, or nullopt when the checks pass.
std::optional<std::string> verdictOf(std::string_view frame) {
  FrameReader reader(frame);
  auto refused = checkEvent(reader.root<msg::Envelope>(), Catalogue::builtIn(), test::fixtureNow());
  if (!refused) return std::nullopt;
  return refused->en;
}

TEST(EventRulesSlots, AnEnvelopeCutBeforeItsPayloadPointerIsCheckedAsItsStoredFormReads) {
  // Found by the envelope fuzzer: a demonstrationSiteRecognized event whose envelope says it has
  // four pointers, fewer than the payload's place. Read past the pointer section, the payload
  // was whatever bytes followed, and the event was accepted with a payload the stored form
  // (canonical, through the generated accessors) does not have.
  const std::string frame(
      "\x00\x00\x00\x00\x1a\x00\x00\x00\x00\x00\x00\x00\x01\x00\x04\x00"
      "\x01\x00\x0e\x00\x00\x00\x00\x00\x15\x00\x00\x00\x3a\x01\x00\x00"
      "\x25\x00\x00\x00\xd2\x00\x00\x00\x31\x00\x00\x00\x3a\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x28\x00\x00\x00\x01\x00\x02\x00\x66\x69\x78\x74\x75\x72\x65\x2d"
      "\x31\x34\x2d\x64\x65\x6d\x6f\x6e\x73\x74\x72\x61\x74\x69\x6f\x6e"
      "\x53\x69\x74\x65\x52\x65\x63\x6f\x67\x6e\x69\x7a\x65\x64\x00\x00"
      "\x32\x30\x32\x36\x2d\x30\x33\x2d\x30\x32\x54\x30\x39\x3a\x30\x30"
      "\x3a\x30\x30\x2b\x30\x38\x3a\x30\x30\x00\x00\x00\x00\x00\x00\x00"
      "\x35\x31\x30\x37\x30\x35\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00"
      "\x05\x00\x00\x00\xb2\x00\x00\x00\x0d\x00\x00\x00\x5a\x00\x00\x00"
      "\xe5\xae\x89\xe5\xb7\x9e\xe8\xbf\x94\xe4\xb9\xa1\xe5\x88\x9b\xe4"
      "\xb8\x9a\xe5\x9b\xad\x00\x00\x00\x32\x30\x32\x36\x2d\x30\x32\x2d"
      "\x31\x35\x00\x00\x00\x00\x00\x00",
      216);
  auto stored = [&] {
    FrameReader reader(frame);
    return canonicalFrame(reader.root<msg::Envelope>());
  }();
  auto verdict = verdictOf(frame);
  EXPECT_TRUE(verdict.has_value());
  EXPECT_EQ(verdict, verdictOf(stored));
}

}  // namespace
}  // namespace mwp
