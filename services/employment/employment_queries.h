// What the employment service answers beyond indicators and verdicts: a worker's employment
// section (the EmploymentRecord: profile, registrations, trainings, certificates with their
// subsidy decisions, loans, card, insurance, transfers), the registry's stale records (措施二) as a
// computed indicator, and the worklists of measures 3 and 16.
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
  // name "names", filter "<workerId>,<workerId>…": the registry's names of those workers
  // (msg::WorkerNames), for the gateway's worklists of the services that know no names.
  // Other names: the worklists this service keeps (insuredWithoutCard, poorNotPlaced).
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;

 private:
  std::string names(Redis& redis, const std::string& workerIds);
};

}  // namespace mwp::employment
