// The rights rules' settings from MWP_* variables, with the law's values as defaults.
#pragma once

#include "config.h"
#include "deadlines.h"

namespace mwp::rights {

DeadlinePolicy deadlinePolicyFromEnv(Env& env);

}  // namespace mwp::rights
