#include "audit_log.h"

#include <cstdlib>
#include <map>

namespace mwp::gateway {
namespace {

// KEYS: every read's stream, the worker's   ARGV: kept, kept per worker, retention, then the
// entry's fields and values. Returns the entry's id.
constexpr const char* kRecordReadScript = R"lua(
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], id, unpack(fields))
redis.call('EXPIRE', KEYS[2], ARGV[3])
return id
)lua";

constexpr size_t kRecordRead =
    0;  // the script's handle: the first and only one each connection has

AuditEntry entryOf(const RedisReply& e) {
  AuditEntry entry;
  if (e.elements.size() != 2) return entry;
  entry.id = e.elements[0].str;
  std::map<std::string, std::string> f;
  const auto& kv = e.elements[1].elements;
  for (size_t i = 0; i + 1 < kv.size(); i += 2) f[kv[i].str] = kv[i + 1].str;
  entry.key = f["key"];
  entry.role = f["role"];
  entry.worker = f["worker"];
  entry.sections = f["sections"];
  entry.at = std::strtoll(f["at"].c_str(), nullptr, 10);  // 0 when absent
  return entry;
}

}  // namespace

std::string audit_keys::readsOf(const std::string& workerId) {
  return kReads + ":worker:" + workerId;
}

AuditLog::AuditLog(RedisEndpoint redis, int ackReplicas, std::chrono::milliseconds replicaWait)
    : redis_([redis] {
        auto connection = std::make_unique<Redis>(redis, std::chrono::seconds(2));
        connection->addScript(kRecordReadScript);
        return connection;
      }),
      ackReplicas_(ackReplicas),
      replicaWait_(replicaWait) {}

void AuditLog::recordRead(const ApiKey& key, const std::string& workerId,
                          const std::vector<std::string>& sections, int64_t atSeconds) {
  std::string sectionNames;
  for (const auto& s : sections) sectionNames += (sectionNames.empty() ? "" : ",") + s;
  auto r = redis_.take();
  std::vector<RedisCommand> commands{r->scriptCommand(
      kRecordRead, {audit_keys::kReads, audit_keys::readsOf(workerId)},
      {std::to_string(kReadsKept), std::to_string(kReadsKeptPerWorker),
       std::to_string(kRetentionSeconds), "key", key.name, "role", roleName(key.role), "worker",
       workerId, "sections", sectionNames, "at", std::to_string(atSeconds)})};
  if (ackReplicas_ > 0) {
    commands.push_back(
        {"WAIT", std::to_string(ackReplicas_), std::to_string(replicaWait_.count())});
  }
  auto replies = r->pipeline(commands);
  if (replies[0].isError()) throw RedisUnavailable("audit not written: " + replies[0].str);
  if (ackReplicas_ > 0 && replies[1].integer < ackReplicas_) {
    throw RedisUnavailable("audit not replicated: " + std::to_string(replies[1].integer) + " of " +
                           std::to_string(ackReplicas_) + " replicas confirmed it");
  }
}

std::vector<AuditEntry> AuditLog::newest(int limit, const std::string& workerId) {
  std::string stream = workerId.empty() ? audit_keys::kReads : audit_keys::readsOf(workerId);
  auto entries =
      redis_.take()->command({"XREVRANGE", stream, "+", "-", "COUNT", std::to_string(limit)});
  if (entries.isError()) throw RedisUnavailable("audit not read: " + entries.str);
  std::vector<AuditEntry> out;
  for (const auto& e : entries.elements) {
    if (e.elements.size() == 2) out.push_back(entryOf(e));
  }
  return out;
}

}  // namespace mwp::gateway
