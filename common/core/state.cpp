#include "state.h"

#include <algorithm>

namespace mwp {

std::optional<std::string> MemoryState::get(const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::nullopt : it->second;
}
void MemoryState::put(const std::string& key, std::string value) {
  values[key] = std::move(value);
}
void MemoryState::erase(const std::string& key) {
  values[key] = std::nullopt;
}
void MemoryState::add(const std::string& hash, const std::string& field, int64_t delta) {
  counters[hash][field] += delta;
}
void MemoryState::index(const std::string& set, const std::string& member, double score) {
  indexes[set][member] = score;
}
void MemoryState::unindex(const std::string& set, const std::string& member) {
  indexes[set][member] = std::nullopt;
}
void MemoryState::setTimer(const std::string& member, int64_t fireAt) {
  timers[member] = fireAt;
}
void MemoryState::clearTimer(const std::string& member) {
  timers.erase(member);
}

std::vector<std::optional<std::string>> MemoryState::getMany(
    const std::vector<std::string>& keys) const {
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    auto it = values.find(key);
    out.push_back(it == values.end() ? std::nullopt : it->second);
  }
  return out;
}

std::vector<Scored> MemoryState::scoredUpTo(const std::string& set, double maxScore) const {
  std::vector<Scored> out;
  auto it = indexes.find(set);
  if (it == indexes.end()) return out;
  for (const auto& [member, score] : it->second) {
    if (score && *score <= maxScore) out.push_back({member, *score});
  }
  // Redis orders equal scores by member, as the map already has them.
  std::stable_sort(out.begin(), out.end(),
                   [](const Scored& a, const Scored& b) { return a.score < b.score; });
  return out;
}

size_t MemoryState::countUpTo(const std::string& set, double maxScore) const {
  return scoredUpTo(set, maxScore).size();
}

}  // namespace mwp
