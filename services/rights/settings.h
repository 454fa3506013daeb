// The rights rules' settings from MWP_* variables, with the law's values as defaults.
#pragma once

#include "config.h"
#include "deadlines.h"
#include "wage_payment.h"

namespace mwp::rights {

DeadlinePolicy deadlinePolicyFromEnv(Env& env);

// Measure 20's wage warnings. MWP_MINIMUM_WAGE: "<area>=<yuan a month>,…", e.g.
// "510703=2100,510722=1970"; a malformed entry stops the service naming the variable.
WagePaymentPolicy wagePaymentPolicyFromEnv(Env& env);

// Parses MWP_MINIMUM_WAGE's value; throws ConfigError naming the entry.
std::map<std::string, uint32_t> parseMinimumWages(const std::string& text);

}  // namespace mwp::rights
