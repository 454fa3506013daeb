#include "redis.h"

#include <hiredis/hiredis.h>
#include <hiredis/sds.h>
#include <sys/socket.h>
#include <poll.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <csignal>
#include <thread>

namespace mwp {
namespace {

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

void append(redisContext* c, const std::string& formatted) {
  if (redisAppendFormattedCommand(c, formatted.data(), formatted.size()) != REDIS_OK)
    throw RedisUnavailable("out of memory for a command");
}

bool startsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// A short-lived connection, for asking a Sentinel; nullptr (and why) when it cannot be made.
redisContext* connectTo(const RedisAddress& address, timeval timeout, std::string& error) {
  redisContext* c = redisConnectWithTimeout(address.host.c_str(), address.port, timeout);
  if (!c || c->err) {
    error = address.host + ":" + std::to_string(address.port) + ": " +
            (c ? c->errstr : "cannot allocate a connection");
    if (c) redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, timeout);
  return c;
}

}  // namespace

std::vector<RedisAddress> parseRedisAddresses(const std::string& text) {
  std::vector<RedisAddress> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string entry = text.substr(start, comma == std::string::npos ? comma : comma - start);
    size_t colon = entry.rfind(':');
    std::string port = colon == std::string::npos ? "" : entry.substr(colon + 1);
    if (colon == 0 || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535) {
      throw std::invalid_argument("\"" + entry + "\" is not host:port");
    }
    out.push_back({entry.substr(0, colon), std::stoi(port)});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool isUnavailableReply(const RedisReply& reply) {
  return reply.isError() &&
         (startsWith(reply.str, "READONLY") || startsWith(reply.str, "LOADING") ||
          startsWith(reply.str, "MASTERDOWN") || startsWith(reply.str, "NOREPLICAS"));
}

Redis::Redis(RedisEndpoint endpoint, std::chrono::milliseconds connectDeadline)
    : endpoint_(std::move(endpoint)),
      current_{endpoint_.host, endpoint_.port},
      connectDeadline_(connectDeadline) {
  // hiredis writes with write(2): to a connection Redis has closed, that raises SIGPIPE, which
  // would end the process instead of failing the call as a lost connection. ZeroMQ already sends
  // without it; nothing in mwp wants the signal.
  static const bool ignored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
  (void)ignored;
}

Redis::~Redis() {
  drop();
}

void Redis::drop() {
  if (context_) redisFree(context_);
  context_ = nullptr;
  unread_.clear();
}

size_t Redis::addScript(std::string source) {
  scripts_.push_back(std::move(source));
  drop();  // the next call connects and loads every script, this one included
  return scripts_.size() - 1;
}

size_t Redis::addOptionalCommand(std::string name) {
  optionalCommands_.push_back(std::move(name));
  drop();  // the next call connects and asks after every optional command, this one included
  return optionalCommands_.size() - 1;
}

bool Redis::hasCommand(size_t optionalCommand) {
  ensureConnected();
  return present_.at(optionalCommand);
}

void Redis::forgetCommand(size_t optionalCommand) {
  if (optionalCommand < present_.size()) present_[optionalCommand] = false;
}

void Redis::addFunctionLibrary(std::string source) {
  functionLibraries_.push_back(std::move(source));
  drop();  // the next call connects and loads it
}

std::string Redis::address() const {
  return current_.host + ":" + std::to_string(current_.port);
}

bool Redis::askSentinels(RedisAddress& primary, std::string& error) const {
  for (const auto& sentinel : endpoint_.sentinels) {
    std::string why;
    redisContext* c = connectTo(sentinel, timeval{1, 0}, why);
    if (!c) {
      error += (error.empty() ? "" : "; ") + why;
      continue;
    }
    std::string where = sentinel.host + ":" + std::to_string(sentinel.port);
    if (!endpoint_.sentinelPassword.empty()) {
      auto* auth = static_cast<redisReply*>(redisCommand(
          c, "AUTH %b", endpoint_.sentinelPassword.data(), endpoint_.sentinelPassword.size()));
      bool refused = !auth || auth->type == REDIS_REPLY_ERROR;
      if (auth) freeReplyObject(auth);
      if (refused) {
        error += (error.empty() ? "" : "; ") + where + ": refused the Sentinels' password";
        redisFree(c);
        continue;
      }
    }
    auto* raw = static_cast<redisReply*>(redisCommand(
        c, "SENTINEL get-master-addr-by-name %s", endpoint_.primaryName.c_str()));
    bool found = raw && raw->type == REDIS_REPLY_ARRAY && raw->elements == 2;
    if (found) {
      primary.host.assign(raw->element[0]->str, raw->element[0]->len);
      primary.port = std::atoi(raw->element[1]->str);
    } else {
      error += (error.empty() ? "" : "; ") + where + ": " +
               (raw && raw->type == REDIS_REPLY_ERROR
                    ? std::string(raw->str, raw->len)
                    : "knows no primary named " + endpoint_.primaryName);
    }
    if (raw) freeReplyObject(raw);
    redisFree(c);
    if (found) return true;
  }
  return false;
}

bool Redis::tryConnect(std::string& error) {
  error.clear();
  if (!endpoint_.sentinels.empty()) {
    RedisAddress primary;
    if (!askSentinels(primary, error)) return false;
    current_ = primary;
  }
  redisContext* c = connectTo(current_, timeval{2, 0}, error);
  if (!c) return false;
  redisSetTimeout(c, timeval{5, 0});
  context_ = c;
  try {
    if (!endpoint_.user.empty() || !endpoint_.password.empty()) {
      RedisCommand auth{"AUTH", endpoint_.password};
      if (!endpoint_.user.empty()) auth.insert(auth.begin() + 1, endpoint_.user);
      // The reply names neither the user's password nor anything else secret: safe to log.
      auto answer = command(auth);
      if (answer.isError()) {
        throw RedisUnavailable("AUTH as " + (endpoint_.user.empty() ? "default" : endpoint_.user) +
                               " refused: " + answer.str);
      }
    }
    // A Sentinel may name a primary before it has been promoted, or after it was demoted and
    // before it has heard: Sentinel's client protocol is to check the role of what it named.
    if (!endpoint_.sentinels.empty()) {
      auto role = command({"ROLE"});
      if (role.elements.empty() || role.elements[0].str != "master") {
        throw RedisUnavailable(address() + " is not a primary (yet)");
      }
    }
    shas_.clear();
    for (const auto& script : scripts_) {
      auto loaded = command({"SCRIPT", "LOAD", script});
      if (loaded.isError()) throw RedisUnavailable("SCRIPT LOAD failed: " + loaded.str);
      shas_.push_back(loaded.str);
    }
    for (const auto& library : functionLibraries_) {
      auto loaded = command({"FUNCTION", "LOAD", "REPLACE", library});
      if (loaded.isError()) throw RedisUnavailable("FUNCTION LOAD failed: " + loaded.str);
    }
    present_.clear();
    for (const auto& name : optionalCommands_) {
      // One answer per name: an array describing it, or nil when the server has no such command.
      auto info = command({"COMMAND", "INFO", name});
      if (info.isError()) {
        // A user without +command|info (NOPERM): the command is taken as absent, so that its
        // caller uses what it has without it, rather than the connection as failed for ever.
        log_.warn("COMMAND INFO refused: taking the command as absent on this connection",
                  {{"command", name}, {"redis", address()}, {"error", info.str}});
        present_.push_back(false);
        continue;
      }
      present_.push_back(info.elements.size() == 1 && !info.elements[0].isNil());
    }
  } catch (const RedisUnavailable& e) {
    error = e.what();
    drop();
    return false;
  }
  return true;
}

void Redis::ensureConnected() {
  if (context_) return;
  auto deadline = std::chrono::steady_clock::now() + connectDeadline_;
  auto backoff = std::chrono::milliseconds(50);
  std::string error;
  while (!tryConnect(error)) {
    if (std::chrono::steady_clock::now() + backoff > deadline) {
      throw RedisUnavailable("Redis at " + address() + " unreachable: " + error);
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

void Redis::ensureIdle() const {
  if (!unread_.empty())
    throw std::logic_error("Redis: a call while a sent pipeline awaits collect()");
}

// The connection cannot be trusted any more (the outcome of what was sent is unknown): dropped,
// and the next call connects afresh.
void Redis::lost(const std::string& what) {
  std::string error = context_ && context_->err ? context_->errstr : "no reply";
  drop();
  throw RedisUnavailable("Redis connection lost" + what + ": " + error);
}

RedisReply Redis::command(const RedisCommand& argv) {
  ensureIdle();
  ensureConnected();
  RedisPipeline formatted;
  formatted.add(argv);
  append(context_, formatted.bytes());
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || !raw) lost("");
  auto reply = convert(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  checkAvailable(reply);
  return reply;
}

void Redis::checkAvailable(const RedisReply& reply) {
  if (!isUnavailableReply(reply)) return;
  drop();
  throw RedisUnavailable("Redis at " + address() + " cannot take it now: " + reply.str);
}

// Formatting here, into one buffer for a whole pipeline, spares hiredis's formatting, which
// allocates for every argument.
RedisPipeline RedisPipeline::of(const std::vector<RedisCommand>& commands) {
  size_t size = 0;
  for (const auto& c : commands) {
    for (const auto& a : c) size += a.size() + 16;
  }
  RedisPipeline pipeline;
  pipeline.reserve(size);
  for (const auto& c : commands) pipeline.add(c);
  return pipeline;
}

void RedisPipeline::add(const RedisCommand& argv) {
  begin(argv.size());
  for (const auto& a : argv) argument(a);
}

void RedisPipeline::begin(size_t arguments) {
  bytes_ += '*';
  bytes_ += std::to_string(arguments);
  bytes_ += "\r\n";
  ++commands_;
}

void RedisPipeline::argument(std::string_view bytes) {
  bytes_ += '$';
  bytes_ += std::to_string(bytes.size());
  bytes_ += "\r\n";
  bytes_ += bytes;
  bytes_ += "\r\n";
}

std::vector<RedisReply> Redis::pipeline(const std::vector<RedisCommand>& commands) {
  return pipeline(RedisPipeline::of(commands));
}

std::vector<RedisReply> Redis::pipeline(const RedisPipeline& pipeline) {
  ensureIdle();
  send(pipeline);
  return collect();
}

uint64_t Redis::send(const std::vector<RedisCommand>& commands) {
  return send(RedisPipeline::of(commands));
}

uint64_t Redis::send(const RedisPipeline& pipeline) {
  ensureConnected();
  writeNow(pipeline.bytes());
  unread_.emplace_back(++tickets_, pipeline.commands());
  return tickets_;
}

void Redis::writeNow(const std::string& bytes) {
  // Out now, not on the first read: Redis starts on it while the caller works. Straight from the
  // caller's buffer when hiredis holds nothing unsent, as between pipelines: handed to hiredis, a
  // batch's ~100 KiB were copied into a buffer it frees once written, so every batch paid a copy
  // and the kernel's zeroing of fresh pages (most of the bus's page faults).
  if (sdslen(context_->obuf) == 0) {
    for (size_t written = 0; written < bytes.size();) {
      ssize_t n = ::send(context_->fd, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        std::string why = n < 0 ? std::strerror(errno) : "nothing written";
        drop();
        throw RedisUnavailable("Redis connection lost sending a pipeline: " + why);
      }
      written += static_cast<size_t>(n);
    }
    return;
  }
  append(context_, bytes);
  for (int done = 0; !done;) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) lost(" sending a pipeline");
  }
}

std::vector<RedisReply> Redis::collect() {
  if (unread_.empty()) throw std::logic_error("Redis: collect() with nothing sent");
  std::vector<RedisReply> replies;
  replies.reserve(unread_.front().second);
  while (replies.size() < unread_.front().second) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || !raw) lost(" in a pipeline");
    replies.push_back(convert(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  unread_.pop_front();
  // Read whole first, so the connection stays in step if it is kept; a transaction queued on a
  // demoted primary answers -READONLY per command, then -EXECABORT.
  for (const auto& reply : replies) checkAvailable(reply);
  return replies;
}

std::optional<RedisReply> Redis::receive(std::chrono::milliseconds wait) {
  if (!context_) throw RedisUnavailable("not connected, so not subscribed");
  void* raw = nullptr;
  // A message may already sit in hiredis's buffer, read along with the one before it.
  bool ok = redisGetReplyFromReader(context_, &raw) == REDIS_OK;
  if (ok && !raw) {
    pollfd readable{context_->fd, POLLIN, 0};
    int ready = poll(&readable, 1, static_cast<int>(wait.count()));
    if (ready == 0 || (ready < 0 && errno == EINTR)) return std::nullopt;
    ok = ready > 0 && redisGetReply(context_, &raw) == REDIS_OK && raw;
  }
  if (!ok) {
    std::string error = context_->err ? context_->errstr : "poll failed";
    drop();
    throw RedisUnavailable("Redis connection lost: " + error);
  }
  auto reply = convert(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

RedisCommand Redis::scriptCommand(size_t script, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) {
  ensureConnected();
  RedisCommand argv = {"EVALSHA", shas_.at(script)};
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string scoreText(double score) {
  if (score == std::floor(score) && std::fabs(score) < 1e15)
    return std::to_string(static_cast<int64_t>(score));
  return std::to_string(score);
}

}  // namespace mwp
