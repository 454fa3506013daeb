// The rules of the housing service (measure 11, 改善居住条件): public rental allocations — one unit
// per worker and one worker per unit at a time — and their vacating, dormitory beds, rent
// subsidies and housing provident fund enrolment.
//
// State keys: worker:<id> (a HousingRecord), unit:<unitId> (who holds it now), let:<unitId> (its
// estate, once first let), estate:<estate> (an EstateRecord: its completions and how many of each
// are let), fund:<worker>:<employer>.
#pragma once

#include "stateless_rules.h"

namespace mwp::housing {

// A verdict on one event (measure_11_housing.cpp); nullopt for another service's kind. A
// field that holds no date throws FieldRefused: StatelessRules refuses the event, naming it.
std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t nowSeconds);
using HousingRules = StatelessRules<applyEvent>;

}  // namespace mwp::housing
