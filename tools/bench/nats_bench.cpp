// mwp-bench-nats: the peer the bus's ingest is compared with — NATS JetStream (Debian's
// nats-server, file storage) storing the same frames durably, de-duplicated by Nats-Msg-Id (the
// eventId) over 30 days, published asynchronously with up to --window acknowledgements
// outstanding, as the bus's publisher does. Speaks the NATS protocol over one TCP connection; no
// client library is packaged for Debian. Debian's nats-server 2.9 syncs its files to disk every
// two minutes (fixed in 2.9): an acknowledged message has reached the kernel, not yet the disk.
// --duplicates and --one-at-a-time as mwp-bench-ingest's; JetStream answers a re-sent id and a
// reused id with other content alike, "duplicate" (counted). With MWP_NATS_TLS=1 the connection
// is TLS (OpenSSL; a nats-server started with --tls asks for it in its INFO), to compare with the
// bus's CurveZMQ like for like: encrypted both ways. The server's certificate is not verified —
// a benchmark on 127.0.0.1, not a client to copy.
//   MWP_NATS_PORT=4222 [MWP_NATS_TLS=1] mwp-bench-nats FIXTURE.ndjson [--events N] [--runs R]
//       [--window W] [--duplicates] [--one-at-a-time] [--cpu-of …]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_support.h"
#include "frames.h"

namespace {

// One NATS connection: writes commands, reads the server's MSG / PING / -ERR lines.
class NatsConnection {
 public:
  NatsConnection(int port, bool tls) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot reach nats-server on port " + std::to_string(port));
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    line();  // INFO, in plain text even when TLS follows (nats-server 2.9)
    if (tls) startTls();
    send(
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n"
        "SUB _INBOX.bench.* 1\r\nPING\r\n");
    flush();
    while (line() != "PONG") {
    }
  }
  ~NatsConnection() {
    if (ssl_) SSL_free(ssl_);
    if (tlsContext_) SSL_CTX_free(tlsContext_);
    close(fd_);
  }

  void send(const std::string& text) { out_ += text; }
  void flush() {
    for (size_t done = 0; done < out_.size();) {
      ssize_t n = ssl_ ? SSL_write(ssl_, out_.data() + done, static_cast<int>(out_.size() - done))
                       : write(fd_, out_.data() + done, out_.size() - done);
      if (n <= 0) throw std::runtime_error("nats-server closed the connection");
      done += static_cast<size_t>(n);
    }
    out_.clear();
  }

  // The payload of the next MSG (answering PINGs on the way); throws on -ERR.
  std::string nextMessage() {
    for (;;) {
      std::string l = line();
      if (l == "PING") {
        send("PONG\r\n");
        flush();
        continue;
      }
      if (l.rfind("-ERR", 0) == 0) throw std::runtime_error("nats-server: " + l);
      if (l.rfind("MSG ", 0) != 0) continue;  // +OK, INFO
      size_t length = std::stoul(l.substr(l.rfind(' ') + 1));
      std::string payload = bytes(length + 2);
      return payload.substr(0, length);
    }
  }

 private:
  void fill() {
    char buffer[65536];
    ssize_t n = ssl_ ? SSL_read(ssl_, buffer, sizeof buffer) : read(fd_, buffer, sizeof buffer);
    if (n <= 0) throw std::runtime_error("nats-server closed the connection");
    in_.append(buffer, static_cast<size_t>(n));
  }
  std::string line() {
    size_t end;
    while ((end = in_.find("\r\n", start_)) == std::string::npos) fill();
    std::string l = in_.substr(start_, end - start_);
    start_ = end + 2;
    compact();
    return l;
  }
  std::string bytes(size_t n) {
    while (in_.size() - start_ < n) fill();
    std::string b = in_.substr(start_, n);
    start_ += n;
    compact();
    return b;
  }
  void compact() {
    if (start_ > 65536) {
      in_.erase(0, start_);
      start_ = 0;
    }
  }

  void startTls() {
    tlsContext_ = SSL_CTX_new(TLS_client_method());
    ssl_ = tlsContext_ ? SSL_new(tlsContext_) : nullptr;
    if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1 || SSL_connect(ssl_) != 1) {
      char why[256] = "no SSL context";
      ERR_error_string_n(ERR_get_error(), why, sizeof why);
      throw std::runtime_error(std::string("TLS with nats-server failed: ") + why);
    }
  }

  int fd_;
  SSL_CTX* tlsContext_ = nullptr;
  SSL* ssl_ = nullptr;  // when the connection is TLS
  std::string in_, out_;
  size_t start_ = 0;
};

