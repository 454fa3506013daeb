// What the rights service answers on its query socket: a worker's cases with their stages, due
// dates and overdue flags, and open or overdue cases of an area, paged.
#pragma once

#include "query_server.h"

namespace mwp::rights {

class RightsQueries : public QueryHandler {
 public:
  WorkerSection workerSection(Redis& redis, const std::string& workerId) override;
  // name "cases", filter "open|<area>" or "overdue|<area>" (area empty: the whole city);
  // {"cases":[…],"nextPageToken":"…"} with the token empty on the last page.
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

}  // namespace mwp::rights
