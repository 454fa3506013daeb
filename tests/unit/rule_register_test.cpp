// The rules register compiled in: a rule's version is the one in force on the event's date.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

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

// A warning's reason is the register's template with the warning's figures, in each language.
TEST(RuleRegister, AReasonIsTheRegistersTemplateWithItsFigures) {
  std::vector<Figure> figures{{"days", "30", "30"}, {"dueOn", "2026-02-04", "2026-02-04"}};
  Reason why = reasonOf(rules::rights::wage_warning::no_wage_account, "2026-02-04", figures);
  EXPECT_EQ(why.rule, "rights.wage_warning.no_wage_account");
  EXPECT_EQ(why.zh, "开工30日内未开设农民工工资专用账户（应于2026-02-04前开设），黄色预警");
  EXPECT_EQ(why.en,
            "no wage account opened within 30 days of the start (due by 2026-02-04): a yellow "
            "warning");
  figures.pop_back();
  EXPECT_THROW(reasonOf(rules::rights::wage_warning::no_wage_account, "2026-02-04", figures),
               std::logic_error)
      << "a {figure} not given is a fault of the caller, never a text with a hole";
  EXPECT_THROW(reasonOf(rules::record::once, "2026-02-04", {}), std::logic_error)
      << "a rule without a template";
}

// A { without its } is a fault of the register (rules_register.py refuses it too), never a text
// filled from its start again and again.
TEST(RuleRegister, ATemplateWithABraceNotClosedIsAFault) {
  std::vector<Figure> figures{{"month", "2026-02", "2026-02"}};
  EXPECT_EQ(filled("{month} 未发", figures, true, "t"), "2026-02 未发");
  EXPECT_THROW(filled("{month} unpaid {month", figures, false, "t"), std::logic_error);
  EXPECT_THROW(filled("unpaid {", figures, false, "t"), std::logic_error);
}

// The subsidy's versions: 36 months to 2018-12-31, 12 from 2019-01-01 (the latest, which the
// configured value overrides); the cap of 3 a year from 2023-01-01.
TEST(RuleRegister, TheSubsidysVersionsMeetOnTheirDates) {
  auto months = rules::employment::subsidy::insured_months;
  EXPECT_EQ(std::string(ruleInForce(months, "2018-12-31")->parameters[0].defaultValue), "36");
  EXPECT_EQ(std::string(ruleInForce(months, "2019-01-01")->parameters[0].defaultValue), "12");
  EXPECT_EQ(ruleInForce(months, "2019-01-01"), latestVersion(months));
  EXPECT_EQ(ruleInForce(months, "2017-04-30"), nullptr);
  EXPECT_EQ(firstVersion(months), ruleInForce(months, "2017-05-01"));
  EXPECT_STREQ(ruleInForce(months, "2018-12-31")->parameters[0].key, "")
      << "36 months is the 2017 text's figure: no setting changes it";
  EXPECT_EQ(defaultFigure(*ruleInForce(months, "2018-12-31")), 36u);
  EXPECT_THROW(defaultFigure(*latestVersion(rules::record::once)), std::logic_error)
      << "a version without a parameter has no figure";
  EXPECT_EQ(ruleInForce(rules::employment::subsidy::max_per_year, "2022-12-31"), nullptr);
  EXPECT_NE(ruleInForce(rules::employment::subsidy::max_per_year, "2023-01-01"), nullptr);
}

}  // namespace
}  // namespace mwp