std::string hpub(const std::string& subject, const std::string& reply, const std::string& msgId,
                 const std::string& payload) {
  std::string headers = "NATS/1.0\r\nNats-Msg-Id: " + msgId + "\r\n\r\n";
  return "HPUB " + subject + " " + reply + " " + std::to_string(headers.size()) + " " +
         std::to_string(headers.size() + payload.size()) + "\r\n" + headers + payload + "\r\n";
}

int measure(const mwp::bench::BenchOptions& options) {
  using namespace mwp;
  const char* port = std::getenv("MWP_NATS_PORT");
  const char* tls = std::getenv("MWP_NATS_TLS");
  NatsConnection nats(port ? std::atoi(port) : 4222, tls && std::string(tls) == "1");
  // Each row on an empty stream, as each of mwp's starts on an empty Redis: a stream left by an
  // earlier row would make JetStream's de-duplication remember its ids too (the answer to the
  // delete, "not found" the first time, is read and set aside).
  nats.send("PUB $JS.API.STREAM.DELETE.MWP _INBOX.bench.delete 0\r\n\r\n");
  nats.flush();
  nats.nextMessage();
  // The stream: file storage, one subject per partition, eventIds remembered for 30 days.
  std::string config =
      R"({"name":"MWP","subjects":["mwp.>"],"storage":"file","duplicate_window":2592000000000000})";
  nats.send("PUB $JS.API.STREAM.CREATE.MWP _INBOX.bench.create " + std::to_string(config.size()) +
            "\r\n" + config + "\r\n");
  nats.flush();
  std::string created = nats.nextMessage();
  if (created.find("\"error\"") != std::string::npos) {
    std::cerr << "creating the stream failed: " << created << "\n";
    return 1;
  }

  return bench::reportRuns(
      options, "answered by JetStream", [&](size_t run) -> std::optional<bench::RunResult> {
        auto plan = bench::sendPlan(options, "nats", run);
        const auto& messages = plan.frames;
        // One at a time, each message waits for the last one's answer.
        const size_t window = options.oneAtATime ? 1 : options.window;
        std::vector<double> latencies;
        std::chrono::steady_clock::time_point lastSent;
        size_t sent = 0, acked = 0, duplicates = 0;
        bench::RunClock clock(options);
        while (acked < messages.size()) {
          while (sent < messages.size() && sent - acked < window) {
            const auto& m = messages[sent];
            nats.send(hpub("mwp." + std::to_string(sent % 8),
                           "_INBOX.bench." + std::to_string(sent), m.eventId, m.frame));
            ++sent;
          }
          nats.flush();
          lastSent = std::chrono::steady_clock::now();
          // Acknowledgements in batches, as the bus's publisher takes its answers.
          for (size_t n = std::min<size_t>(64, sent - acked); n > 0; --n, ++acked) {
            std::string ack = nats.nextMessage();
            if (ack.find("\"error\"") != std::string::npos) {
              std::cerr << "not stored: " << ack << "\n";
              return std::nullopt;
            }
            // JetStream answers a known Nats-Msg-Id "duplicate" whatever the content: it cannot
            // tell a re-sent event from another one under a used eventId.
            if (ack.find("\"duplicate\"") != std::string::npos) ++duplicates;
          }
          if (options.oneAtATime) latencies.push_back(bench::secondsSince(lastSent));
        }
        auto result = clock.stop(messages.size());
        result.latencies = std::move(latencies);
        if (options.duplicates) {
          std::cout << "answers: " << messages.size() - duplicates << " stored, " << duplicates
                    << " duplicate (sent " << plan.fresh << " new, " << plan.resent << " re-sent, "
                    << plan.conflicting
                    << " reused eventIds with other content, answered as duplicates too)\n";
        }
        if (duplicates != plan.resent + plan.conflicting) {
          std::cerr << "expected " << plan.resent + plan.conflicting << " duplicate answers, got "
                    << duplicates << "\n";
          return std::nullopt;
        }
        return result;
      });
}

}  // namespace

int main(int argc, char** argv) {
  return mwp::bench::benchMain(
      argc, argv, "mwp-bench-nats",
      "The same events acknowledged by NATS JetStream (MWP_NATS_PORT, default 4222): file\n"
      "storage, a 30-day duplicate window, the same window of frames in flight.",
      true, measure);
}
