// A service's state as its rules see it. Rules read and write through StateTx while they apply one
// event (reads see the batch's earlier writes); computed indicators read through StateReader,
// which cannot write. Keys are the service's own: the runtime puts them under the service's
// namespace in Redis. MemoryState is both over plain maps, for unit tests of the rules and of the
// computed indicators, and as the loop's overlay.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mwp {

class StateTx {
 public:
  virtual ~StateTx() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void put(const std::string& key, std::string value) = 0;
  virtual void erase(const std::string& key) = 0;
  // Adds to a counter in a hash (indicators). Write-only: counters are read by the exporter.
  virtual void add(const std::string& hash, const std::string& field, int64_t delta) = 0;
  // Puts `member` into a sorted set under `score`, or takes it out (time-ordered indexes, e.g.
  // the registry by last update). Write-only, like add(): read indexes through StateReader.
  virtual void index(const std::string& set, const std::string& member, double score) = 0;
  virtual void unindex(const std::string& set, const std::string& member) = 0;
  // Asks for EventRules::onTimer(member) once the clock reaches `fireAt` (Unix seconds); setting
  // it again moves it. Timers live with the partition of the event that sets them, so the
  // instance that owns the subject is the one that fires them.
  virtual void setTimer(const std::string& member, int64_t fireAt) = 0;
  virtual void clearTimer(const std::string& member) = 0;
  // The same transaction, counting as though the event's business day were `day` (days since
  // 1970-01-01): for a count an event makes on behalf of another day — a letting filling a
  // completion's phase counts in the completion's quarter, so the quarter does not depend on
  // which came first. Valid as long as this transaction is. Only a transaction that counts by
  // period (ReportingRules) sees a difference.
  virtual StateTx& asOfDay(int32_t day) {
    (void)day;
    return *this;
  }
};

// A member of a sorted set with its score.
struct Scored {
  std::string member;
  double score = 0;
};

// What a computed indicator may read of a service's committed state: values and sorted sets,
// never a write. Over Redis each call is one round trip.
class StateReader {
 public:
  virtual ~StateReader() = default;
  // The values of `keys`, in their order; nullopt where a key holds nothing.
  virtual std::vector<std::optional<std::string>> getMany(const std::vector<std::string>& keys) const = 0;
  // The members of `set` scored at most `maxScore`, lowest score first.
  virtual std::vector<Scored> scoredUpTo(const std::string& set, double maxScore) const = 0;
  // How many members of `set` are scored at most `maxScore`.
  virtual size_t countUpTo(const std::string& set, double maxScore) const = 0;
};

class MemoryState : public StateTx, public StateReader {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override;
  void erase(const std::string& key) override;
  void add(const std::string& hash, const std::string& field, int64_t delta) override;
  void index(const std::string& set, const std::string& member, double score) override;
  void unindex(const std::string& set, const std::string& member) override;
  void setTimer(const std::string& member, int64_t fireAt) override;
  void clearTimer(const std::string& member) override;

  std::vector<std::optional<std::string>> getMany(const std::vector<std::string>& keys) const override;
  std::vector<Scored> scoredUpTo(const std::string& set, double maxScore) const override;
  size_t countUpTo(const std::string& set, double maxScore) const override;

  std::map<std::string, std::optional<std::string>> values;  // nullopt: erased
  std::map<std::string, int64_t> timers;                     // member → fire at
  std::map<std::string, std::map<std::string, int64_t>> counters;
  std::map<std::string, std::map<std::string, std::optional<double>>> indexes;  // nullopt: removed
};

}  // namespace mwp
