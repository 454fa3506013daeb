// The rules of a service that keeps no settings (health, housing, outreach): one function,
//   std::optional<Applied> applyEvent(msg::Envelope::Reader, StateTx&, int64_t nowSeconds);
//   using HealthRules = StatelessRules<applyEvent>;
// whose bad fields (FieldRefused) are refused here, for all of them (refusingBadFields).
#pragma once

#include "rule_fields.h"
#include "rules.h"

namespace mwp {

using ApplyFunction = std::optional<Applied> (*)(msg::Envelope::Reader event, StateTx& state,
                                                 int64_t nowSeconds);

template <ApplyFunction Apply>
class StatelessRules final : public EventRules {
 public:
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override {
    return refusingBadFields([&] { return Apply(event, state, nowSeconds); });
  }
};

}  // namespace mwp
