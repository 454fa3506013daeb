// A batch's state as the rules see it while the service loop applies it: the batch's writes in an
// overlay over the committed state. Each event writes into a staging layer first, merged into the
// batch only if the event is applied: a refused event changes nothing, whatever its rules wrote
// before refusing.
//
// The read-through invariant. The loop applies a batch while the transaction of the batch before
// is still on its way, and the batch's reads were taken ahead, possibly before the last commits
// landed. So the committed state may not show those commits yet: their overlays, named by
// readThrough(), are read before it. A read looks in the event's writes, the batch's, the unseen
// commits' (newest first), what was read ahead, and only then asks the committed state (one round
// trip). Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state.h"

namespace mwp {

// The committed state, read one key at a time: what a batch's read falls through to when it
// was not read ahead. Each get() is a round trip of its own.
class CommittedReads {
 public:
  virtual ~CommittedReads() = default;
  // A state key of the service (not yet under its namespace); nullopt when it holds nothing.
  virtual std::optional<std::string> get(const std::string& key) = 0;
};

class BatchState : public StateTx {
 public:
  // `committed` must outlive this state.
  explicit BatchState(CommittedReads& committed) : committed_(committed) {}

  // The overlays of the commits the committed state may not have shown this batch's reads,
  // newest first. They must stay alive until readThrough({}) (the batch applied).
  void readThrough(std::vector<const MemoryState*> unseen) { unseen_ = std::move(unseen); }

  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override {
    event_.put(key, std::move(value));
  }
  void erase(const std::string& key) override { event_.erase(key); }
  void add(const std::string& hash, const std::string& field, int64_t delta) override {
    event_.add(hash, field, delta);
  }
  void index(const std::string& set, const std::string& member, double score) override {
    event_.index(set, member, score);
  }
  void unindex(const std::string& set, const std::string& member) override {
    event_.unindex(set, member);
  }
  void setTimer(const std::string& member, int64_t fireAt) override;
  void clearTimer(const std::string& member) override;
  // Timers belong to the partition of the event (or timer) being applied.
  void setPartition(uint32_t partition) { partition_ = partition; }

  // Reading ahead: of `keys`, those not asked before, each once, to be read in one round trip.
  // Their values, in that order, go to receiveReads(). Valid until the next call.
  const std::vector<std::string>& askAhead(const std::vector<std::string>& keys);
  // The values of the keys askAhead() returned, in its order (nullopt: the key holds nothing).
  // Throws std::invalid_argument when their number differs: they cannot be matched to keys.
  void receiveReads(std::vector<std::optional<std::string>> values);

  // The event was applied: its writes join the batch.
  void keepEvent();
  // The event was refused, or failed: its writes are dropped.
  void dropEvent() { event_ = MemoryState{}; }

  // The batch's writes: what its transaction commits.
  const MemoryState& overlay() const { return overlay_; }
  // Reads that were not read ahead: each was a round trip of its own.
  uint64_t readsOneByOne() const { return readsOneByOne_; }

 private:
  CommittedReads& committed_;
  MemoryState event_;
  MemoryState overlay_;
  std::vector<const MemoryState*> unseen_;
  std::vector<std::string> asked_;  // the keys read ahead, in the order of their values
  std::map<std::string, std::optional<std::string>> reads_;  // read ahead, or one by one
  uint32_t partition_ = 0;
  uint64_t readsOneByOne_ = 0;
};

}  // namespace mwp
