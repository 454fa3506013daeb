// What the employment service answers beyond indicators and verdicts: a worker's employment
// section (the EmploymentRecord: profile, registrations, trainings, certificates with their
// subsidy decisions, loans, card, transfers), and the registry's stale records (措施二) as a
// computed indicator.
#pragma once

#include "mwp/messages/employment.capnp.h"
#include "record_queries.h"

namespace mwp::employment {

class EmploymentQueries : public WorkerRecordQueries<msg::EmploymentRecord> {
 public:
  EmploymentQueries() : WorkerRecordQueries("employment") {}
  // name "registry", filter "<area>|<stale>" (area empty: the city; stale "true": only records
  // not updated for more than kStaleAfterDays days), ordered by last update, oldest first:
  // {"workers":[{"workerId","name","area","updatedOn"}…],"nextPageToken":"…"}.
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

}  // namespace mwp::employment
