// The one table pairing each wage warning's kind with its rule in the register: every kind of the
// schema has a rule of the register, and the `rule` filter's either name finds its kind.
#include "wage_warning_rules.h"

#include <capnp/schema.h>
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "event_kinds.h"

namespace mwp {
namespace {

using Kind = msg::WageWarningRule;

TEST(WageWarningRules, EveryKindOfTheSchemaHasItsRuleInTheRegister) {
  std::set<std::string> inSchema, inTable, rules;
  for (auto e : capnp::Schema::from<Kind>().getEnumerants())
    if (e.getOrdinal() != static_cast<uint16_t>(Kind::UNSPECIFIED))
      inSchema.insert(e.getProto().getName().cStr());
  for (const auto& w : wageWarningRules()) {
    inTable.insert(enumName(w.kind));
    rules.insert(w.rule.id);
    EXPECT_NE(latestVersion(w.rule), nullptr) << w.rule.id << " is not in the register";
    EXPECT_EQ(std::string(registerRuleOf(w.kind).id), w.rule.id);
  }
  EXPECT_EQ(inTable, inSchema);
  EXPECT_EQ(rules.size(), inTable.size()) << "a rule of its own for each kind";
  EXPECT_THROW(registerRuleOf(Kind::UNSPECIFIED), std::logic_error);
}

TEST(WageWarningRules, TheFilterFindsAKindByItsNameOrByItsRule) {
  EXPECT_EQ(wageWarningKindNamed("workerUnpaid"), Kind::WORKER_UNPAID);
  EXPECT_EQ(wageWarningKindNamed("rights.wage_warning.worker_unpaid"), Kind::WORKER_UNPAID);
  EXPECT_EQ(wageWarningKindNamed("rights.wage_warning.paid_outside_account"),
            Kind::PAID_OUTSIDE_ACCOUNT);
  for (const auto& w : wageWarningRules()) {
    EXPECT_EQ(wageWarningKindNamed(enumName(w.kind)), w.kind);
    EXPECT_EQ(wageWarningKindNamed(w.rule.id), w.kind) << w.rule.id;
  }
  EXPECT_EQ(wageWarningKindNamed("unspecified"), std::nullopt);
  EXPECT_EQ(wageWarningKindNamed("rights.wage_warning"), std::nullopt);
  EXPECT_EQ(wageWarningKindNamed(""), std::nullopt);
}

}  // namespace
}  // namespace mwp
