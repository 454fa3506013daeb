#include "section_cache.h"

#include <algorithm>

#include "state_keys.h"

namespace mwp::gateway {
namespace {

// Past this many remembered changes, the record of them starts over: answers asked before then
// are not kept (a few extra questions to the services), and memory stays bounded.
constexpr size_t kRememberedChanges = 200'000;

prometheus::Family<prometheus::Counter>& lookups(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("mwp_gateway_section_cache_total")
      .Help(
          "Worker sections the gateway looked up in its cache: found (hit) or asked of the "
          "service (miss)")
      .Register(registry);
}

bool sameServer(const RedisEndpoint& a, const RedisEndpoint& b) {
  auto where = [](const RedisEndpoint& e) {
    std::string text = e.sentinels.empty() ? e.host + ":" + std::to_string(e.port) : e.primaryName;
    for (const auto& s : e.sentinels) text += "," + s.host + ":" + std::to_string(s.port);
    return text;
  };
  return where(a) == where(b);
}

}  // namespace

SectionCache::SectionCache(std::vector<RedisEndpoint> redis, size_t capacity,
                           prometheus::Registry& registry)
    : capacity_(capacity),
      hits_(lookups(registry).Add({{"outcome", "hit"}})),
      misses_(lookups(registry).Add({{"outcome", "miss"}})),
      size_(prometheus::BuildGauge()
                .Name("mwp_gateway_section_cache_sections")
                .Help("Worker sections the gateway keeps")
                .Register(registry)
                .Add({})) {
  for (auto& r : redis) {
    bool known = std::any_of(redis_.begin(), redis_.end(),
                             [&](const RedisEndpoint& e) { return sameServer(e, r); });
    if (!known) redis_.push_back(std::move(r));
  }
  subscribed_.assign(redis_.size(), false);
  if (capacity_ == 0) return;
  for (size_t i = 0; i < redis_.size(); ++i) followers_.emplace_back([this, i] { follow(i); });
}

SectionCache::~SectionCache() {
  stop_ = true;
  for (auto& f : followers_) f.join();
}

SectionCache::Ticket SectionCache::ticket() {
  std::lock_guard lock(mutex_);
  return clock_;
}

bool SectionCache::following() {
  std::lock_guard lock(mutex_);
  return following_;
}

std::optional<ServiceAnswer> SectionCache::find(const std::string& service,
                                                const std::string& workerId) {
  std::lock_guard lock(mutex_);
  auto entry = following_ ? entries_.find(service + '/' + workerId) : entries_.end();
  if (entry == entries_.end()) {
    misses_.Increment();
    return std::nullopt;
  }
  hits_.Increment();
  lru_.splice(lru_.begin(), lru_, entry->second);
  return entry->second->answer;
}

void SectionCache::keep(Ticket ticket, const std::string& service, const std::string& workerId,
                        const ServiceAnswer& answer) {
  if (answer.kind != ServiceAnswer::Kind::kJson && answer.kind != ServiceAnswer::Kind::kNotFound)
    return;
  std::lock_guard lock(mutex_);
  if (!following_ || ticket < floor_) return;
  for (const auto& key : answer.keysRead) {
    auto change = lastChange_.find(key);
    if (change != lastChange_.end() && change->second > ticket) return;
  }
  std::string id = service + '/' + workerId;
  if (auto old = entries_.find(id); old != entries_.end()) forget(old->second);
  lru_.push_front({id, answer});
  entries_.emplace(id, lru_.begin());
  for (const auto& key : answer.keysRead) readers_[key].push_back(id);
  while (lru_.size() > capacity_) forget(std::prev(lru_.end()));
  updateSize();
}

void SectionCache::forget(Lru::iterator entry) {
  for (const auto& key : entry->answer.keysRead) {
    auto readers = readers_.find(key);
    if (readers == readers_.end()) continue;
    auto& ids = readers->second;
    ids.erase(std::remove(ids.begin(), ids.end(), entry->id), ids.end());
    if (ids.empty()) readers_.erase(readers);
  }
  entries_.erase(entry->id);
  lru_.erase(entry);
}

void SectionCache::changed(std::string_view keys) {
  std::lock_guard lock(mutex_);
  ++clock_;
  if (lastChange_.size() > kRememberedChanges) {
    lastChange_.clear();
    floor_ = clock_;
  }
  while (!keys.empty()) {
    auto end = std::min(keys.find('\n'), keys.size());
    std::string key(keys.substr(0, end));
    keys.remove_prefix(std::min(end + 1, keys.size()));
    lastChange_[key] = clock_;
    auto readers = readers_.find(key);
    if (readers == readers_.end()) continue;
    // forget() edits this very list: take the ids out first.
    auto ids = std::move(readers->second);
    readers_.erase(readers);
    for (const auto& id : ids) {
      if (auto entry = entries_.find(id); entry != entries_.end()) forget(entry->second);
    }
  }
  updateSize();
}

void SectionCache::startFollowing(size_t server) {
  std::lock_guard lock(mutex_);
  subscribed_[server] = true;
  following_ = std::all_of(subscribed_.begin(), subscribed_.end(), [](bool s) { return s; });
  // Answers asked before now may have missed an announcement sent before the subscription.
  floor_ = ++clock_;
}

void SectionCache::stopFollowing(size_t server) {
  std::lock_guard lock(mutex_);
  subscribed_[server] = false;
  following_ = false;
  lru_.clear();
  entries_.clear();
  readers_.clear();
  lastChange_.clear();
  updateSize();
}

void SectionCache::updateSize() {
  size_.Set(static_cast<double>(lru_.size()));
}

void SectionCache::follow(size_t server) {
  auto backoff = std::chrono::milliseconds(100);
  while (!stop_) {
    try {
      Redis redis(redis_[server], std::chrono::seconds(1));
      auto subscribed = redis.command({"SUBSCRIBE", keys::kStateChanges});
      if (subscribed.isError()) throw RedisUnavailable("SUBSCRIBE refused: " + subscribed.str);
      startFollowing(server);
      log_.info("following the services' state changes", {{"channel", keys::kStateChanges}});
      backoff = std::chrono::milliseconds(100);
      while (!stop_) {
        auto message = redis.receive(std::chrono::milliseconds(100));
        // ["message", channel, keys]
        if (message && message->elements.size() == 3 && message->elements[0].str == "message")
          changed(message->elements[2].str);
      }
    } catch (const RedisUnavailable& e) {
      bool was = following();
      stopFollowing(server);
      if (was)
        log_.warn("not following state changes; sections are asked, not kept",
                  {{"error", e.what()}});
      for (auto waited = std::chrono::milliseconds(0); waited < backoff && !stop_;
           waited += std::chrono::milliseconds(50))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
  }
}

}  // namespace mwp::gateway
