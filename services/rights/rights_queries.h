// What the rights service answers on its query socket: a worker's cases with their stages, due
// dates and overdue flags; open or overdue cases of an area, paged; and, as a computed indicator,
// the median days from filing to closing a dispute.
#pragma once

#include "indicators.h"
#include "query_server.h"

namespace mwp::rights {

class RightsQueries : public QueryHandler {
 public:
  std::optional<std::string> workerSection(Redis& redis, const std::string& workerId) override;
  // name "cases", filter "open|<area>" or "overdue|<area>" (area empty: the whole city);
  // {"cases":[…],"nextPageToken":"…"} with the token empty on the last page.
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override;
};

std::vector<IndicatorValue> medianDaysToClose(Redis& redis, int64_t nowSeconds);

}  // namespace mwp::rights
