// The rules of the health service (measure 15, 做好健康服务): health checks by type — cervical and
// breast cancer checks for women only, free checks counted apart — and occupational-health
// incidents by severity, where any major incident breaks the target of none.
//
// State keys: worker:<id> (a HealthRecord: checks and hazard exposures), incident:<incidentId>,
// worklist:exposedNotChecked:<scope> (worklists.h).
#pragma once

#include "stateless_rules.h"

namespace mwp::health {

// A verdict on one event (measure_15_health.cpp); nullopt for another service's kind. A
// field that holds no date throws FieldRefused: StatelessRules refuses the event, naming it.
std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t nowSeconds);
using HealthRules = StatelessRules<applyEvent>;

}  // namespace mwp::health
