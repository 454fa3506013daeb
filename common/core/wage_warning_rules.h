// Measure 20's eight wage warnings (MEASURES.md), each by its kind — the name integrators and
// alerts key on (workerUnpaid) — paired with its rule in the register (rules.json), where its
// statement and source are. One table: the rights service cites a warning's rule from it, and
// the gateway's `rule` filter of /v1/warnings, which takes either name, maps a register id to its
// kind by it. Thread-safe: the table is constant.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "mwp/messages/events.capnp.h"
#include "mwp/rule_names.h"

namespace mwp {

struct WageWarningKindRule {
  msg::WageWarningRule kind;
  RuleId rule;
};

// The eight, in the schema's order.
std::span<const WageWarningKindRule> wageWarningRules();

// The register's rule of a warning of `kind`. Throws std::logic_error for a kind not in the
// table (unspecified): a fault of the code asking.
RuleId registerRuleOf(msg::WageWarningRule kind);

// The kind `name` names, as a kind (workerUnpaid) or as its register rule
// (rights.wage_warning.worker_unpaid); nullopt for anything else.
std::optional<msg::WageWarningRule> wageWarningKindNamed(std::string_view name);

}  // namespace mwp
