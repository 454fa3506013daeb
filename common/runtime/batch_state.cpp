#include "batch_state.h"

#include <stdexcept>

#include "state_keys.h"

namespace mwp {

namespace {

// Moves every entry of `from` into `to`, replacing what is there, node by node: no key is copied
// (the rules' writes are merged into the batch once per event).
template <typename Map>
void moveEntries(Map& from, Map& to) {
  while (!from.empty()) {
    auto placed = to.insert(from.extract(from.begin()));
    if (!placed.inserted) placed.position->second = std::move(placed.node.mapped());
  }
}

}  // namespace

std::optional<std::string> BatchState::get(const std::string& key) {
  if (event_.values.count(key)) return event_.get(key);
  if (overlay_.values.count(key)) return overlay_.get(key);
  for (const auto* commit : unseen_) {
    auto written = commit->values.find(key);
    if (written != commit->values.end()) return written->second;
  }
  auto cached = reads_.find(key);
  if (cached != reads_.end()) return cached->second;
  ++readsOneByOne_;
  auto value = committed_.get(key);
  reads_.emplace(key, value);
  return value;
}

void BatchState::setTimer(const std::string& member, int64_t fireAt) {
  event_.index(timerSet(partition_), member, static_cast<double>(fireAt));
}

void BatchState::clearTimer(const std::string& member) {
  event_.unindex(timerSet(partition_), member);
}

const std::vector<std::string>& BatchState::askAhead(const std::vector<std::string>& keys) {
  asked_.clear();
  for (const auto& key : keys) {
    if (reads_.emplace(key, std::nullopt).second) asked_.push_back(key);  // named twice: asked once
  }
  return asked_;
}

void BatchState::receiveReads(std::vector<std::optional<std::string>> values) {
  if (values.size() != asked_.size()) {
    throw std::invalid_argument("read ahead " + std::to_string(asked_.size()) + " keys, got " +
                                std::to_string(values.size()) + " values");
  }
  for (size_t i = 0; i < asked_.size(); ++i) {
    if (values[i]) reads_[asked_[i]] = std::move(values[i]);
  }
  asked_.clear();
}

void BatchState::keepEvent() {
  moveEntries(event_.values, overlay_.values);
  for (auto& [hash, fields] : event_.counters) {
    auto& into = overlay_.counters[hash];
    for (auto& [field, delta] : fields) into[field] += delta;
  }
  for (auto& [set, members] : event_.indexes) moveEntries(members, overlay_.indexes[set]);
  event_ = MemoryState{};
}

}  // namespace mwp
