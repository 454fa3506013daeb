// The service loop's ports in memory (loop_ports.h), for its unit tests. Unlike Redis, the fake
// store executes what was sent when the test says: reads ahead when sent or when collected,
// transactions when sent or only when confirmed; and it loses a confirmation on demand, with the
// transaction landed or not. Each port can be made to throw once, for the loop's error tiers.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bus_client.h"
#include "frames.h"
#include "loop_ports.h"

namespace mwp::test {

// The next call of `operation` throws `error`, once.
class Failures {
 public:
  void failOnce(const std::string& operation, std::exception_ptr error) {
    pending_[operation].push_back(std::move(error));
  }
  void check(const std::string& operation) {
    auto it = pending_.find(operation);
    if (it == pending_.end() || it->second.empty()) return;
    auto error = it->second.front();
    it->second.pop_front();
    std::rethrow_exception(error);
  }

 private:
  std::map<std::string, std::deque<std::exception_ptr>> pending_;
};

class FakeStore : public CommitStore {
 public:
  // When the store executes a read ahead: when sent (before any transaction sent earlier that it
  // has not executed yet), or when collected.
  enum class Reads { kWhenSent, kWhenCollected };
  // When it executes a transaction: when sent, or only when the loop waits for its confirmation.
  enum class Commits { kWhenSent, kWhenConfirmed };
  Reads reads = Reads::kWhenSent;
  Commits commits = Commits::kWhenConfirmed;

  // The committed state.
  std::map<std::string, std::string> values;
  std::map<std::string, int64_t> counters;  // "hash/field" → total
  std::map<std::string, std::map<std::string, double>> indexes;
  std::map<std::string, std::string> verdicts;
  std::map<uint32_t, uint64_t> cursorOf;
  std::vector<std::string> outboxFrames;
  Tally tally;
  int transactionsLanded = 0;

  Failures failures;
  // The loop's `n`th wait for a confirmation (1, 2, …) loses it: it throws RedisUnavailable.
  // `landed`: whether the transaction was executed all the same.
  void loseConfirmation(int n, bool landed) { lost_[n] = landed; }
  // Called after each transaction lands.
  std::function<void()> onLanded;

  std::optional<std::string> get(const std::string& key) override {
    failures.check("get");
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }

  std::map<uint32_t, uint64_t> cursors(const std::vector<uint32_t>& partitions) override {
    failures.check("cursors");
    std::map<uint32_t, uint64_t> out;
    for (auto p : partitions) out[p] = cursorOf[p];
    return out;
  }

  void sendReads(const std::vector<std::string>& keys) override {
    failures.check("sendReads");
    EXPECT_FALSE(pendingReads_.has_value()) << "a read ahead sent before the last was collected";
    pendingReads_ = PendingReads{keys, {}};
    if (reads == Reads::kWhenSent) pendingReads_->values = readNow(keys);
  }

  std::vector<std::optional<std::string>> collectReads() override {
    failures.check("collectReads");
    if (!pendingReads_) throw std::logic_error("collectReads() with nothing sent");
    auto pending = std::move(*pendingReads_);
    pendingReads_.reset();
    if (reads == Reads::kWhenCollected) return readNow(pending.keys);
    return pending.values;
  }

  void sendCommit(const BatchCommit& commit) override {
    failures.check("sendCommit");
    sent_.push_back(Transaction{copyOf(commit), false});
    if (commits == Commits::kWhenSent) land(sent_.back());
  }

  void confirmCommit() override {
    failures.check("confirmCommit");
    if (sent_.empty()) throw std::logic_error("confirmCommit() with nothing sent");
    auto tx = std::move(sent_.front());
    sent_.pop_front();
    auto lost = lost_.find(++confirmations_);
    if (lost != lost_.end()) {
      bool landed = lost->second;
      lost_.erase(lost);
      if (landed && !tx.landed) land(tx);
      if (!landed && tx.landed)
        ADD_FAILURE() << "set commits = kWhenConfirmed to lose one unlanded";
      sent_.clear();  // the connection is gone, and what was sent on it
      throw RedisUnavailable("the confirmation was lost");
    }
    if (!tx.landed) land(tx);
  }

  void abandon() override {
    pendingReads_.reset();
    sent_.clear();  // those not executed yet never will be
  }

  std::vector<std::string> dueTimers(uint32_t, int64_t, size_t) override {
    failures.check("dueTimers");
    return {};
  }
  std::vector<std::string> outbox() override {
    failures.check("outbox");
    return outboxFrames;
  }
  void trimOutbox(size_t count) override {
    failures.check("trimOutbox");
    ASSERT_LE(count, outboxFrames.size());
    outboxFrames.erase(outboxFrames.begin(), outboxFrames.begin() + static_cast<long>(count));
  }

