// The rules register compiled in: a rule's version is the one in force on the event's date.
#include <gtest/gtest.h>

#include <string>

#include "mwp/rule_names.h"
#include "rules.h"

namespace mwp {
namespace {

std::string documentOn(RuleId rule, const char* date) {
  const RuleVersion* v = ruleInForce(rule, date);
  return v ? v->document : "none";
}

// 法律援助法 (in force 2022-01-01) art. 43 replaced the 2012 程序规定's period: a request of 2021
// is decided under the old text (as modelled, every request before 2022), one of 2022 under the
// law — whose "七日" is kept at 7 working days until its text is verified.
TEST(RuleRegister, TheVersionInForceOnTheEventsDateApplies) {
  auto period = rules::rights::legal_aid::decision_period;
  const std::string old = "办理法律援助案件程序规定（司法部令第124号，2012）";
  EXPECT_EQ(documentOn(period, "2021-12-31"), old);
  EXPECT_EQ(documentOn(period, "2012-06-30"), old) << "every request before 2022";
  EXPECT_EQ(documentOn(period, "2022-01-01"), "法律援助法");
  EXPECT_EQ(documentOn(period, "2026-03-01"), "法律援助法");
  EXPECT_EQ(documentOn(rules::rights::legal_aid::means_test_exempt, "2021-12-31"), "none")
      << "before its first version";
  EXPECT_EQ(std::string(ruleInForce(period, "2021-06-01")->parameters[0].key),
            "MWP_LEGAL_AID_DECISION_WORKING_DAYS_BEFORE_2022");
  EXPECT_EQ(std::string(ruleInForce(period, "2022-06-01")->parameters[0].key),
            "MWP_LEGAL_AID_DECISION_WORKING_DAYS");
}

TEST(RuleRegister, ARefusalNamesItsRuleAndBothReasons) {
  auto refused = refuse(rules::record::once, "招聘会 F1 已计数", "fair F1 is already counted");
  EXPECT_FALSE(refused.verdict.applied);
  EXPECT_EQ(refused.verdict.rule, "record.once");
  EXPECT_EQ(refused.verdict.reasonZh, "招聘会 F1 已计数");
  EXPECT_EQ(refused.verdict.reason, "fair F1 is already counted");
  ASSERT_NE(ruleInForce(rules::record::once, "2026-01-01"), nullptr) << "every handle is in force";
}

}  // namespace
}  // namespace mwp
