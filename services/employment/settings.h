// The employment rules' settings from MWP_* variables, with the policy's values as defaults.
#pragma once

#include "config.h"
#include "subsidy_rule.h"

namespace mwp::employment {

SubsidyPolicy subsidyPolicyFromEnv(Env& env);

}  // namespace mwp::employment
