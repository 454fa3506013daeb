// All of Boost.Beast and Asio live in this file, behind HttpServer's pimpl, so that what includes
// http_server.h compiles as fast as before.
//
// A connection's life, on the I/O thread (one strand per connection):
//   wait for a first byte (idle timeout) → read the headers (one deadline for all of them) →
//   the headers check → read the body (one deadline for all of it) → hand the request to a
//   worker → (the worker runs the handler) → write the answer (one deadline) → again, or close.
// A refusal of the server itself (503, 431, 413, 400) or of the headers check is answered with
// `Connection: close`; the connection is then closed after a short, bounded discard of what the
// client still sends, so that its answer is not lost to a TCP reset (RFC 9112 §9.6).
#include "http_server.h"

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "config.h"

namespace mwp::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// After a refusal: how long, and how many bytes, the client's remaining request is read and
// thrown away before the connection is closed.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr size_t kLingerBytes = 64 * 1024;

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

bool sameName(std::string_view a, std::string_view b) {
  return beast::iequals(beast::string_view(a.data(), a.size()),
                        beast::string_view(b.data(), b.size()));
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.1; in a query (application/x-www-form-urlencoded) '+' is a space too.
std::string percentDecoded(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hexValue(s[i + 1])) >= 0 &&
        (lo = hexValue(s[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(plusIsSpace && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

std::multimap<std::string, std::string> queryParams(std::string_view query) {
  std::multimap<std::string, std::string> params;
  while (!query.empty()) {
    size_t end = query.find('&');
    std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    params.emplace(percentDecoded(pair.substr(0, eq), true),
                   eq == std::string_view::npos ? "" : percentDecoded(pair.substr(eq + 1), true));
  }
  return params;
}

Response plainRefusal(int status, const std::string& reason) {
  Response res;
  res.status = status;
  res.set_content(reason + "\n", "text/plain; charset=utf-8");
  return res;
}

// A fixed set of threads running jobs from one bounded queue.
class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t maxQueued) : maxQueued_(maxQueued) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~WorkerPool() { stop(); }

  // False when the queue is full or the pool stopped: the job is not run.
  bool post(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queue_.size() >= maxQueued_) return false;
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
  }

  // Waits for the running jobs; the queued ones are dropped.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      queue_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  const size_t maxQueued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

size_t defaultWorkers() {
  return std::max<size_t>(4, 2 * std::thread::hardware_concurrency());
}

ServerLimits limitsFromEnv(Env& env, const std::string& prefix, const ServerLimits& defaults) {
  ServerLimits l = defaults;
  auto count = [&](const char* name, size_t fallback, int64_t min, int64_t max, const char* help) {
    return static_cast<size_t>(
        env.integer(prefix + name, static_cast<int64_t>(fallback), min, max, help));
  };
  auto ms = [&](const char* name, std::chrono::milliseconds fallback, const char* help) {
    return std::chrono::milliseconds(
        env.integer(prefix + name, fallback.count(), 1, 3600000, help));
  };
  l.workers = count("THREADS", l.workers, 1, 1024, "threads that run requests");
  l.ioThreads = count("IO_THREADS", l.ioThreads, 1, 64, "threads that read and write sockets");
  l.maxQueued = count("MAX_QUEUED", l.maxQueued, 1, 1000000, "requests waiting for a thread");
  l.maxConnections = count("MAX_CONNECTIONS", l.maxConnections, 1, 1000000, "connections");
  l.maxConnectionsPerAddress = count("MAX_CONNECTIONS_PER_ADDRESS", l.maxConnectionsPerAddress, 1,
                                     1000000, "connections from one client address");
  l.maxHeaderCount = count("MAX_HEADERS", l.maxHeaderCount, 1, 10000, "headers a request");
  l.maxHeaderBytes =
      count("MAX_HEADER_BYTES", l.maxHeaderBytes, 1024, 1 << 20, "request line and headers");
  l.maxBodyBytes = count("MAX_BODY_BYTES", l.maxBodyBytes, 0, int64_t{1} << 30, "request body");
  l.headerDeadline = ms("HEADER_DEADLINE_MS", l.headerDeadline, "for all of a request's headers");
  l.bodyDeadline = ms("BODY_DEADLINE_MS", l.bodyDeadline, "for all of a request's body");
  l.writeDeadline = ms("WRITE_DEADLINE_MS", l.writeDeadline, "for all of an answer");
  l.idleTimeout = ms("IDLE_TIMEOUT_MS", l.idleTimeout, "a kept-alive connection's silence");
  return l;
}

std::string Request::get_header_value(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (sameName(n, name)) return v;
  return "";
}

bool Request::has_header(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (sameName(n, name)) return true;
  return false;
}

std::string Request::get_param_value(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

void Response::set_content(std::string content, const std::string& contentType) {
  body = std::move(content);
  set_header("Content-Type", contentType);
}

void Response::set_header(const std::string& name, const std::string& value) {
  for (auto& [n, v] : headers) {
    if (sameName(n, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

std::string Response::get_header_value(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (sameName(n, name)) return v;
  return "";
}

class Session;

struct HttpServer::Impl {
  Impl(ServerLimits l, Handler h, HeadersCheck c, Refusal r)
      : limits(l),
        handler(std::move(h)),
        check(std::move(c)),
        refused(r ? std::move(r) : plainRefusal),
        workers(l.workers, l.maxQueued) {}

  // Counts a new connection from `address`; false when a cap is reached (it is not counted).
  bool admit(const std::string& address) {
    std::lock_guard lock(mutex);
    size_t& mine = perAddress[address];
    if (total >= limits.maxConnections || mine >= limits.maxConnectionsPerAddress) {
      if (mine == 0) perAddress.erase(address);
      return false;
    }
    ++mine;
    ++total;
    return true;
  }
  void release(const std::string& address) {
    std::lock_guard lock(mutex);
    --total;
    if (--perAddress[address] == 0) perAddress.erase(address);
  }

  void accept();

  const ServerLimits limits;
  const Handler handler;
  const HeadersCheck check;
  const Refusal refused;
  // Declared before `io`: sessions destroyed with `io` still release their counts.
  std::mutex mutex;
  std::map<std::string, size_t> perAddress;
  size_t total = 0;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer acceptPause{io};
  std::vector<std::thread> ioThreads;
  WorkerPool workers;  // declared after `io`: joined before `io` goes
  bool stopped = false;
};

// One connection. Its handlers run on its strand; a worker holds it only through the answer it
// posts back.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, tcp::socket socket, std::string address, bool admitted)
      : server_(server),
        stream_(std::move(socket)),
        buffer_(server.limits.maxHeaderBytes + 64 * 1024),
        address_(std::move(address)),
        admitted_(admitted) {}
  ~Session() {
    if (admitted_) server_.release(address_);
  }

  void start() {
    if (!admitted_) {
      answer(server_.refused(503, "连接过多，请稍后再试 / too many connections; try again shortly"),
             true);
      return;
    }
    readHeaders();  // the first request's header deadline runs from the accept
  }

 private:
  void waitForNextRequest() {
    if (buffer_.size() > 0) return readHeaders();
    stream_.expires_after(server_.limits.idleTimeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->readHeaders();
                            });
  }

  void readHeaders() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.limits.maxHeaderBytes));
    // The body limit is set once the headers check has passed: a refused request gets its
    // refusal (401), not a 413 for a body that would never have been read.
    // (Not boost::none: Beast 1.74 compares a Content-Length with it as larger than any limit.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(server_.limits.headerDeadline);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->onHeaders(ec); });
  }

  // A failed read's answer: nothing when the client is gone or too slow (the stream is closed),
  // else the limit it broke.
  void refuseRead(beast::error_code ec) {
    if (ec == bhttp::error::header_limit)
      return answer(
          server_.refused(431, "请求头过大 / request headers too large: at most " +
                                   std::to_string(server_.limits.maxHeaderBytes) + " bytes"),
          true);
    if (ec == bhttp::error::body_limit)
      return answer(
          server_.refused(413, "请求体过大 / request body too large: at most " +
                                   std::to_string(server_.limits.maxBodyBytes) + " bytes"),
          true);
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return answer(server_.refused(400, "请求格式错误 / malformed HTTP request"), true);
    close();
  }

  void onHeaders(beast::error_code ec) {
    if (ec) return refuseRead(ec);
    const auto& head = parser_->get();
    if (static_cast<size_t>(std::distance(head.begin(), head.end())) >
        server_.limits.maxHeaderCount)
      return answer(server_.refused(431, "请求头过多 / too many request headers: at most " +
                                             std::to_string(server_.limits.maxHeaderCount)),
                    true);
    request_ = std::make_shared<Request>();
    request_->method = std::string(head.method_string());
    request_->target = std::string(head.target());
    std::string_view target = view(head.target());
    size_t q = target.find('?');
    request_->path = percentDecoded(target.substr(0, q), false);
    if (q != std::string_view::npos) request_->params = queryParams(target.substr(q + 1));
    for (const auto& field : head)
      request_->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request_->remoteAddress = address_;
    version_ = head.version();
    clientKeepsAlive_ = head.keep_alive();  // read now: the body's release empties the message

    if (server_.check) {
      if (auto refused = server_.check(*request_)) {
        // Without a body to skip, the connection can stay; otherwise it is closed unread.
        return answer(std::move(*refused), !parser_->is_done());
      }
    }
    if (parser_->is_done()) return dispatch();
    // Content-Length is checked here, chunks as they come (the parser's limit).
    auto announced = parser_->content_length();
    if (announced && *announced > server_.limits.maxBodyBytes)
      return refuseRead(bhttp::error::body_limit);
    parser_->body_limit(server_.limits.maxBodyBytes);
    if (sameName(view(head[bhttp::field::expect]), "100-continue")) {
      continue_.emplace(bhttp::status::continue_, head.version());
      stream_.expires_after(server_.limits.writeDeadline);
      return bhttp::async_write(stream_, *continue_,
                                [self = shared_from_this()](beast::error_code ec, size_t) {
                                  if (ec) return self->close();
                                  self->readBody();
                                });
    }
    readBody();
  }

  void readBody() {
    stream_.expires_after(server_.limits.bodyDeadline);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->refuseRead(ec);
                        self->dispatch();
                      });
  }

  // The complete request goes to a worker; its answer comes back to this strand.
  void dispatch() {
    request_->body = parser_->release().body();
    stream_.expires_never();  // the handler's time is the handler's; the answer has a deadline
    auto job = [self = shared_from_this(), request = std::move(request_)]() mutable {
      Response res;
      try {
        self->server_.handler(*request, res);
      } catch (const std::exception&) {
        res = self->server_.refused(500, "内部错误 / internal error");
      }
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->answer(std::move(res), false); });
    };
    if (!server_.workers.post(std::move(job)))
      answer(server_.refused(503, "服务器繁忙，请稍后再试 / the server is busy; try again shortly"),
             true);
  }

  void answer(Response res, bool close) {
    bool keepAlive = !close && clientKeepsAlive_;
    answer_ = {};
    answer_.version(version_);
    answer_.result(static_cast<unsigned>(res.status));
    for (auto& [name, value] : res.headers) answer_.insert(name, value);
    if (res.status == 503 && res.get_header_value("Retry-After").empty())
      answer_.set(bhttp::field::retry_after, "1");
    answer_.body() = std::move(res.body);
    answer_.keep_alive(keepAlive);
    answer_.prepare_payload();
    stream_.expires_after(server_.limits.writeDeadline);
    bhttp::async_write(stream_, answer_,
                       [self = shared_from_this(), keepAlive](beast::error_code ec, size_t) {
                         if (ec) return self->close();
                         if (keepAlive) return self->waitForNextRequest();
                         self->linger();
                       });
  }

  // Half-closes, then reads and drops what the client still sends, within bounds.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    discard();
  }
  void discard() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ >= kLingerBytes) return self->close();
                              self->discard();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string address_;
  const bool admitted_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Request> request_;  // shared: a std::function job must be copyable
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  unsigned version_ = 11;          // of the request being answered
  bool clientKeepsAlive_ = false;  // whether its client asked to keep the connection
  bhttp::response<bhttp::string_body> answer_;
  std::array<char, 4096> scratch_;
  size_t lingered_ = 0;
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // stopped
    if (ec) {
      // Out of descriptors, most likely: the client's loss, not the server's end. Accepting
      // again at once would spin; a moment later, connections may have closed.
      acceptPause.expires_after(std::chrono::milliseconds(50));
      acceptPause.async_wait([this](beast::error_code e) {
        if (!e) accept();
      });
      return;
    }
    beast::error_code peerError;
    auto peer = socket.remote_endpoint(peerError);
    if (!peerError) {
      std::string address = peer.address().to_string();
      bool admitted = admit(address);
      socket.set_option(tcp::no_delay(true), peerError);
      std::make_shared<Session>(*this, std::move(socket), std::move(address), admitted)->start();
    }
    accept();
  });
}

HttpServer::HttpServer(ServerLimits limits, Handler handler, HeadersCheck check, Refusal refusal)
    : impl_(std::make_unique<Impl>(limits, std::move(handler), std::move(check),
                                   std::move(refusal))) {}

HttpServer::~HttpServer() {
  stop();
}

const ServerLimits& HttpServer::limits() const {
  return impl_->limits;
}

int HttpServer::listen(const std::string& host, int port) {
  auto& a = impl_->acceptor;
  try {
    tcp::endpoint endpoint(asio::ip::make_address(host), static_cast<unsigned short>(port));
    a.open(endpoint.protocol());
    a.set_option(asio::socket_base::reuse_address(true));
    a.bind(endpoint);
    a.listen(asio::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             e.what());
  }
  int bound = a.local_endpoint().port();
  impl_->accept();
  for (size_t i = 0; i < std::max<size_t>(1, impl_->limits.ioThreads); ++i)
    impl_->ioThreads.emplace_back([this] { impl_->io.run(); });
  return bound;
}

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->io.stop();
  for (auto& t : impl_->ioThreads)
    if (t.joinable()) t.join();
  impl_->workers.stop();
}

}  // namespace mwp::http
