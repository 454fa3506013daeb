// mwp_log.so: the log's batch store as a Redis module command, MWP.STORE_BATCH — the Lua Function
// mwp_store_batch_2 (kLogFunctions, common/runtime/event_log.cpp) in native code, with the same
// KEYS/ARGV and the same reply, so the bus only changes the command's name:
//
//   MWP.STORE_BATCH numkeys bucket… (seq log)… buckets expireSeconds (partition n (id digest env)ⁿ)…
//
// KEYS: the window's de-duplication buckets (`buckets` of them, the newest last), then each
// partition's sequence key and log stream. ARGV: the bucket count, how long the newest bucket must
// live, then per partition its number, its event count and each event's id, digest and envelope.
// The reply: per event, its new sequence (an integer), or where it was stored before
// ("partition:sequence:digest", from an older bucket, the newest one, or earlier in this batch).
//
// Why a module (issue 22): the Function spent about 2 µs of Redis's 5 µs per event in the Lua VM
// and in rebuilding every command's arguments from Lua strings. Here the call reads and writes
// the keys directly. Every check comes before the first write, so a malformed call writes nothing.
// One limit: the check that a log takes the record batch's id reads the stream's newest entry, but
// XADD compares with the stream's last id, which XDEL (or XTRIM) of the newest entries leaves above
// it. A log whose newest entries were deleted and whose sequence key went back behind them gets
// its HSET and SET written and the XADD refused (logged, and the call answered with an error).
// Redis 7.0's module API does not give the last id; XINFO STREAM would, but copies the stream's
// first and last record batches into its reply on every call. mwp itself only appends to a log.
//
// Replicated by its effects (RedisModule_Replicate, which Redis wraps in MULTI/EXEC): one HSET of
// the batch's new ids, a SET and an XADD per partition that got events, and a PEXPIREAT with the
// absolute time — plain commands, so the append-only file replays, and a replica runs, without
// this module. Nothing in mwp blocks on XREAD or listens to keyspace notifications (followers
// read the fan-out and XRANGE); StreamAdd signals blocked readers all the same.
#define REDISMODULE_ATTR  // this file defines the API's pointers; no `common` symbols
#include "redismodule.h"

#include <climits>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

RedisModuleString* entryField = nullptr;  // "e", the record batch's one field; made at load

std::string_view view(RedisModuleString* s) {
  size_t len = 0;
  const char* p = RedisModule_StringPtrLen(s, &len);
  return {p, len};
}

// An error that names the argument, in Chinese and English (a malformed call is a bug of its
// caller: the bus writes every call).
int refuse(RedisModuleCtx* ctx, const std::string& zh, const std::string& en) {
  std::string text = "ERR mwp.store_batch: " + zh + " / " + en;
  return RedisModule_ReplyWithError(ctx, text.c_str());
}

bool readCount(RedisModuleString* s, long long min, long long max, long long& out) {
  return RedisModule_StringToLongLong(s, &out) == REDISMODULE_OK && out >= min && out <= max;
}

// What the key at `index` (from 0) of the KEYS is: the buckets, then (sequence key, log) pairs.
struct KeyRole {
  const char* zh;
  const char* en;
};
KeyRole roleOf(long long index, long long buckets) {
  if (index < buckets) return {"去重桶", "a de-duplication bucket"};
  if ((index - buckets) % 2 == 0) return {"序号键", "a sequence key"};
  return {"日志", "a log"};
}

struct Partition {
  RedisModuleString* number = nullptr;  // as the caller wrote it: it goes into each place as given
  int firstEvent = 0;                   // argv index of its first event's id
  long long events = 0;
  RedisModuleKey* sequenceKey = nullptr;
  RedisModuleKey* log = nullptr;
  long long last = 0;  // the sequence stored before this call
  long long next = 0;  // the last one this call gives
  std::string envelopes;  // the new events' envelopes back to back: the record batch
};

// What the call will do, worked out before anything is written.
struct Plan {
  struct Outcome {
    long long sequence = 0;                // stored now, when place is null
    RedisModuleString* place = nullptr;    // else where it was stored before
  };
  std::vector<Outcome> outcomes;                 // per event, in the call's order
  std::vector<RedisModuleString*> newFields;     // id, place, id, place… for the newest bucket
};

