// The rules of the health service (measure 15, 做好健康服务): health checks by type — cervical and
// breast cancer checks for women only, free checks counted apart — and occupational-health
// incidents by severity, where any major incident breaks the target of none.
//
// State keys: worker:<id> (a HealthRecord), incident:<incidentId>.
#pragma once

#include "rules.h"

namespace mwp::health {

class HealthRules : public EventRules {
 public:
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override;
};

}  // namespace mwp::health