  bool committed(const std::string& frame) const {
    return std::find(outboxFrames.begin(), outboxFrames.end(), frame) != outboxFrames.end();
  }

 private:
  struct Writes {
    MemoryState state;
    std::vector<std::pair<std::string, std::string>> verdicts;
    std::vector<std::string> outbox;
    std::map<uint32_t, uint64_t> cursors;
    Tally tally;
  };
  struct Transaction {
    Writes writes;
    bool landed;
  };
  struct PendingReads {
    std::vector<std::string> keys;
    std::vector<std::optional<std::string>> values;
  };

  static Writes copyOf(const BatchCommit& commit) {
    return Writes{commit.state.overlay(), commit.verdicts, commit.outbox, commit.cursors,
                  commit.tally};
  }

  std::vector<std::optional<std::string>> readNow(const std::vector<std::string>& keys) {
    std::vector<std::optional<std::string>> out;
    for (const auto& key : keys) {
      auto it = values.find(key);
      out.push_back(it == values.end() ? std::nullopt : std::optional(it->second));
    }
    return out;
  }

  void land(Transaction& tx) {
    auto& w = tx.writes;
    for (const auto& [key, value] : w.state.values) {
      if (value) {
        values[key] = *value;
      } else {
        values.erase(key);
      }
    }
    for (const auto& [hash, fields] : w.state.counters) {
      for (const auto& [field, delta] : fields) counters[hash + "/" + field] += delta;
    }
    for (const auto& [set, members] : w.state.indexes) {
      for (const auto& [member, score] : members) {
        if (score) {
          indexes[set][member] = *score;
        } else {
          indexes[set].erase(member);
        }
      }
    }
    for (const auto& [eventId, verdict] : w.verdicts) verdicts[eventId] = verdict;
    outboxFrames.insert(outboxFrames.end(), w.outbox.begin(), w.outbox.end());
    for (const auto& [partition, sequence] : w.cursors) cursorOf[partition] = sequence;
    tally.applied += w.tally.applied;
    tally.refused += w.tally.refused;
    tally.ignored += w.tally.ignored;
    tx.landed = true;
    ++transactionsLanded;
    if (onLanded) onLanded();
  }

  std::optional<PendingReads> pendingReads_;
  std::deque<Transaction> sent_;
  std::map<int, bool> lost_;
  int confirmations_ = 0;
};

// A log of events per partition, sequence n at index n − 1, delivered after the cursors.
class FakeEvents : public EventSource {
 public:
  void append(uint32_t partition, std::string envelope) {
    auto& log = log_[partition];
    log.push_back(LoggedEvent{partition, log.size() + 1, std::move(envelope)});
  }

  void resume(std::map<uint32_t, uint64_t> cursors) override {
    failures.check("resume");
    cursors_ = std::move(cursors);
    ++resumed;
  }
  std::vector<LoggedEvent> poll(std::chrono::milliseconds, size_t maxEvents) override {
    if (onPoll) onPoll();
    failures.check("poll");
    std::vector<LoggedEvent> out;
    for (auto& [partition, cursor] : cursors_) {
      const auto& log = log_[partition];
      while (cursor < log.size() && out.size() < maxEvents) out.push_back(log[cursor++]);
    }
    return out;
  }
  bool ready() override {
    for (const auto& [partition, cursor] : cursors_) {
      if (cursor < log_[partition].size()) return true;
    }
    return false;
  }
  const std::map<uint32_t, uint64_t>& cursors() const override { return cursors_; }
  uint64_t announced(uint32_t partition) const override {
    auto it = log_.find(partition);
    return it == log_.end() ? 0 : it->second.size();
  }

  Failures failures;
  std::function<void()> onPoll;  // called first in each poll()
  int resumed = 0;

 private:
  std::map<uint32_t, std::vector<LoggedEvent>> log_;
  std::map<uint32_t, uint64_t> cursors_;
};

// The bus's ingest: keeps one copy per eventId, as the bus does, and checks that every frame
// sent is committed in the store's outbox.
class FakeSender : public DerivedSender {
 public:
  explicit FakeSender(const FakeStore& store) : store_(store) {}

  std::vector<IngestResult> send(const std::vector<std::string>& frames) override {
    failures.check("send");
    std::vector<IngestResult> results;
    for (const auto& frame : frames) {
      EXPECT_TRUE(store_.committed(frame)) << "a derived event sent before its commit landed";
      IngestResult result;
      result.eventId = eventIdOfFrame(frame);
      result.status = stored.insert(result.eventId).second ? msg::IngestReply::Status::ACK
                                                           : msg::IngestReply::Status::DUPLICATE;
      results.push_back(result);
    }
    return results;
  }

  Failures failures;
  std::set<std::string> stored;  // the eventIds the bus holds

 private:
  const FakeStore& store_;
};

}  // namespace mwp::test
