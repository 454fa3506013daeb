// 每次查询留痕: the audit of worker reads. Every read of a worker's record is written here before
// the record goes out (or it does not go out), and the auditors read it back, newest first — all
// reads, or one worker's. Thread-safe: each call takes a connection of its own pool.
//
// In Redis, each read is kept twice, by one script (both or neither): in the stream of every read
// (trimmed to about kReadsKept) and in the worker's own stream (about kReadsKeptPerWorker, the most
// one query returns, and kept kRetentionSeconds after the worker's last read), under the same entry
// id. So one worker's reads are one lookup however many reads of others came since.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "api_keys.h"
#include "pool.h"
#include "redis.h"

namespace mwp::gateway {

namespace audit_keys {
inline const std::string kReads = "mwp:audit";
std::string readsOf(const std::string& workerId);  // the worker's own stream
}  // namespace audit_keys

struct AuditEntry {
  std::string id;  // the stream entry's: "<ms>-<n>"
  std::string key;
  std::string role;
  std::string worker;
  std::string sections;  // the sections the reader was given, comma-separated
  int64_t at = 0;        // seconds since the epoch
};

class AuditLog {
 public:
  static constexpr int64_t kReadsKept = 10'000'000;
  static constexpr int64_t kReadsKeptPerWorker = 1000;
  // 个人信息保护法 art. 56: the record of a processing of personal information is kept at least
  // three years.
  static constexpr int64_t kRetentionSeconds = 3 * 366 * 24 * 3600;

  // `ackReplicas`: replicas that must have a read's entry (Redis WAIT, at most `replicaWait`)
  // before the read is answered; 0: the primary's write is enough.
  explicit AuditLog(RedisEndpoint redis, int ackReplicas = 0,
                    std::chrono::milliseconds replicaWait = std::chrono::milliseconds(1000));

  // Throws RedisUnavailable when the read could not be written, or not replicated as asked: it
  // must not be answered then (a failover could lose its trace).
  void recordRead(const ApiKey& key, const std::string& workerId,
                  const std::vector<std::string>& sections, int64_t atSeconds);

  // The newest `limit` reads (at most kReadsKeptPerWorker for one worker); of one worker only
  // when `workerId` is not empty.
  std::vector<AuditEntry> newest(int limit, const std::string& workerId = "");

 private:
  Pool<Redis> redis_;
  int ackReplicas_;
  std::chrono::milliseconds replicaWait_;
};

}  // namespace mwp::gateway
