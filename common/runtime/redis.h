// A Redis connection over hiredis 0.14, with pipelining, Lua scripts loaded once per connection,
// and reconnection with backoff. A hiredis context is never reused after an I/O error: it is
// dropped, the call throws RedisUnavailable (the command's outcome is unknown), and the next call
// connects afresh. Given Sentinels, each connection goes to the primary they name, checked with
// ROLE; a reply that says this server cannot take the command now (-READONLY from a primary
// demoted by a failover, -LOADING, -MASTERDOWN, -NOREPLICAS) is handled like a lost connection:
// dropped, RedisUnavailable, and the next call asks the Sentinels again. Not thread-safe: one
// Redis per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "log.h"

struct redisContext;

namespace mwp {

struct RedisUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RedisReply {
  enum class Type { kString, kStatus, kInteger, kNil, kArray, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RedisReply> elements;

  bool isError() const { return type == Type::kError; }
  bool isNil() const { return type == Type::kNil; }
};

using RedisCommand = std::vector<std::string>;

// Commands in the Redis protocol (RESP), formatted into one buffer to go out in one write: each
// argument is copied once, from wherever its caller keeps it (a long command can be written in
// place with begin() and argument(), with no vector of strings in between).
class RedisPipeline {
 public:
  RedisPipeline() = default;
  static RedisPipeline of(const std::vector<RedisCommand>& commands);
  void add(const RedisCommand& argv);
  // Starts a command of `arguments` arguments; exactly that many argument() calls must follow.
  void begin(size_t arguments);
  void argument(std::string_view bytes);
  void reserve(size_t bytes) { bytes_.reserve(bytes); }
  // Empty again, its buffer kept for the next pipeline.
  void clear() {
    bytes_.clear();
    commands_ = 0;
  }
  void swap(RedisPipeline& other) noexcept {
    bytes_.swap(other.bytes_);
    std::swap(commands_, other.commands_);
  }
  size_t commands() const { return commands_; }
  bool empty() const { return commands_ == 0; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  size_t commands_ = 0;
};

struct RedisAddress {
  std::string host;
  int port = 0;
};

// "host:port,host:port" → addresses; throws std::invalid_argument naming the bad entry.
std::vector<RedisAddress> parseRedisAddresses(const std::string& text);

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6380;  // ops/run.sh starts mwp's own Redis here, beside any system Redis on 6379
  // AUTH after connecting: as `user` with `password` (Redis 6+ ACL users, ops/redis/users.acl.in),
  // or with the password alone as the default user when `user` is empty; nothing when both are.
  std::string user;
  std::string password;
  // When not empty: the primary is whichever these Sentinels name for `primaryName` (host and
  // port above are then not used).
  std::vector<RedisAddress> sentinels;
  std::string primaryName = "mwp";
  // The Sentinels' own password (their requirepass), sent with AUTH before asking them; "" none.
  std::string sentinelPassword;
};

// Whether an error reply says the server cannot take the command now, though another (the new
// primary, or this one later) could: a failover, a load, a lost replica.
bool isUnavailableReply(const RedisReply& reply);

class Redis {
 public:
  explicit Redis(RedisEndpoint endpoint,
                 std::chrono::milliseconds connectDeadline = std::chrono::seconds(10));
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  // Registers a Lua script, loaded on every (re)connection; returns the handle for evalScript.
  size_t addScript(std::string source);
  // Registers a library of Redis Functions (its first line `#!lua name=…`), loaded with FUNCTION
  // LOAD REPLACE on every (re)connection: Redis keeps functions with its data (RDB, AOF) and
  // replicates them, so this only restores them on a server that lost them, or replaces an older
  // version. Call them with FCALL; the caller's user needs `function|load`.
  void addFunctionLibrary(std::string source);

