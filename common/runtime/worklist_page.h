// A page of a worklist (common/core/worklists.h), read from the sorted set the service keeps, for
// the service's answer to the list query "worklist:<name>" with the filter "<scope>". Any service
// that keeps a worklist answers with this; thread-safe as its Redis connection is.
#pragma once

#include <optional>
#include <string>

#include "mwp/messages/query.capnp.h"
#include "redis.h"

namespace mwp {

// The page as JSON (msg::WorklistPage), the longest waiting first; nullopt when the query is not
// for a worklist `service` keeps. The page token is the offset of the page's first entry.
std::optional<std::string> worklistPage(Redis& redis, const std::string& service,
                                        msg::ListQuery::Reader query);

}  // namespace mwp
