// 每次查询留痕: the audit of every answer that shows a person — a worker's record (found or not),
// a page of the registry or of the cases. Each is written here before the answer goes out (or it
// does not go out), and the auditors read it back, newest first and paged: all of it, one
// worker's, or one key's. Thread-safe: each call takes a connection of its own pool.
//
// In Redis, each answer is one script (all or nothing): an entry in the stream of everything, the
// same entry in the key's own stream, and for each person shown an entry under the same id in that
// person's stream. So one worker's or one key's entries are one range read however much else came
// since, over the whole retention. Every stream is trimmed by age (its entry ids are milliseconds
// since the epoch: XADD MINID) and expires a retention after its last entry.
//
// Answers audited at the same moment share one round trip (a group commit): one caller at a time
// writes every entry waiting, as one pipeline of the script (and one WAIT for them all), while
// the others wait for it; each caller returns only when its own entry is written (and replicated
// as asked), or throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api_keys.h"
#include "pool.h"
#include "redis.h"

namespace mwp::gateway {

namespace audit_keys {
inline const std::string kReads = "mwp:audit";
std::string readsOf(const std::string& workerId);  // the worker's own stream
std::string readsBy(const std::string& keyName);   // the key's own stream
}  // namespace audit_keys

// What one answer showed, to whom.
struct AuditRecord {
  std::string route;                  // the route's template: /v1/workers/{workerId}
  std::vector<std::string> workers;   // the resident IDs of the people shown (or looked up)
  std::vector<std::string> sections;  // the sections the reader was given
  int status = 200;                   // 404: looked up, nobody found
};

struct AuditEntry {
  std::string id;  // the stream entry's: "<ms>-<n>"
  std::string key;
  std::string role;
  std::string route;
  std::vector<std::string> workers;  // in a worker's own stream: that worker alone
  std::string sections;              // comma-separated
  int status = 0;
  int64_t at = 0;  // seconds since the epoch
};

// Which entries, and from where: `pageToken` is the nextPageToken of the page before.
struct AuditQuery {
  std::string worker;  // only this worker's entries, when set
  std::string key;     // only this key's, when set (not with `worker`)
  int pageSize = 100;
  std::string pageToken;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::string nextPageToken;  // "" on the last page
};

class AuditLog {
 public:
  // 个人信息保护法 art. 56 keeps the record of a processing of personal information three years;
  // 网络安全法 art. 21's six months of logs is the floor a configuration may not go below.
  static constexpr std::chrono::seconds kDefaultRetention{3 * 366 * 24 * 3600};
  static constexpr std::chrono::seconds kShortestRetention{183 * 24 * 3600};

  // `ackReplicas`: replicas that must have an entry (Redis WAIT, at most `replicaWait`) before
  // the answer goes out; 0: the primary's write is enough. `retention`: how long entries are kept.
  explicit AuditLog(RedisEndpoint redis, int ackReplicas = 0,
                    std::chrono::milliseconds replicaWait = std::chrono::milliseconds(1000),
                    std::chrono::seconds retention = kDefaultRetention);

  // Throws RedisUnavailable when the entry could not be written, or not replicated as asked: the
  // answer must not go out then (a failover could lose its trace).
  void record(const ApiKey& key, const AuditRecord& what, int64_t atSeconds);

  // One page, newest first. Returns nullopt for a page token this log never gave.
  std::optional<AuditPage> page(const AuditQuery& query);

 private:
  struct Pending {  // one entry waiting to be written: the script's keys and arguments
    std::vector<std::string> keys, args;
    bool written = false;
    std::exception_ptr error;  // why it was not, when it was not
  };
  // Writes the batch in one round trip; one error for each entry (null: written).
  std::vector<std::exception_ptr> write(const std::vector<Pending*>& batch);

  Pool<Redis> redis_;
  std::mutex batchMutex_;
  std::condition_variable batchWritten_;
  std::vector<Pending*> waiting_;  // entries no writer has taken yet
  bool writing_ = false;           // whether some caller is writing a batch now
  int ackReplicas_;
  std::chrono::milliseconds replicaWait_;
  std::chrono::seconds retention_;
};

}  // namespace mwp::gateway
