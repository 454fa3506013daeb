#include "rule_register.h"

namespace mwp {

const RuleVersion* ruleInForce(RuleId rule, std::string_view date) {
  for (const auto& v : ruleVersions()) {
    if (std::string_view(v.id) != rule.id) continue;
    // YYYY-MM-DD compares as text.
    bool started = date >= std::string_view(v.inForceFrom);
    bool ended = *v.inForceTo != '\0' && date > std::string_view(v.inForceTo);
    if (started && !ended) return &v;
  }
  return nullptr;
}

}  // namespace mwp
