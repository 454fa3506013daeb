// A small HTTP/1.1 server that a hostile client cannot lock: event-driven I/O (Boost.Beast on
// Asio, all of it inside http_server.cpp) on one or two threads, and complete requests handed to a
// pool of workers, so a connection holds a worker only while its handler runs — never while it
// is idle, slow to send, or slow to read its answer. Every wait has a total deadline (headers,
// body, answer), not a timeout restarted by each byte; connections are capped per client address
// and in total (503 and close, not a hang); headers are capped in count and bytes (431); the body
// is capped whatever its transfer encoding (413); and a check runs after the headers, before any
// body is read (a request refused there gets its answer without its body being read).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace mwp {
class Env;
}

namespace mwp::http {

// A request as a handler sees it. The member names are cpp-httplib's, which the handlers were
// written against.
struct Request {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> headers;
  std::multimap<std::string, std::string> params;  // the query's, percent-decoded
  std::string body;
  std::string remoteAddress;  // the peer's IP address
  std::smatch matches;        // the route's groups, set by whoever routes (over `path`)

  // The first value of the header named `name` (any case), or "".
  std::string get_header_value(const std::string& name) const;
  bool has_header(const std::string& name) const;
  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  std::string get_param_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void set_content(std::string content, const std::string& contentType);
  // Replaces a header of that name.
  void set_header(const std::string& name, const std::string& value);
  std::string get_header_value(const std::string& name) const;
};

// Threads that run handlers unless configured: two a core, at least four. Handlers mostly wait
// (Redis, ZeroMQ), so more threads than cores, but not many more: on a busy machine every thread
// woken is one more to schedule: 16 on two busy cores gave the gateway a 99th percentile about
// 1.6 times that of 4, though a higher rate when the cores were less busy (docs/performance.md,
// "The gateway on the event-driven HTTP server").
size_t defaultWorkers();

// Every limit, with the defaults in force unless configured (docs/security.md lists them).
struct ServerLimits {
  size_t ioThreads = 1;  // threads that read and write sockets; they never run a handler
  size_t workers = defaultWorkers();  // threads that run handlers
  size_t maxQueued = 1024;            // complete requests waiting for a worker; more: 503
  size_t maxConnections = 1024;
  size_t maxConnectionsPerAddress = 64;
  size_t maxHeaderCount = 100;
  size_t maxHeaderBytes = 16 * 1024;  // request line and headers together
  size_t maxBodyBytes = 1 << 20;      // after de-chunking; Content-Length or chunked alike
  std::chrono::milliseconds headerDeadline{5000};  // from the first byte to the end of headers
  std::chrono::milliseconds bodyDeadline{10000};   // from the end of headers to the end of body
  std::chrono::milliseconds writeDeadline{10000};  // for the whole answer
  std::chrono::milliseconds idleTimeout{30000};    // keep-alive: waiting for the next request
};

// `defaults` with what `prefix`THREADS, IO_THREADS, MAX_QUEUED, MAX_CONNECTIONS,
// MAX_CONNECTIONS_PER_ADDRESS, MAX_HEADERS, MAX_HEADER_BYTES, MAX_BODY_BYTES, HEADER_DEADLINE_MS,
// BODY_DEADLINE_MS, WRITE_DEADLINE_MS and IDLE_TIMEOUT_MS say (e.g. MWP_GATEWAY_MAX_BODY_BYTES).
ServerLimits limitsFromEnv(Env& env, const std::string& prefix, const ServerLimits& defaults);

class HttpServer {
 public:
  // Runs on a worker; may block (Redis, ZeroMQ). Thread-safe: many run at once.
  using Handler = std::function<void(Request&, Response&)>;
  // Runs on an I/O thread once the headers are in and before any body is read (`body` is
  // empty): returns the answer to give instead of reading the body and calling the handler, or
  // nullopt to go on. Must be quick and must not block (no Redis, no ZeroMQ). Thread-safe.
  using HeadersCheck = std::function<std::optional<Response>(const Request&)>;
  // The server's own refusals (400, 413, 431, 500, 503) with their reason, in Chinese and
  // English; unset: text/plain. Thread-safe.
  using Refusal = std::function<Response(int status, const std::string& reason)>;

  HttpServer(ServerLimits limits, Handler handler, HeadersCheck check = {}, Refusal refusal = {});
  ~HttpServer();  // stops

  // Binds host:port (0: any free port) and serves from its own threads. Returns the bound port;
  // throws std::runtime_error when it cannot bind.
  int listen(const std::string& host, int port);
  // Stops accepting, closes every connection, waits for running handlers. Idempotent.
  void stop();

  const ServerLimits& limits() const;

 private:
  struct Impl;
  friend class Session;  // a connection, in http_server.cpp
  std::unique_ptr<Impl> impl_;
};

}  // namespace mwp::http
