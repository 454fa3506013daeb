// What every harness checks of an event the bus accepts: it is stored in a canonical form that
// reads back the same, and its JSON (what mwpctl tail and the gateway show) decodes to an event
// with the same JSON. A difference is a defect, reported by abort() so that libFuzzer keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <variant>

#include "bus.h"
#include "bus_client.h"
#include "catalogue.h"
#include "event_json.h"
#include "frames.h"

namespace mwp::fuzz {

// A fixed "now" (2026-11-01 00:00 Beijing), so that a saved input replays the same way.
constexpr int64_t kNow = 1793462400;

inline void fail(const char* what) {
  std::fprintf(stderr, "defect: %s\n", what);
  std::abort();
}

// The bus's verdict on `raw`, and the properties of what it accepts.
inline bus::FrameVerdict readAndCheck(const std::string& raw) {
  auto verdict = bus::readFrame(raw, Catalogue::builtIn(), kNow, 8);
  if (verdict.reason.empty() == verdict.envelope.empty()) fail("a verdict with no reason and no event");
  if (!verdict.reason.empty()) return verdict;
  if (verdict.eventId != eventIdOfFrame(raw)) fail("eventIdOfFrame reads another eventId");
  FrameReader stored(verdict.envelope);
  auto event = stored.root<msg::Envelope>();
  if (canonicalFrame(event) != verdict.envelope) fail("the canonical form is not stable");
  auto json = encodeEventJson(event);
  auto decoded = decodeEventJson(json);
  auto* again = std::get_if<DecodedEvent>(&decoded);
  if (!again) fail(("the JSON of an accepted event does not decode: " + json).c_str());
  // Equal as JSON: fields a newer sender's schema has and this one lacks are kept in the stored
  // event (Cap'n Proto's schema evolution) but shown by no one, so the bytes may differ.
  if (encodeEventJson(again->envelope()) != json) {
    fail(("JSON loses part of the event: " + json + "\n  reads back as " +
          encodeEventJson(again->envelope()))
             .c_str());
  }
  return verdict;
}

}  // namespace mwp::fuzz
