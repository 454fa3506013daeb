#include "event_json.h"

#include <gtest/gtest.h>

#include "event_kinds.h"
#include "test_env.h"

namespace mwp {
namespace {

JsonError errorOf(const std::string& json) {
  auto decoded = decodeEventJson(json);
  EXPECT_TRUE(std::holds_alternative<JsonError>(decoded)) << json;
  if (auto* e = std::get_if<JsonError>(&decoded)) return *e;
  return {};
}

DecodedEvent eventOf(const std::string& json) {
  auto decoded = decodeEventJson(json);
  if (auto* e = std::get_if<JsonError>(&decoded)) {
    ADD_FAILURE() << e->reason << " in " << json;
    return {};
  }
  return std::move(std::get<DecodedEvent>(decoded));
}

// A JSON event, re-encoded and decoded again, gives the same envelope: for every kind.
TEST(EventJson, EveryKindRoundTrips) {
  auto lines = test::fixtureLines();
  ASSERT_EQ(lines.size(), allKinds().size());
  std::set<std::string> seen;
  for (const auto& line : lines) {
    auto first = eventOf(line);
    ASSERT_TRUE(first.message);
    std::string encoded = encodeEventJson(first.envelope());
    auto second = eventOf(encoded);
    ASSERT_TRUE(second.message);
    EXPECT_EQ(encodeEventJson(second.envelope()), encoded);
    EXPECT_TRUE(first.envelope().totalSize().wordCount == second.envelope().totalSize().wordCount);
    seen.insert(kindOf(first.envelope()));
  }
  EXPECT_EQ(seen.size(), allKinds().size()) << "the fixture must hold one event of every kind";
}

// The discriminant tables by kind are indexed by (Catalogue::mayReport): by name it must be the
// one an envelope of that kind answers, for every kind; no number for a name that is not a kind.
TEST(EventKinds, AKindsDiscriminantIsWhatAnEnvelopeOfThatKindAnswers) {
  for (const auto& line : test::fixtureLines()) {
    auto event = eventOf(line);
    ASSERT_TRUE(event.message);
    auto envelope = event.envelope();
    EXPECT_EQ(kindWhich(kindOf(envelope)), envelope.which()) << kindOf(envelope);
  }
  EXPECT_EQ(kindWhich("workerRegistred"), std::nullopt);
  EXPECT_EQ(kindWhich("noPayload"), std::nullopt) << "the marker of no payload is not a kind";
  EXPECT_EQ(kindWhich("eventId"), std::nullopt) << "an envelope's field is not a kind";
}

TEST(EventJson, KeepsEnumsByNameAndDatesAsGiven) {
  auto event = eventOf(test::fixtureLines()[8]);  // skillCertified
  ASSERT_TRUE(event.message);
  auto cert = event.envelope().getSkillCertified();
  EXPECT_EQ(cert.getLevel(), msg::SkillLevel::INTERMEDIATE);
  EXPECT_EQ(std::string(cert.getIssuedOn().cStr()), "2026-02-28");
  EXPECT_EQ(cert.getInsuredMonths(), 24u);
  std::string json = encodeEventJson(event.envelope());
  EXPECT_NE(json.find("\"level\":\"intermediate\""), std::string::npos) << json;
}

// What Python's json.dumps sends by default: every Chinese character as a \u escape. Debian's
// Cap'n Proto reads the hex letters of such escapes wrongly; found by fuzzing, decoded by mwp.
TEST(EventJson, UnicodeEscapesGiveTheCharactersTheyName) {
  std::string line = test::fixtureLines()[0];
  const std::string plain = "\"name\": \"张三\"";
  auto at = line.find(plain);
  ASSERT_NE(at, std::string::npos);
  auto named = [&](const std::string& escaped) {
    return line.substr(0, at) + "\"name\": \"" + escaped + "\"" + line.substr(at + plain.size());
  };
  auto event = eventOf(named("\\u5f20\\u4E09 \\ud83d\\ude00 \\u0022\\u005c"));
  ASSERT_TRUE(event.message);
  EXPECT_EQ(std::string(event.envelope().getWorkerRegistered().getName().cStr()),
            "张三 😀 \"\\");
  EXPECT_EQ(errorOf(named("\\ud83d")).reason, "not valid JSON: a \\u escape of half a UTF-16 pair");
  EXPECT_EQ(errorOf(named("\\u12")).reason, "not valid JSON: a \\u escape needs four hex digits");
  EXPECT_EQ(errorOf(named("\\u0000")).reason, "not valid JSON: a NUL character in a string");
}

TEST(EventJson, AMisspelledFieldIsAnErrorNotADefault) {
  std::string line = test::fixtureLines()[8];
  auto at = line.find("insuredMonths");
  line.replace(at, 13, "insuredMonth");
  auto error = errorOf(line);
  EXPECT_EQ(error.reason, "skillCertified.insuredMonth: unknown field");
  EXPECT_EQ(error.eventId, "fixture-09-skillCertified");
}

TEST(EventJson, AMissingFieldIsNamed) {
  auto error = errorOf(R"({"eventId":"e1","occurredAt":"2026-03-02T09:00:00+08:00","source":"hrss",
    "area":"510703","workerId":"510703199005121230",
    "skillCertified":{"certificateNo":"C1","occupation":"焊工","level":"junior","issuedOn":"2026-02-28"}})");
  EXPECT_EQ(error.reason, "skillCertified.insuredMonths: missing");
}

TEST(EventJson, AnUnknownKindIsRefused) {
  auto error = errorOf(R"({"eventId":"e1","occurredAt":"2026-03-02T09:00:00+08:00","source":"hrss",
    "area":"510703","fooBar":{}})");
  EXPECT_EQ(error.reason, "fooBar: unknown field");
}

