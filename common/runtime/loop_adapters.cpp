#include "loop_adapters.h"

#include <algorithm>
#include <charconv>

#include "state_keys.h"

namespace mwp {

namespace {

// Verdicts are kept long enough for any integrator to look an event up.
constexpr const char* kVerdictTtlSeconds = "7776000";  // 90 days

// A cursor as the loop writes it: decimal digits, nothing else.
std::optional<uint64_t> cursorValue(const std::string& text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string instanceOutboxKey(const std::string& service, const std::vector<uint32_t>& partitions) {
  auto first = std::min_element(partitions.begin(), partitions.end());
  return keys::outbox(service, first == partitions.end() ? 0 : *first);
}

RedisCommitStore::RedisCommitStore(Redis& redis, std::string service,
                                   const std::vector<uint32_t>& partitions)
    : redis_(redis),
      commits_(redis.endpoint()),
      readAhead_(redis.endpoint()),
      service_(std::move(service)),
      outboxKey_(instanceOutboxKey(service_, partitions)),
      tallyKey_(keys::tally(service_)) {}

std::string RedisCommitStore::stateKey(const std::string& key) const {
  return serviceKey(service_, key);
}

std::optional<std::string> RedisCommitStore::get(const std::string& key) {
  auto reply = redis_.command({"GET", stateKey(key)});
  if (reply.isError()) throw RedisUnavailable("GET failed: " + reply.str);
  if (reply.isNil()) return std::nullopt;
  return std::move(reply.str);
}

std::map<uint32_t, uint64_t> RedisCommitStore::cursors(const std::vector<uint32_t>& partitions) {
  std::vector<RedisCommand> commands;
  for (auto p : partitions) commands.push_back({"GET", keys::cursor(service_, p)});
  auto replies = redis_.pipeline(commands);
  std::map<uint32_t, uint64_t> cursors;
  for (size_t i = 0; i < partitions.size(); ++i) {
    // An error (Redis still loading its data after a restart) is a fault: the round is retried.
    if (replies[i].isError()) throw RedisUnavailable("reading a cursor: " + replies[i].str);
    if (replies[i].isNil()) {
      cursors[partitions[i]] = 0;
      continue;
    }
    auto value = cursorValue(replies[i].str);
    if (!value) {
      // Resuming from a guess would skip events or apply them twice: nothing is applied.
      throw CorruptState(commands[i][1],
                         "the cursor is not a number: \"" + replies[i].str.substr(0, 32) + "\"");
    }
    cursors[partitions[i]] = *value;
  }
  return cursors;
}

void RedisCommitStore::sendReads(const std::vector<std::string>& keys) {
  RedisCommand mget{"MGET"};
  mget.reserve(keys.size() + 1);
  for (const auto& key : keys) mget.push_back(stateKey(key));
  readAhead_.send({std::move(mget)});
}

std::vector<std::optional<std::string>> RedisCommitStore::collectReads() {
  auto reply = std::move(readAhead_.collect().at(0));
  if (reply.type != RedisReply::Type::kArray) throw RedisUnavailable("MGET failed: " + reply.str);
  std::vector<std::optional<std::string>> values(reply.elements.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!reply.elements[i].isNil()) values[i] = std::move(reply.elements[i].str);
  }
  return values;
}

// Values are copied, not moved: the overlay stays readable by the next batch until Redis answers.
std::vector<RedisCommand> RedisCommitStore::transaction(const BatchCommit& commit) const {
  const auto& overlay = commit.state.overlay();
  std::vector<RedisCommand> tx{{"MULTI"}};
  std::string written;
  for (const auto& [key, value] : overlay.values) {
    if (value) {
      tx.push_back({"SET", stateKey(key), *value});
    } else {
      tx.push_back({"DEL", stateKey(key)});
    }
    if (!written.empty()) written += '\n';
    written += tx.back()[1];
  }
  // Inside the transaction, so the announcement goes out exactly when the writes become visible.
  if (!written.empty()) tx.push_back({"PUBLISH", keys::kStateChanges, std::move(written)});
  for (const auto& [hash, fields] : overlay.counters) {
    for (const auto& [field, delta] : fields) {
      tx.push_back({"HINCRBY", stateKey(hash), field, std::to_string(delta)});
    }
  }
  for (const auto& [set, members] : overlay.indexes) {
    for (const auto& [member, score] : members) {
      if (score) {
        tx.push_back({"ZADD", stateKey(set), scoreText(*score), member});
      } else {
        tx.push_back({"ZREM", stateKey(set), member});
      }
    }
  }
  for (const auto& [eventId, verdict] : commit.verdicts) {
    tx.push_back({"SET", keys::verdict(service_, eventId), verdict, "EX", kVerdictTtlSeconds});
  }
  if (!commit.outbox.empty()) {
    RedisCommand push{"RPUSH", outboxKey_};
    push.insert(push.end(), commit.outbox.begin(), commit.outbox.end());
    tx.push_back(std::move(push));
  }
  for (const auto& [partition, sequence] : commit.cursors) {
    tx.push_back({"SET", keys::cursor(service_, partition), std::to_string(sequence)});
  }
  const std::pair<const char*, int64_t> tally[] = {{"applied", commit.tally.applied},
                                                   {"refused", commit.tally.refused},
                                                   {"ignored", commit.tally.ignored}};
  for (const auto& [outcome, count] : tally) {
    if (count > 0) tx.push_back({"HINCRBY", tallyKey_, outcome, std::to_string(count)});
  }
  tx.push_back({"EXEC"});
  return tx;
}

void RedisCommitStore::sendCommit(const BatchCommit& commit) {
  commits_.send(transaction(commit));
}

void RedisCommitStore::confirmCommit() {
  auto replies = commits_.collect();
  const auto& exec = replies.back();
  if (exec.type != RedisReply::Type::kArray) {
    throw RedisUnavailable("transaction not committed: " + (exec.isError() ? exec.str : "aborted"));
  }
  for (const auto& r : exec.elements) {
    if (r.isError()) throw RedisUnavailable("a write of the transaction failed: " + r.str);
  }
}

void RedisCommitStore::abandon() {
  for (Redis* connection : {&readAhead_, &commits_}) {
    try {
      while (connection->awaitingReplies()) connection->collect();
    } catch (const RedisUnavailable&) {
      // The connection is dropped; a transaction Redis got whole is atomic either way.
    }
  }
}

std::vector<std::string> RedisCommitStore::dueTimers(uint32_t partition, int64_t now,
                                                     size_t limit) {
  auto due = redis_.command({"ZRANGEBYSCORE", stateKey(timerSet(partition)), "-inf",
                             std::to_string(now), "LIMIT", "0", std::to_string(limit)});
  if (due.isError()) throw RedisUnavailable("ZRANGEBYSCORE failed: " + due.str);
  std::vector<std::string> members;
  members.reserve(due.elements.size());
  for (auto& member : due.elements) members.push_back(std::move(member.str));
  return members;
}

std::vector<std::string> RedisCommitStore::outbox() {
  auto pending = redis_.command({"LRANGE", outboxKey_, "0", "-1"});
  if (pending.isError()) throw RedisUnavailable("LRANGE failed: " + pending.str);
  std::vector<std::string> frames;
  frames.reserve(pending.elements.size());
  for (auto& e : pending.elements) frames.push_back(std::move(e.str));
  return frames;
}

void RedisCommitStore::trimOutbox(size_t count) {
  auto trimmed = redis_.command({"LTRIM", outboxKey_, std::to_string(count), "-1"});
  if (trimmed.isError()) throw RedisUnavailable("LTRIM failed: " + trimmed.str);
}

BusEventSource::BusEventSource(zmq::context_t& context, std::string publishEndpoint, Redis& redis,
                               std::optional<CurveClient> curve)
    : context_(context),
      publishEndpoint_(std::move(publishEndpoint)),
      redis_(redis),
      curve_(std::move(curve)) {}

void BusEventSource::resume(std::map<uint32_t, uint64_t> cursors) {
  follower_.reset();  // its subscription first: the new one starts where Redis says
  follower_ = std::make_unique<EventFollower>(context_, publishEndpoint_, redis_,
                                              std::move(cursors), curve_);
}

std::vector<LoggedEvent> BusEventSource::poll(std::chrono::milliseconds timeout, size_t maxEvents) {
  try {
    return follower().poll(timeout, maxEvents);
  } catch (const std::invalid_argument& e) {
    // A sequence that is not a number, in a frame from the fan-out or an entry of the log: a
    // malformed frame, a fault of the environment (the loop resumes from the log), not a defect.
    throw std::runtime_error(std::string("a malformed event from the bus: ") + e.what());
  } catch (const std::out_of_range& e) {
    throw std::runtime_error(std::string("a malformed event from the bus: ") + e.what());
  }
}

EventFollower& BusEventSource::follower() const {
  if (!follower_) throw std::logic_error("BusEventSource: used before resume()");
  return *follower_;
}

LoopPorts redisAndBusPorts(zmq::context_t& context, const std::string& publishEndpoint,
                           const std::optional<CurveClient>& curve, Redis& log, Redis& state,
                           Publisher& publisher, const std::string& service,
                           const std::vector<uint32_t>& partitions) {
  return LoopPorts{std::make_unique<BusEventSource>(context, publishEndpoint, log, curve),
                   std::make_unique<RedisCommitStore>(state, service, partitions),
                   std::make_unique<BusSender>(publisher)};
}

}  // namespace mwp