RedisModuleString* storedIn(RedisModuleKey* bucket, RedisModuleString* id) {
  if (RedisModule_KeyType(bucket) == REDISMODULE_KEYTYPE_EMPTY) return nullptr;
  RedisModuleString* place = nullptr;
  RedisModule_HashGet(bucket, REDISMODULE_HASH_NONE, id, &place, nullptr);
  return place;
}

int storeBatch(RedisModuleCtx* ctx, RedisModuleString** argv, int argc) {
  RedisModule_AutoMemory(ctx);  // keys, strings and HashGet's answers freed on return
  if (argc < 2) return RedisModule_WrongArity(ctx);
  long long numkeys = 0;
  if (!readCount(argv[1], 1, argc - 2, numkeys)) {
    return refuse(ctx, "numkeys 不是 1 到参数个数之间的整数",
                  "numkeys is not a whole number between 1 and the number of arguments");
  }
  const int firstKey = 2, firstArg = 2 + static_cast<int>(numkeys);
  if (argc - firstArg < 2) {
    return refuse(ctx, "缺少 ARGV[1]（桶数）或 ARGV[2]（最新桶的存活秒数）",
                  "ARGV[1] (the bucket count) or ARGV[2] (the newest bucket's seconds) is missing");
  }
  long long buckets = 0, expireSeconds = 0;
  if (!readCount(argv[firstArg], 1, numkeys, buckets) || (numkeys - buckets) % 2 != 0) {
    return refuse(ctx, "ARGV[1]（桶数）须在 1 到 numkeys 之间，其余的键须成对（序号键、日志）",
                  "ARGV[1] (the bucket count) must be 1..numkeys, the other keys in pairs "
                  "(sequence key, log)");
  }
  if (!readCount(argv[firstArg + 1], 1, 1LL << 40, expireSeconds)) {
    return refuse(ctx, "ARGV[2]（最新桶的存活秒数）不是正整数",
                  "ARGV[2] (the newest bucket's seconds to live) is not a positive whole number");
  }

  // The partitions' groups of arguments must use up the ARGV exactly, one per key pair.
  const long long partitionCount = (numkeys - buckets) / 2;
  std::vector<Partition> partitions;
  int at = firstArg + 2;
  while (at < argc) {
    long long events = 0;
    if (static_cast<long long>(partitions.size()) == partitionCount || at + 1 >= argc ||
        !readCount(argv[at + 1], 0, (argc - at - 2) / 3, events)) {
      return refuse(ctx,
                    "分区 " + std::to_string(partitions.size() + 1) +
                        " 的事件数与其后的参数（每个事件 id、摘要、信封三个）不符，或分区多于键对",
                    "partition " + std::to_string(partitions.size() + 1) +
                        ": its event count does not match the arguments after it (id, digest, "
                        "envelope per event), or there are more partitions than key pairs");
    }
    Partition p;
    p.number = argv[at];
    p.firstEvent = at + 2;
    p.events = events;
    partitions.push_back(std::move(p));
    at += 2 + 3 * static_cast<int>(events);
  }
  if (static_cast<long long>(partitions.size()) != partitionCount) {
    return refuse(ctx, "键对（序号键、日志）多于分区", "more key pairs (sequence key, log) than partitions");
  }

  // Each key once: two handles on one key would have Redis add the key twice (an assertion that
  // stops the server) or free a value the other handle still points at; a partition named twice
  // would give its sequence twice.
  std::unordered_map<std::string_view, long long> keyIndex;  // name → its KEYS index (from 1)
  for (long long i = 0; i < numkeys; ++i) {
    auto [first, added] = keyIndex.emplace(view(argv[firstKey + i]), i + 1);
    if (added) continue;
    const KeyRole role = roleOf(i, buckets);
    const std::string at = "KEYS[" + std::to_string(i + 1) + "]",
                      same = "KEYS[" + std::to_string(first->second) + "]";
    return refuse(ctx, at + "（" + role.zh + "）重复：与 " + same + " 相同",
                  at + " (" + role.en + ") is given twice: it is " + same);
  }

  // Every key of the right type, or absent.
  std::vector<RedisModuleKey*> bucketKeys;
  for (long long b = 0; b < buckets; ++b) {
    int mode = REDISMODULE_READ | (b == buckets - 1 ? REDISMODULE_WRITE : 0);
    auto* key = static_cast<RedisModuleKey*>(RedisModule_OpenKey(ctx, argv[firstKey + b], mode));
    int type = RedisModule_KeyType(key);
    if (type != REDISMODULE_KEYTYPE_EMPTY && type != REDISMODULE_KEYTYPE_HASH) {
      return refuse(ctx, "KEYS[" + std::to_string(b + 1) + "]（去重桶）不是哈希",
                    "KEYS[" + std::to_string(b + 1) + "] (a de-duplication bucket) is not a hash");
    }
    bucketKeys.push_back(key);
  }
  for (size_t g = 0; g < partitions.size(); ++g) {
    int k = firstKey + static_cast<int>(buckets + 2 * g);
    Partition& p = partitions[g];
    p.sequenceKey =
        static_cast<RedisModuleKey*>(RedisModule_OpenKey(ctx, argv[k], REDISMODULE_READ | REDISMODULE_WRITE));
    p.log = static_cast<RedisModuleKey*>(
        RedisModule_OpenKey(ctx, argv[k + 1], REDISMODULE_READ | REDISMODULE_WRITE));
    int type = RedisModule_KeyType(p.sequenceKey);
    if (type == REDISMODULE_KEYTYPE_STRING) {
      size_t len = 0;
      const char* digits = RedisModule_StringDMA(p.sequenceKey, &len, REDISMODULE_READ);
      RedisModuleString* text = RedisModule_CreateString(ctx, digits, len);
      if (RedisModule_StringToLongLong(text, &p.last) != REDISMODULE_OK || p.last < 0) type = -1;
    }
    if (type != REDISMODULE_KEYTYPE_EMPTY && type != REDISMODULE_KEYTYPE_STRING) {
      return refuse(ctx, "KEYS[" + std::to_string(k - 1) + "]（序号键）不是非负整数",
                    "KEYS[" + std::to_string(k - 1) + "] (a sequence key) is not a whole number ≥ 0");
    }
    if (p.last > LLONG_MAX - p.events) {  // the sequences this call would give must fit
      return refuse(ctx, "KEYS[" + std::to_string(k - 1) + "]（序号键）的序号加上本分区的事件数超出 " +
                             std::to_string(LLONG_MAX),
                    "KEYS[" + std::to_string(k - 1) + "] (a sequence key): its sequence plus the " +
                        "partition's events would pass " + std::to_string(LLONG_MAX));
    }
    type = RedisModule_KeyType(p.log);
    if (type != REDISMODULE_KEYTYPE_EMPTY && type != REDISMODULE_KEYTYPE_STREAM) {
      return refuse(ctx, "KEYS[" + std::to_string(k) + "]（日志）不是流",
                    "KEYS[" + std::to_string(k) + "] (a log) is not a stream");
    }
    p.next = p.last;
  }

  // The outcome of every event, read only: the older buckets first (the oldest first, as the
  // Function's HMGETs), then this batch's claims, then the newest bucket.
  Plan plan;
  RedisModuleKey* newest = bucketKeys.back();
  std::unordered_map<std::string_view, RedisModuleString*> claimed;  // id → its place, this call
  for (auto& p : partitions) {
    for (long long i = 0; i < p.events; ++i) {
      RedisModuleString** event = argv + p.firstEvent + 3 * i;  // id, digest, envelope
      Plan::Outcome outcome;
      for (long long b = 0; b + 1 < buckets && !outcome.place; ++b) {
        outcome.place = storedIn(bucketKeys[b], event[0]);
      }
      if (!outcome.place) {
        auto found = claimed.find(view(event[0]));
        if (found != claimed.end()) outcome.place = found->second;
      }
      if (!outcome.place) outcome.place = storedIn(newest, event[0]);
      if (!outcome.place) {
        outcome.sequence = ++p.next;
        auto place = std::string(view(p.number)) + ':' + std::to_string(p.next) + ':' +
                     std::string(view(event[1]));
        RedisModuleString* text = RedisModule_CreateString(ctx, place.data(), place.size());
        claimed.emplace(view(event[0]), text);
        plan.newFields.push_back(event[0]);
        plan.newFields.push_back(text);
        p.envelopes.append(view(event[2]));
      }
      plan.outcomes.push_back(outcome);
    }
  }
  // A stream takes only ids above its last entry's: the record batch's id must be.
  for (size_t g = 0; g < partitions.size(); ++g) {
    Partition& p = partitions[g];
    if (p.next == p.last || RedisModule_KeyType(p.log) == REDISMODULE_KEYTYPE_EMPTY) continue;
    RedisModuleStreamID top{0, 0};
    long fields = 0;
    bool above = true;
    if (RedisModule_StreamIteratorStart(p.log, REDISMODULE_STREAM_ITERATOR_REVERSE, nullptr,
                                        nullptr) == REDISMODULE_OK) {
      if (RedisModule_StreamIteratorNextID(p.log, &top, &fields) == REDISMODULE_OK) {
        above = top.ms < static_cast<uint64_t>(p.last + 1);
      }
      RedisModule_StreamIteratorStop(p.log);
    }
    if (!above) {
      int k = static_cast<int>(buckets + 2 * g) + 2;
      return refuse(ctx, "KEYS[" + std::to_string(k) + "]（日志）已有序号键之后的条目",
                    "KEYS[" + std::to_string(k) + "] (a log) holds entries past its sequence key");
    }
  }

  // The writes, each replicated as a plain command.
  for (size_t f = 0; f < plan.newFields.size(); f += 2) {
    RedisModule_HashSet(newest, REDISMODULE_HASH_NX, plan.newFields[f], plan.newFields[f + 1],
                        nullptr);
  }
  if (!plan.newFields.empty()) {
    RedisModule_Replicate(ctx, "HSET", "sv", argv[firstKey + buckets - 1], plan.newFields.data(),
                          plan.newFields.size());
  }
  for (size_t g = 0; g < partitions.size(); ++g) {
    Partition& p = partitions[g];
    if (p.next == p.last) continue;
    RedisModuleString* sequence = RedisModule_CreateStringFromLongLong(ctx, p.next);
    RedisModule_StringSet(p.sequenceKey, sequence);
    RedisModuleStreamID id{static_cast<uint64_t>(p.last + 1), 0};
    RedisModuleString* entry[2] = {entryField,
                                   RedisModule_CreateString(ctx, p.envelopes.data(), p.envelopes.size())};
    if (RedisModule_StreamAdd(p.log, 0, &id, entry, 1) != REDISMODULE_OK) {
      // Checked above; should it happen all the same, Redis is told loudly (the batch's other
      // writes stand, as the Function's would have).
      RedisModule_Log(ctx, "warning", "mwp.store_batch: XADD of a record batch refused");
      return refuse(ctx, "日志拒绝了记录批", "the log refused the record batch");
    }
    int k = firstKey + static_cast<int>(buckets + 2 * g);
    RedisModule_Replicate(ctx, "SET", "ss", argv[k], sequence);
    std::string entryId = std::to_string(p.last + 1) + "-0";
    RedisModule_Replicate(ctx, "XADD", "sbcs", argv[k + 1], entryId.data(), entryId.size(), "e",
                          entry[1]);
  }
  if (RedisModule_KeyType(newest) != REDISMODULE_KEYTYPE_EMPTY) {
    long long at = RedisModule_Milliseconds() + expireSeconds * 1000;
    RedisModule_SetAbsExpire(newest, at);
    RedisModule_Replicate(ctx, "PEXPIREAT", "sl", argv[firstKey + buckets - 1], at);
  }

  RedisModule_ReplyWithArray(ctx, static_cast<long>(plan.outcomes.size()));
  for (const auto& o : plan.outcomes) {
    if (o.place) {
      RedisModule_ReplyWithString(ctx, o.place);
    } else {
      RedisModule_ReplyWithLongLong(ctx, o.sequence);
    }
  }
  return REDISMODULE_OK;
}