TEST(EventJson, AnEnvelopeWithoutPayloadIsRefused) {
  auto error = errorOf(R"({"eventId":"e1","occurredAt":"2026-03-02T09:00:00+08:00","source":"hrss",
    "area":"510703"})");
  EXPECT_NE(error.reason.find("no payload"), std::string::npos) << error.reason;
}

TEST(EventJson, TwoPayloadsAreRefused) {
  auto error = errorOf(R"({"eventId":"e1","occurredAt":"2026-03-02T09:00:00+08:00","source":"hrss",
    "area":"510703","socialSecurityCardIssued":{"issuedOn":"2026-02-01"},
    "wageClaimAccepted":{"caseNo":"X","acceptedOn":"2026-02-01"}})");
  EXPECT_NE(error.reason.find("more than one payload"), std::string::npos) << error.reason;
}

TEST(EventJson, AnUnknownEnumNameIsRefused) {
  std::string line = test::fixtureLines()[8];
  line.replace(line.find("\"intermediate\""), 14, "\"expert\"");
  auto error = errorOf(line);
  EXPECT_NE(error.reason.find("does not fit the schema"), std::string::npos) << error.reason;
}

TEST(EventJson, NotJsonIsRefusedWithoutAnEventId) {
  auto error = errorOf("{\"eventId\": ");
  EXPECT_EQ(error.eventId, "-");
  EXPECT_NE(error.reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(errorOf("[1,2]").reason, "the event: expected a JSON object");
}

TEST(EventJson, SixtyFourBitIntegersAreNotNeededAndNumbersMayBeStrings) {
  std::string line = test::fixtureLines()[8];
  line.replace(line.find("\"insuredMonths\": 24"), 19, "\"insuredMonths\": \"24\"");
  auto event = eventOf(line);
  ASSERT_TRUE(event.message);
  EXPECT_EQ(event.envelope().getSkillCertified().getInsuredMonths(), 24u);
}

}  // namespace
}  // namespace mwp
