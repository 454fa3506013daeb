// The names of a service's keys in Redis, for the loop that writes them and every reader outside
// the service (queries, the gateway, the chaos run). Names only: nothing here touches Redis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mwp {

// The Redis key of a service's own state key: "mwp:svc:<service>:<key>".
std::string serviceKey(const std::string& service, const std::string& key);

// The sorted set (of a service's state) of a worklist (worklists.h) in one scope: a reporting
// area, "all" (the city) or a 12-digit village code.
std::string worklistKey(std::string_view worklist, std::string_view scope);

// The sorted set (of a service's state) that holds a partition's timers.
std::string timerSet(uint32_t partition);

// A service's bookkeeping beside its state: its verdict on an event, its cursor in a partition,
// the derived events it has yet to send, and the durable tally of the events it has taken.
namespace keys {
// The Redis channel on which every commit announces the state records it wrote or deleted: their
// keys, one per line. The gateway drops what it kept of those records (gateway/section_cache.h).
inline constexpr const char* kStateChanges = "mwp:state-changes";
std::string verdict(const std::string& service, const std::string& eventId);
std::string cursor(const std::string& service, uint32_t partition);
// An instance's outbox, named by the lowest partition it owns: instances of one service own
// disjoint partitions, and each sends and trims only what it committed itself.
std::string outbox(const std::string& service, uint32_t firstPartition);
std::string tally(const std::string& service);
}  // namespace keys

}  // namespace mwp
