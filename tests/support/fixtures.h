// The fixture events the tests share (one valid event of every kind) and the clock they were
// written against. Core only: the rules' unit tests link it without Redis or ZeroMQ.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mwp::test {

// tests/fixtures/every_kind.ndjson: one valid JSON event per kind, in schema order.
std::vector<std::string> fixtureLines();
// The flat Cap'n Proto frame of a JSON event (which must be valid).
std::string frameOf(const std::string& json);
// A fixture event with its eventId replaced.
std::string withEventId(const std::string& json, const std::string& eventId);
// `count` frames of one fixture event, eventIds "<prefix>0", "<prefix>1", …
std::vector<std::string> numberedFrames(const std::string& prefix, int count);

// The n-th (0–999) of many workers of 涪城区 born on 1990-05-12: a valid resident ID, its check
// character worked out (GB 11643), for tests that need more workers than they can name.
std::string numberedResidentId(int n);

// The clock the fixtures were written against: 2026-03-02T12:00:00+08:00.
int64_t fixtureNow();

}  // namespace mwp::test
