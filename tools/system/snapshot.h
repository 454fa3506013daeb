// Reading a whole mwp out of Redis, for the chaos run's comparisons: the keys a service owns with
// their values in a canonical form (equal content gives equal text whatever the encoding), and a
// copy of the event log into another Redis for a clean replay.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "redis.h"

namespace mwp::local {

std::vector<std::string> scanKeys(Redis& redis, const std::string& pattern);

// key → canonical value, for every key of the service: its state, verdicts, cursors, tally and
// outbox. Timers and TTLs are part of the state (timers are a sorted set of it); TTLs are not.
std::map<std::string, std::string> snapshotService(Redis& redis, const std::string& service,
                                                   uint32_t partitions);

// Copies the keys matching each pattern, with their remaining TTLs, from one Redis to another.
size_t copyKeys(Redis& from, Redis& to, const std::vector<std::string>& patterns);

}  // namespace mwp::local
