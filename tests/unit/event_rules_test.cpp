#include "event_rules.h"

#include <gtest/gtest.h>

#include <variant>

#include "event_json.h"
#include "event_kinds.h"
#include "test_env.h"

namespace mwp {
namespace {

// The reason checkEvent gives for a JSON event, or "" when it accepts it.
std::string verdictOf(const std::string& json, int64_t now = test::fixtureNow()) {
  auto decoded = decodeEventJson(json);
  if (auto* e = std::get_if<JsonError>(&decoded)) return "json: " + e->reason;
  auto reason = checkEvent(std::get<DecodedEvent>(decoded).envelope(), Catalogue::builtIn(), now);
  return reason ? reason->en : "";
}

// "<rule> | <reason in Chinese>" of checkEvent's refusal of a JSON event.
std::string ruleAndZhOf(const std::string& json) {
  auto decoded = decodeEventJson(json);
  if (std::holds_alternative<JsonError>(decoded)) return "not an event";
  auto reason = checkEvent(std::get<DecodedEvent>(decoded).envelope(), Catalogue::builtIn(),
                           test::fixtureNow());
  return reason ? reason->rule + " | " + reason->zh : "";
}

std::string replaced(std::string json, const std::string& from, const std::string& to) {
  auto at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) json.replace(at, from.size(), to);
  return json;
}

std::string line(size_t index) {
  return test::fixtureLines().at(index);
}
const size_t kWorkerRegistered = 0, kJobFair = 2, kSkillCertified = 8, kWageClaimAccepted = 29,
             kHealthCheck = 26, kActivity = 41, kSubsidyGranted = 42, kProjectRegistered = 45,
             kPeriodReported = 56, kAttendance = 50, kWagePaid = 51, kWageWarningCleared = 55,
             kWorkerReturned = 64;

TEST(EventRules, EveryFixtureEventIsAccepted) {
  for (const auto& l : test::fixtureLines()) EXPECT_EQ(verdictOf(l), "") << l;
}

TEST(EventRules, ABadResidentIdIsRefusedWithoutQuotingIt) {
  auto reason =
      verdictOf(replaced(line(kWorkerRegistered), "510703199005121230", "510703199005121231"));
  EXPECT_EQ(reason, "workerId: not a valid resident ID (18 characters, GB 11643 check character)");
  EXPECT_EQ(reason.find("51070319900512123"), std::string::npos);
}

TEST(EventRules, AnAreaOutsideMianyangIsRefused) {
  EXPECT_EQ(verdictOf(replaced(line(kJobFair), "\"area\": \"510703\"", "\"area\": \"440300\"")),
            "area: not a Mianyang county code or a park of the area table");
}

TEST(EventRules, PayloadAreaCodesMayBeAnywhereInChinaButMustHaveTheForm) {
  EXPECT_EQ(verdictOf(replaced(line(kWorkerRegistered), "\"hukouArea\": \"510722\"",
                               "\"hukouArea\": \"440300\"")),
            "");
  EXPECT_EQ(verdictOf(replaced(line(kWorkerRegistered), "\"hukouArea\": \"510722\"",
                               "\"hukouArea\": \"990300\"")),
            "workerRegistered.hukouArea: not a GB/T 2260 area code (six digits with a real "
            "province prefix)");
}

TEST(EventRules, AVillageIsTwelveDigitsInAMianyangCounty) {
  EXPECT_EQ(verdictOf(line(kWorkerReturned)), "");
  EXPECT_EQ(verdictOf(replaced(line(kWorkerReturned), "510722103201", "51072210320")),
            "workerReturned.village: not a 12-digit village code (统计用区划代码)");
  EXPECT_EQ(ruleAndZhOf(replaced(line(kWorkerReturned), "510722103201", "51072210320")),
            "bus.event.village | workerReturned.village 不是12位统计用区划代码");
  // 440305: a Shenzhen district, a real county code but not Mianyang's.
  EXPECT_EQ(verdictOf(replaced(line(kWorkerReturned), "510722103201", "440305103201")),
            "workerReturned.village: the first six digits are not a Mianyang county");
  EXPECT_EQ(ruleAndZhOf(replaced(line(kWorkerReturned), "510722103201", "440305103201")),
            "bus.event.village | workerReturned.village 前六位不是绵阳市的县（市、区）");
}

// Found by fuzzing the bus's frames: text that is not UTF-8 was stored, and broke the JSON of it.
TEST(EventRules, TextMustBeUtf8WithoutControlCharacters) {
  const std::string reason = "jobFairHeld.fairId: not UTF-8 text, or holds a control character";
  auto withName = [](const std::string& name) {
    return replaced(line(kJobFair), "\"fairId\": \"", "\"fairId\": \"" + name);
  };
  EXPECT_EQ(verdictOf(withName("春风行动 ")), "");
  EXPECT_EQ(verdictOf(withName("\\u001b[31m")), reason) << "an escape sequence for terminals";
  EXPECT_EQ(verdictOf(withName("tab\\there")), reason);
  EXPECT_EQ(verdictOf(withName("\x94\xb5")), reason) << "not UTF-8";
  EXPECT_EQ(verdictOf(withName("\xc0\xaf")), reason) << "an overlong form";
  EXPECT_EQ(verdictOf(withName("\xed\xa0\x80")), reason) << "a surrogate";
}

// Found by fuzzing: an eventId with a NUL byte passed a check that read it up to the NUL.
TEST(EventRules, ANulByteInAnEnvelopeFieldIsRefused) {
  auto decoded = decodeEventJson(line(kJobFair));
  auto& event = std::get<DecodedEvent>(decoded);
  auto envelope = event.message->getRoot<msg::Envelope>();
  std::string id = "fixture-03";
  id += '\0';
  id += "tail";
  envelope.setEventId(capnp::Text::Reader(id.data(), id.size()));
  EXPECT_EQ(checkEvent(envelope.asReader(), Catalogue::builtIn(), test::fixtureNow())->en,
            "eventId: 1–64 characters of A–Z a–z 0–9 . _ : -");
}

// Found by fuzzing: an enum value past the schema's was stored, and its JSON could not be read.
TEST(EventRules, AnEnumValueThisSchemaDoesNotHaveIsRefused) {
  auto decoded = decodeEventJson(line(kHealthCheck));
  auto envelope = std::get<DecodedEvent>(decoded).message->getRoot<msg::Envelope>();
  envelope.getHealthCheckCompleted().setResult(static_cast<msg::HealthCheckResult>(256));
  EXPECT_EQ(checkEvent(envelope.asReader(), Catalogue::builtIn(), test::fixtureNow())->en,
            "healthCheckCompleted.result: a value this bus's schema does not have");
  envelope.setSource(static_cast<msg::Department>(200));
  EXPECT_EQ(checkEvent(envelope.asReader(), Catalogue::builtIn(), test::fixtureNow())->en,
            "source: a department this bus's schema does not have");
}

// causedBy names the event that caused this one: an eventId, or nothing.
TEST(EventRules, CausedByIsAnEventId) {
  const std::string withCause = replaced(line(kJobFair), "\"source\": \"hrss\",",
                                         "\"source\": \"hrss\", \"causedBy\": \"fixture-01\",");
  EXPECT_EQ(verdictOf(withCause), "");
  EXPECT_EQ(ruleAndZhOf(replaced(withCause, "fixture-01", "not an id!")),
            "bus.event.caused_by | causedBy 不是 eventId");
}

TEST(EventRules, DatesMustBeRealDays) {
  EXPECT_EQ(verdictOf(replaced(line(kSkillCertified), "2026-02-28", "2026-02-30")),
            "skillCertified.issuedOn: not a date in the form YYYY-MM-DD");
}

TEST(EventRules, AnEventFromTheFutureIsRefused) {
  auto json = replaced(line(kJobFair), "2026-03-02T09:00:00+08:00", "2026-03-02T12:06:00+08:00");
  EXPECT_EQ(verdictOf(json), "occurredAt: more than 5 minutes in the future");
  EXPECT_EQ(
      verdictOf(replaced(line(kJobFair), "2026-03-02T09:00:00+08:00", "2026-03-02T12:04:00+08:00")),
      "");
}

TEST(EventRules, WorkerIdIsRequiredForPersonalKindsAndForbiddenForOthers) {
  auto withoutWorker =
      replaced(line(kSkillCertified), "\"workerId\": \"510703199005121230\", ", "");
  EXPECT_EQ(verdictOf(withoutWorker), "workerId: required for skillCertified");
  auto withWorker = replaced(line(kJobFair), "\"area\": \"510703\"",
                             "\"area\": \"510703\", \"workerId\": \"510703199005121230\"");
  EXPECT_EQ(verdictOf(withWorker),
            "workerId: must be absent for jobFairHeld (not about one person)");
}

TEST(EventRules, GenderMustAgreeWithTheResidentId) {
  EXPECT_EQ(verdictOf(replaced(line(kWorkerRegistered), "\"male\"", "\"female\"")),
            "workerRegistered.gender: does not agree with the resident ID's 17th digit");
}

TEST(EventRules, ARefusalNamesItsRuleAndSaysWhyInChinese) {
  auto decoded = decodeEventJson(replaced(line(kWorkerRegistered), "91512081MA62K0260E",
                                          "91512081MA62K0260F"));
  auto reason = checkEvent(std::get<DecodedEvent>(decoded).envelope(), Catalogue::builtIn(),
                           test::fixtureNow());
  ASSERT_TRUE(reason);
  EXPECT_EQ(reason->rule, "bus.event.fields");
  EXPECT_EQ(reason->zh, "workerRegistered.employerCode 不是校验位正确的统一社会信用代码");
}

TEST(EventRules, AnEmployerCodeMustCarryItsCheckCharacter) {
  EXPECT_EQ(
      verdictOf(replaced(line(kWorkerRegistered), "91512081MA62K0260E", "91512081MA62K0260F")),
      "workerRegistered.employerCode: not a valid unified social credit code (GB 32100 check "
      "character)");
}

TEST(EventRules, ADepartmentMayReportOnlyItsMeasuresKinds) {
  EXPECT_EQ(
      verdictOf(replaced(line(kHealthCheck), "\"source\": \"health\"", "\"source\": \"court\"")),
      "source: court may not report healthCheckCompleted");
  EXPECT_EQ(verdictOf(replaced(line(kSubsidyGranted), "\"source\": \"mwpService\"",
                               "\"source\": \"hrss\"")),
            "source: hrss may not report subsidyGranted");
}

TEST(EventRules, AnActivityMustBeOneItsMeasureLists) {
  EXPECT_EQ(verdictOf(replaced(line(kActivity), "condolenceVisitOutside", "cultureEvent")),
            "activityReported.activity: measure 23 lists condolenceVisitOutside, familyVisit");
  EXPECT_EQ(verdictOf(replaced(line(kActivity), "\"measure\": 23", "\"measure\": 4")),
            "activityReported.measure: 4 is not an outreach measure (12, 13, 17–19, 23–30)");
}

TEST(EventRules, APeriodReportedNamesAMeasureAndAQuarterThatHasBegun) {
  EXPECT_EQ(verdictOf(line(kPeriodReported)), "");
  EXPECT_EQ(verdictOf(replaced(line(kPeriodReported), "\"measure\": 23", "\"measure\": 31")),
            "periodReported.measure: 31 is not a measure (1–30)");
  EXPECT_EQ(ruleAndZhOf(replaced(line(kPeriodReported), "\"measure\": 23", "\"measure\": 31")),
            "bus.event.period_reported | periodReported.measure 31 不是 1–30 的措施编号");
  for (const char* bad : {"2026-Q5", "2026Q1", "2026-q1", "2018-Q4", "2026-H1", "2026"}) {
    EXPECT_EQ(verdictOf(replaced(line(kPeriodReported), "2026-Q1", bad)),
              "periodReported.period: not a quarter YYYY-Qn of 2019 on, e.g. 2026-Q1")
        << bad;
    EXPECT_EQ(ruleAndZhOf(replaced(line(kPeriodReported), "2026-Q1", bad)),
              "bus.event.period_reported | periodReported.period 不是2019年起 YYYY-Qn "
              "形式的季度，例如 2026-Q1")
        << bad;
  }
  EXPECT_EQ(
      verdictOf(replaced(line(kPeriodReported), "2026-Q1", "2026-Q2")),
      "periodReported.period: 2026-Q2 has not begun by occurredAt");
  EXPECT_EQ(ruleAndZhOf(replaced(line(kPeriodReported), "2026-Q1", "2026-Q2")),
            "bus.event.period_reported | periodReported.period 所报季度 2026-Q2 在 occurredAt "
            "时尚未开始");
  EXPECT_EQ(verdictOf(replaced(line(kPeriodReported), "areaGovernment", "bank")),
            "source: bank may not report periodReported for measure 23");
  EXPECT_EQ(verdictOf(replaced(line(kPeriodReported), "areaGovernment", "tradeUnion")), "")
      << "measure 23's lead departments may report it";
}

TEST(EventRules, EnumsLeftUnspecifiedAndZeroCountsAreRefused) {
  EXPECT_EQ(verdictOf(replaced(line(kSkillCertified), "\"intermediate\"", "\"unspecified\"")),
            "skillCertified.level: missing");
  EXPECT_EQ(verdictOf(replaced(line(kJobFair), "\"employers\": 40", "\"employers\": 0")),
            "jobFairHeld.employers: must be at least 1");
}

TEST(EventRules, TextsAreLimited) {
  EXPECT_EQ(verdictOf(replaced(line(kWageClaimAccepted), "WC-2026-001", std::string(201, 'x'))),
            "wageClaimAccepted.caseNo: longer than 200 characters");
  EXPECT_EQ(verdictOf(replaced(line(kWageClaimAccepted), "WC-2026-001", "")),
            "wageClaimAccepted.caseNo: must not be empty");
}

TEST(EventRules, AllEventsOfACaseShareAPartition) {
  auto subject = [](size_t index) {
    auto decoded = decodeEventJson(line(index));
    return subjectOf(std::get<DecodedEvent>(decoded).envelope());
  };
  EXPECT_EQ(subject(28), "caseNo:WC-2026-001");  // wageClaimFiled, which also names a worker
  EXPECT_EQ(subject(kWageClaimAccepted), "caseNo:WC-2026-001");
  EXPECT_EQ(subject(kSkillCertified), "worker:510703199005121230");
  EXPECT_EQ(partitionOf("caseNo:WC-2026-001", 8), partitionOf("caseNo:WC-2026-001", 8));
  std::set<uint32_t> used;
  for (int i = 0; i < 1000; ++i) used.insert(partitionOf("worker:" + std::to_string(i), 8));
  EXPECT_EQ(used.size(), 8u) << "subjects spread over every partition";
}

TEST(EventRules, ThePartitionOfAnEventIsThatOfItsSubject) {
  // The bus hashes the subject's parts in place (partitionOfEvent); every stored event's
  // partition depends on it being partitionOf(subjectOf(…)), under every partition count.
  for (size_t i = 0; i < test::fixtureLines().size(); ++i) {
    auto decoded = decodeEventJson(line(i));
    auto envelope = std::get<DecodedEvent>(decoded).envelope();
    for (uint32_t count : {1u, 4u, 8u, 7u, 1000u}) {
      EXPECT_EQ(partitionOfEvent(envelope, count), partitionOf(subjectOf(envelope), count))
          << subjectOf(envelope) << " of " << count;
    }
  }
}

// Measure 20, wage payment at the source: what a project's events must hold before any state.
TEST(EventRules, AProjectNeedsValidOwnerAndContractorCodes) {
  EXPECT_EQ(
      verdictOf(replaced(line(kProjectRegistered), "12510700MB1D2E3F41", "12510700MB1D2E3F42")),
      "projectRegistered.ownerCode: not a valid unified social credit code (GB 32100 check "
      "character)");
  EXPECT_NE(
      verdictOf(replaced(line(kProjectRegistered), "91510703MA6A2B3C4K", "91510703MA6A2B3C4I"))
          .find("projectRegistered.contractorCode: not a valid"),
      std::string::npos)
      << "I is not a character of GB 32100";
}

TEST(EventRules, APaydayIsADayFrom1To28) {
  auto withPayday = [](const std::string& day) {
    return verdictOf(replaced(line(kProjectRegistered), "\"payday\": 15", "\"payday\": " + day));
  };
  EXPECT_EQ(withPayday("28"), "");
  EXPECT_EQ(withPayday("29"),
            "projectRegistered.payday: must be at most 28");
  EXPECT_EQ(withPayday("0"), "projectRegistered.payday: must be at least 1");
}

TEST(EventRules, DaysWorkedAreAtMost31) {
  auto withDays = [](const std::string& days) {
    return verdictOf(replaced(line(kAttendance), "\"daysWorked\": 22", "\"daysWorked\": " + days));
  };
  EXPECT_EQ(withDays("0"), "") << "a month enrolled and not worked is a report too";
  EXPECT_EQ(withDays("31"), "");
  EXPECT_EQ(withDays("32"),
            "attendanceReported.daysWorked: must be at most 31");
}

TEST(EventRules, AMonthMustBeARealMonth) {
  auto withMonth = [](const std::string& month) {
    return verdictOf(
        replaced(line(kWagePaid), "\"month\": \"2026-01\"", "\"month\": \"" + month + "\""));
  };
  EXPECT_EQ(withMonth("2026-12"), "");
  const std::string reason =
      "wagePaid.month: not a month in the form YYYY-MM";
  EXPECT_EQ(withMonth("2026-13"), reason);
  EXPECT_EQ(withMonth("2026-00"), reason);
  EXPECT_EQ(withMonth("2026-1"), reason);
  EXPECT_EQ(withMonth("2026-01-31"), reason);
}

TEST(EventRules, AllEventsOfAProjectShareAPartition) {
  for (size_t i = kProjectRegistered; i <= kWageWarningCleared; ++i) {
    auto decoded = decodeEventJson(line(i));
    EXPECT_EQ(subjectOf(std::get<DecodedEvent>(decoded).envelope()), "projectId:P-2026-001")
        << line(i);
  }
}

}  // namespace
}  // namespace mwp
