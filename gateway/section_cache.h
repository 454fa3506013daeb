// What the gateway keeps of the services' worker sections, so that reading a record again does not
// ask six services again. A section is kept until its service announces a write to one of the
// keys it was read from: every service commit publishes the state keys it wrote on
// keys::kStateChanges, inside the commit's own transaction, and this cache follows that channel.
// So a kept section is what the service would answer now, up to the moment Redis takes to hand
// the announcement over (well under a millisecond on one machine).
//
// While the announcements cannot be followed (Redis unreachable, or the subscription dropped),
// nothing is kept and nothing is served from here: the gateway asks the services, as without a
// cache. Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "log.h"
#include "redis.h"
#include "scatter_gather.h"

namespace mwp::gateway {

class SectionCache {
 public:
  // Taken before asking the services; given back with their answers to keep().
  using Ticket = uint64_t;

  // `capacity`: sections kept, the least recently used dropped first. 0 keeps none and follows
  // nothing. `redis`: every Redis a service commits to (the same one listed twice is followed once);
  // sections are kept only while all of them are followed.
  SectionCache(std::vector<RedisEndpoint> redis, size_t capacity, prometheus::Registry& registry);
  ~SectionCache();
  SectionCache(const SectionCache&) = delete;
  SectionCache& operator=(const SectionCache&) = delete;

  Ticket ticket();
  // The kept answer of `service` for this worker: a section (kJson) or "no record" (kNotFound).
  std::optional<ServiceAnswer> find(const std::string& service, const std::string& workerId);
  // Keeps a section or a "no record" answer, unless a key it was read from was announced changed
  // after `ticket` was taken (the answer may predate that write). Other answers are not kept.
  void keep(Ticket ticket, const std::string& service, const std::string& workerId,
            const ServiceAnswer& answer);

  // Whether the announcements of every Redis are followed now (and so sections kept).
  bool following();

 private:
  struct Entry {
    std::string id;  // service + '/' + workerId
    ServiceAnswer answer;
  };
  using Lru = std::list<Entry>;

  void follow(size_t server);
  void startFollowing(size_t server);
  void stopFollowing(size_t server);
  void changed(std::string_view keys);
  void forget(Lru::iterator entry);
  void updateSize();

  std::vector<RedisEndpoint> redis_;
  const size_t capacity_;
  Logger log_{"gateway.cache"};
  prometheus::Counter& hits_;
  prometheus::Counter& misses_;
  prometheus::Gauge& size_;

  std::mutex mutex_;
  bool following_ = false;         // every server followed
  std::vector<bool> subscribed_;  // per server
  // Counts announcements. A ticket is its value when taken; a key's last change is its value when
  // the announcement came. `floor_`: tickets below it may have missed announcements.
  uint64_t clock_ = 0;
  uint64_t floor_ = 0;
  std::unordered_map<std::string, uint64_t> lastChange_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Lru::iterator> entries_;
  std::unordered_map<std::string, std::vector<std::string>> readers_;  // key → entry ids

  std::atomic<bool> stop_{false};
  std::vector<std::thread> followers_;  // one per server
};

}  // namespace mwp::gateway
