#include "wage_warning_rules.h"

#include <stdexcept>

#include "event_kinds.h"

namespace mwp {
namespace {

using Kind = msg::WageWarningRule;

// Each rule by its full handle: tests/rules/register_coverage.py finds the rules code names so.
constexpr WageWarningKindRule kTable[] = {
    {Kind::NO_WAGE_ACCOUNT, rules::rights::wage_warning::no_wage_account},
    {Kind::NO_WAGE_DEPOSIT, rules::rights::wage_warning::no_wage_deposit},
    {Kind::LABOUR_COST_LATE, rules::rights::wage_warning::labour_cost_late},
    {Kind::WORKER_UNPAID, rules::rights::wage_warning::worker_unpaid},
    {Kind::MANY_UNPAID, rules::rights::wage_warning::many_unpaid},
    {Kind::PAID_OUTSIDE_ACCOUNT, rules::rights::wage_warning::paid_outside_account},
    {Kind::LEFT_UNPAID, rules::rights::wage_warning::left_unpaid},
    {Kind::BELOW_MINIMUM_WAGE, rules::rights::wage_warning::below_minimum_wage},
};

}  // namespace

std::span<const WageWarningKindRule> wageWarningRules() {
  return kTable;
}

RuleId registerRuleOf(msg::WageWarningRule kind) {
  for (const auto& w : kTable) {
    if (w.kind == kind) return w.rule;
  }
  throw std::logic_error("no register rule for wage warning kind " + enumName(kind));
}

std::optional<msg::WageWarningRule> wageWarningKindNamed(std::string_view name) {
  for (const auto& w : kTable) {
    if (name == enumName(w.kind) || name == w.rule.id) return w.kind;
  }
  return std::nullopt;
}

}  // namespace mwp