// Every API this file calls; RedisModule_Init leaves the ones the server lacks as null pointers.
bool missingApi(RedisModuleCtx* ctx) {
  struct Api {
    const char* name;
    const void* pointer;
  };
  const Api apis[] = {
#define MWP_API(name) {#name, reinterpret_cast<const void*>(RedisModule_##name)}
      MWP_API(CreateCommand),  MWP_API(GetCommand),         MWP_API(SetCommandInfo),
      MWP_API(AutoMemory),     MWP_API(WrongArity),         MWP_API(ReplyWithError),
      MWP_API(ReplyWithArray), MWP_API(ReplyWithLongLong),  MWP_API(ReplyWithString),
      MWP_API(StringPtrLen),   MWP_API(StringToLongLong),   MWP_API(CreateString),
      MWP_API(CreateStringFromLongLong), MWP_API(OpenKey),  MWP_API(KeyType),
      MWP_API(StringDMA),      MWP_API(StringSet),          MWP_API(HashGet),
      MWP_API(HashSet),        MWP_API(StreamAdd),          MWP_API(StreamIteratorStart),
      MWP_API(StreamIteratorNextID), MWP_API(StreamIteratorStop), MWP_API(SetAbsExpire),
      MWP_API(Milliseconds),   MWP_API(Replicate),          MWP_API(Log),
#undef MWP_API
  };
  bool missing = false;
  for (const auto& api : apis) {
    if (api.pointer) continue;
    missing = true;
    if (RedisModule_Log) {
      RedisModule_Log(ctx, "warning", "mwp_log: this Redis lacks RedisModule_%s; not loaded", api.name);
    }
  }
  return missing;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int RedisModule_OnLoad(RedisModuleCtx* ctx, RedisModuleString**, int) {
  if (RedisModule_Init(ctx, "mwp_log", 1, REDISMODULE_APIVER_1) == REDISMODULE_ERR) {
    return REDISMODULE_ERR;
  }
  if (missingApi(ctx)) return REDISMODULE_ERR;
  entryField = RedisModule_CreateString(nullptr, "e", 1);
  // Keys by their count, as FCALL's: ACL key patterns and COMMAND GETKEYS see every one.
  if (RedisModule_CreateCommand(ctx, "mwp.store_batch", storeBatch, "write deny-oom", 0, 0, 0) ==
      REDISMODULE_ERR) {
    return REDISMODULE_ERR;
  }
  static RedisModuleCommandKeySpec keySpecs[2] = {};
  // Read and written (one of INSERT, UPDATE, DELETE may be named: UPDATE, as FCALL's keys).
  keySpecs[0].flags = REDISMODULE_CMD_KEY_RW | REDISMODULE_CMD_KEY_ACCESS | REDISMODULE_CMD_KEY_UPDATE;
  keySpecs[0].begin_search_type = REDISMODULE_KSPEC_BS_INDEX;
  keySpecs[0].bs.index.pos = 1;
  keySpecs[0].find_keys_type = REDISMODULE_KSPEC_FK_KEYNUM;
  keySpecs[0].fk.keynum.keynumidx = 0;
  keySpecs[0].fk.keynum.firstkey = 1;
  keySpecs[0].fk.keynum.keystep = 1;
  static RedisModuleCommandInfo info = {};
  info.version = REDISMODULE_COMMAND_INFO_VERSION;
  info.summary = "Stores a batch of mwp events: de-duplication, sequences, one record batch per partition";
  info.since = "1.0.0";
  info.arity = -5;
  info.key_specs = keySpecs;  // ended by the zeroed second entry
  if (RedisModule_SetCommandInfo(RedisModule_GetCommand(ctx, "mwp.store_batch"), &info) ==
      REDISMODULE_ERR) {
    RedisModule_Log(ctx, "warning", "mwp_log: the command's key specs were refused; not loaded");
    return REDISMODULE_ERR;
  }
  return REDISMODULE_OK;
}
