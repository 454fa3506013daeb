// What the rights service answers on its query socket: a worker's cases with their stages, due
// dates and overdue flags, and the worker's enrolments on projects; open or overdue cases of an
// area, paged; and measure 20's projects, a project's ledger and wage warnings.
#pragma once

#include "query_server.h"

namespace mwp::rights {

class RightsQueries : public QueryHandler {
 public:
  WorkerSection workerSection(Redis& redis, const std::string& workerId) override;
  // Paged, {"<name>":[…],"nextPageToken":"…"} with the token empty on the last page (an area
  // left empty: the whole city):
  //   "cases", filter "open|<area>" or "overdue|<area>";
  //   "projects", filter "<area>": WageProject records, by start;
  //   "warnings", filter "open|<area>" or "cleared|<area>": each warning with its projectId and
  //   status, by the day raised (open) or cleared.
  // Not paged: "project", filter "<projectId>": {"project":{…},"workers":[…]}, the ledger.
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

}  // namespace mwp::rights