  // Names a command the server may or may not have (one a module adds); asked on every
  // (re)connection with COMMAND INFO, since a failover may reach a server started without it.
  // Returns the handle for hasCommand.
  size_t addOptionalCommand(std::string name);
  // Whether the server of this connection has the command; connects first if needed (throws
  // RedisUnavailable when it cannot). No round trip once connected. A user that may not ask
  // (COMMAND INFO refused: no +command|info) is told no, with a warning logged per connection.
  bool hasCommand(size_t optionalCommand);
  // From now on until the next connection, hasCommand says no: the server refused the command
  // itself (the user may not run it, or it is gone since COMMAND INFO named it).
  void forgetCommand(size_t optionalCommand);

  RedisReply command(const RedisCommand& argv);
  // Sends every command, then reads every reply: one round trip. Replies are in command order.
  std::vector<RedisReply> pipeline(const std::vector<RedisCommand>& commands);

  // A pipeline in two halves, so the caller can work while Redis executes it: send() writes the
  // commands out without waiting and returns the pipeline's ticket; collect() waits for the
  // replies of the oldest pipeline sent and not yet collected. Several may be on their way; while
  // any is, command() and pipeline() are logic errors (use another Redis for other work). A lost
  // connection loses every pipeline sent on it: oldestSent() then no longer names them.
  uint64_t send(const std::vector<RedisCommand>& commands);
  uint64_t send(const RedisPipeline& pipeline);
  std::vector<RedisReply> pipeline(const RedisPipeline& pipeline);
  std::vector<RedisReply> collect();
  bool awaitingReplies() const { return !unread_.empty(); }
  std::optional<uint64_t> oldestSent() const {
    return unread_.empty() ? std::nullopt : std::optional(unread_.front().first);
  }
  // The EVALSHA command for a registered script, to put into a pipeline.
  // Connects first if needed, so the script's SHA is known.
  RedisCommand scriptCommand(size_t script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);

  // The next message Redis pushes on this connection unasked (after SUBSCRIBE: the channel's
  // messages), waiting up to `wait`; nullopt when none came. Throws RedisUnavailable when the
  // connection is lost (the subscription with it), never reconnects.
  std::optional<RedisReply> receive(std::chrono::milliseconds wait);

  bool connected() const { return context_ != nullptr; }
  const RedisEndpoint& endpoint() const { return endpoint_; }
  // Where this connection is, or was last: the endpoint's address, or the primary the Sentinels
  // named. For log lines.
  std::string address() const;

 private:
  void ensureConnected();
  // The primary's address, from the first Sentinel that answers; false (and why) when none does.
  bool askSentinels(RedisAddress& primary, std::string& error) const;
  // Throws RedisUnavailable, after dropping the connection, when `reply` is an unavailable reply.
  void checkAvailable(const RedisReply& reply);
  void ensureIdle() const;
  [[noreturn]] void lost(const std::string& what);
  // Writes `bytes` (whole commands) to the connection before returning; throws RedisUnavailable
  // (the connection dropped) when it cannot.
  void writeNow(const std::string& bytes);
  bool tryConnect(std::string& error);
  void drop();

  RedisEndpoint endpoint_;
  RedisAddress current_;  // where the connection goes (or went)
  std::chrono::milliseconds connectDeadline_;
  redisContext* context_ = nullptr;
  std::vector<std::string> scripts_;
  std::vector<std::string> functionLibraries_;
  std::vector<std::string> shas_;
  std::vector<std::string> optionalCommands_;
  std::vector<bool> present_;  // per optional command, on this connection
  Logger log_{"redis"};
  // The pipelines sent and not yet collected, oldest first: ticket and number of replies.
  std::deque<std::pair<uint64_t, size_t>> unread_;
  uint64_t tickets_ = 0;
};

// A sorted set's score as Redis reads it. Scores here are days and seconds: whole numbers skip
// printf's floating-point path, which was a tenth of the cost of writing a batch.
std::string scoreText(double score);

}  // namespace mwp
