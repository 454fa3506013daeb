// What the employment service answers on its query socket beyond indicators and verdicts: a
// worker's employment section, and the registry's stale records (措施二) as a computed indicator.
#pragma once

#include "indicators.h"
#include "query_server.h"

namespace mwp::employment {

class EmploymentQueries : public QueryHandler {
 public:
  // The worker's EmploymentRecord as JSON (profile, registrations, trainings, certificates with
  // their subsidy decisions, loans, card, transfers); nullopt for a worker it has never seen.
  std::optional<std::string> workerSection(Redis& redis, const std::string& workerId) override;
};

// records_stale per area: registered workers not updated for more than kStaleAfterDays days.
std::vector<IndicatorValue> staleRecords(Redis& redis, int64_t nowSeconds);

}  // namespace mwp::employment
