// Measure 20, wage payment at the source as the monitoring platform shows it
// (农民工工资支付监控预警 平台): the open warnings of each area by rule, and the
// government-invested projects with a red warning open (措施二十:
// 杜绝政府投资工程项目发生新的欠薪). Worked out from the committed state when the gauges are read,
// not counted as events arrive: they follow the index of open warnings (wage_payment.h) and so
// cannot drift from it.
#pragma once

#include <optional>
#include <string_view>

#include "indicator_counts.h"
#include "wage_ledger.h"
#include "wage_payment.h"

namespace mwp::rights {

// Per area and the year each warning was raised in: warnings_open_<rule> for the eight rules, and
// government_projects_red_open (a project counted once however many red warnings it has).
std::vector<IndicatorValue> openWageWarnings(const StateReader& state, const Catalogue& catalogue,
                                             int64_t nowSeconds);

// The rule of a warning id (<projectId>:<rule>[:<month>][:<worker digest>]); nullopt for
// anything else. The last part that names a rule: a project id may hold a colon.
std::optional<WarningRule> ruleOfWarningId(std::string_view warningId);

}  // namespace mwp::rights
