#include "audit_log.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>

namespace mwp::gateway {
namespace {

// KEYS: the stream of everything, the key's, then each worker's.
// ARGV: the oldest entry id kept, the streams' time to live (s), the everyone-shown list, then
//       the common fields and values (12 words), then each worker's ID in the order of KEYS[3..].
// Returns the entry's id. Every XADD trims its stream exactly to the retention (MINID).
constexpr const char* kRecordScript = R"lua(
local common = {}
for i = 4, 15 do common[#common + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MINID', ARGV[1], '*', 'workers', ARGV[3], unpack(common))
redis.call('XADD', KEYS[2], 'MINID', ARGV[1], id, 'workers', ARGV[3], unpack(common))
redis.call('EXPIRE', KEYS[2], ARGV[2])
for i = 3, #KEYS do
  redis.call('XADD', KEYS[i], 'MINID', ARGV[1], id, 'workers', ARGV[13 + i], unpack(common))
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return id
)lua";

constexpr size_t kRecord = 0;  // the script's handle: the first and only one each connection has

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ",") + w;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0; start < text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

AuditEntry entryOf(const RedisReply& e) {
  AuditEntry entry;
  if (e.elements.size() != 2) return entry;
  entry.id = e.elements[0].str;
  std::map<std::string, std::string> f;
  const auto& kv = e.elements[1].elements;
  for (size_t i = 0; i + 1 < kv.size(); i += 2) f[kv[i].str] = kv[i + 1].str;
  entry.key = f["key"];
  entry.role = f["role"];
  entry.route = f["route"];
  // Entries written before routes were recorded name one worker under "worker".
  entry.workers = split(f.count("workers") ? f["workers"] : f["worker"]);
  entry.sections = f["sections"];
  entry.status = static_cast<int>(std::strtol(f["status"].c_str(), nullptr, 10));
  entry.at = std::strtoll(f["at"].c_str(), nullptr, 10);  // 0 when absent
  return entry;
}

}  // namespace

std::string audit_keys::readsOf(const std::string& workerId) {
  return kReads + ":worker:" + workerId;
}

std::string audit_keys::readsBy(const std::string& keyName) {
  return kReads + ":key:" + keyName;
}

AuditLog::AuditLog(RedisEndpoint redis, int ackReplicas, std::chrono::milliseconds replicaWait,
                   std::chrono::seconds retention)
    : redis_([redis] {
        auto connection = std::make_unique<Redis>(redis, std::chrono::seconds(2));
        connection->addScript(kRecordScript);
        return connection;
      }),
      ackReplicas_(ackReplicas),
      replicaWait_(replicaWait),
      retention_(retention) {}

void AuditLog::record(const ApiKey& key, const AuditRecord& what, int64_t atSeconds) {
  std::vector<std::string> workers = what.workers;
  std::sort(workers.begin(), workers.end());  // one entry per person, however often shown
  workers.erase(std::unique(workers.begin(), workers.end()), workers.end());

  std::vector<std::string> keys{audit_keys::kReads, audit_keys::readsBy(key.name)};
  int64_t oldestKeptMs = std::max<int64_t>(0, (atSeconds - retention_.count()) * 1000);
  std::vector<std::string> args{std::to_string(oldestKeptMs),
                                std::to_string(retention_.count()),
                                joined(workers),
                                "key",
                                key.name,
                                "role",
                                roleName(key.role),
                                "route",
                                what.route,
                                "sections",
                                joined(what.sections),
                                "status",
                                std::to_string(what.status),
                                "at",
                                std::to_string(atSeconds)};
  for (const auto& w : workers) {
    keys.push_back(audit_keys::readsOf(w));
    args.push_back(w);
  }
  Pending mine;
  mine.keys = std::move(keys);
  mine.args = std::move(args);
  std::unique_lock lock(batchMutex_);
  waiting_.push_back(&mine);
  while (!mine.written && !mine.error) {
    if (writing_) {
      batchWritten_.wait(lock);
      continue;
    }
    // No one is writing: this caller writes everything waiting, its own entry among it.
    writing_ = true;
    std::vector<Pending*> batch;
    batch.swap(waiting_);
    lock.unlock();
    auto errors = write(batch);
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->error = errors[i];
      batch[i]->written = !errors[i];
    }
    writing_ = false;
    batchWritten_.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
}

std::vector<std::exception_ptr> AuditLog::write(const std::vector<Pending*>& batch) {
  std::vector<std::exception_ptr> errors(batch.size());
  try {
    auto r = redis_.take();
    std::vector<RedisCommand> commands;
    for (const auto* p : batch) commands.push_back(r->scriptCommand(kRecord, p->keys, p->args));
    if (ackReplicas_ > 0) {
      commands.push_back(
          {"WAIT", std::to_string(ackReplicas_), std::to_string(replicaWait_.count())});
    }
    auto replies = r->pipeline(commands);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (replies[i].isError())
        errors[i] = std::make_exception_ptr(RedisUnavailable("audit not written: " + replies[i].str));
    }
    // WAIT counts the replicas that have every write sent before it: the whole batch's.
    if (ackReplicas_ > 0 && replies.back().integer < ackReplicas_) {
      auto unsafe = std::make_exception_ptr(RedisUnavailable(
          "audit not replicated: " + std::to_string(replies.back().integer) + " of " +
          std::to_string(ackReplicas_) + " replicas confirmed it"));
      for (auto& e : errors)
        if (!e) e = unsafe;
    }
    return errors;
  } catch (...) {
    std::fill(errors.begin(), errors.end(), std::current_exception());
    return errors;
  }
}

std::optional<AuditPage> AuditLog::page(const AuditQuery& query) {
  static const std::regex streamId(R"(\d{1,20}-\d{1,20})");
  if (!query.pageToken.empty() && !std::regex_match(query.pageToken, streamId)) {
    return std::nullopt;
  }
  std::string stream = !query.worker.empty() ? audit_keys::readsOf(query.worker)
                       : !query.key.empty()  ? audit_keys::readsBy(query.key)
                                             : audit_keys::kReads;
  // Newest first, from just before the last entry the page before showed; one more than asked,
  // to know whether there is a next page.
  std::string newest = query.pageToken.empty() ? "+" : "(" + query.pageToken;
  auto entries = redis_.take()->command(
      {"XREVRANGE", stream, newest, "-", "COUNT", std::to_string(query.pageSize + 1)});
  if (entries.isError()) throw RedisUnavailable("audit not read: " + entries.str);
  AuditPage page;
  for (const auto& e : entries.elements) {
    if (e.elements.size() != 2) continue;
    if (page.entries.size() == static_cast<size_t>(query.pageSize)) {
      page.nextPageToken = page.entries.back().id;
      break;
    }
    page.entries.push_back(entryOf(e));
  }
  return page;
}

}  // namespace mwp::gateway
