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
  //   "projects", filter "<area>|<warning>": WageProject records, by start; warning "" any,
  //   "open", "red" or "yellow": only those with such an open warning;
  //   "warnings", filter "<status>|<area>|<level>|<rule>": status "open" or "cleared", level by
  //   name, rule by kind (workerUnpaid) or register id, "" for any; each warning with its
  //   projectId and status, by the day raised (open) or cleared.
  // With a filter, a page may hold fewer items than asked (at most 20 pages' worth are read for
  // one answer): go on with its token.
  // Not paged: "project", filter "<projectId>": {"project":{…},"workers":[…]}, the ledger.
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

}  // namespace mwp::rights
