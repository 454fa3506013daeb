// What the outreach service answers beyond indicators and verdicts. It keeps no worker section
// (an activity is about a place and a day), but measure 23 is about people: the worklist
// returneesNotVisited, and a village's returnees and visits (list "villageCoverage", filter
// "<village>|<year>": msg::VillageCoverage as JSON) for GET /v1/measures/23?village=.
#pragma once

#include "query_server.h"

namespace mwp::outreach {

class OutreachQueries : public QueryHandler {
 public:
  WorkerSection workerSection(Redis&, const std::string&) override { return {}; }
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

}  // namespace mwp::outreach
