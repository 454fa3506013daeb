// The HTTP server's limits, each from the outside, as a client that breaks it would see them.
#include "http_server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "raw_http.h"

namespace mwp {
namespace {

using namespace std::chrono_literals;
using test::RawConnection;
using test::statusOf;

constexpr auto kAnswerWithin = 3000ms;  // generous: an answer, not a timing

// A server answering 200 with the size of the body it was given.
struct EchoServer {
  explicit EchoServer(http::ServerLimits limits, http::HttpServer::HeadersCheck check = {})
      : server(
            limits,
            [this](http::Request& req, http::Response& res) {
              ++handled;
              res.set_content(std::to_string(req.body.size()), "text/plain");
            },
            std::move(check)),
        port(server.listen("127.0.0.1", 0)) {}

  std::atomic<int> handled{0};
  http::HttpServer server;
  int port;
};

std::string get(const std::string& extraHeaders = "") {
  return "GET / HTTP/1.1\r\nHost: t\r\n" + extraHeaders + "\r\n";
}

int answerTo(int port, const std::string& request) {
  RawConnection c(port);
  c.sendSome(request);
  return statusOf(c.receiveAnswer(kAnswerWithin));
}

// Two handler threads a core, at least four: more would only be more threads to wake on a busy
// machine (docs/performance.md).
TEST(HttpServer, ItsDefaultWorkersAreTwoACoreAtLeastFour) {
  EXPECT_EQ(http::ServerLimits{}.workers,
            std::max<size_t>(4, 2 * std::thread::hardware_concurrency()));
}

TEST(HttpServer, TooManyOrTooLargeHeadersAreAnswered431) {
  http::ServerLimits limits;
  limits.maxHeaderCount = 10;
  limits.maxHeaderBytes = 2048;
  EchoServer echo(limits);
  std::string nine, eleven;
  for (int i = 0; i < 8; ++i) nine += "X-" + std::to_string(i) + ": v\r\n";  // + Host: 9
  eleven = nine + "X-a: v\r\nX-b: v\r\n";
  EXPECT_EQ(answerTo(echo.port, get(nine)), 200);
  EXPECT_EQ(answerTo(echo.port, get(eleven)), 431);
  EXPECT_EQ(answerTo(echo.port, get("X-Big: " + std::string(4096, 'a') + "\r\n")), 431);
  EXPECT_EQ(echo.handled, 1);
}

TEST(HttpServer, TheBodyLimitHoldsForChunkedAndContentLengthAlike) {
  http::ServerLimits limits;
  limits.maxBodyBytes = 1000;
  EchoServer echo(limits);
  auto chunked = [](int chunks, int size) {
    std::string r = "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    char head[16];
    snprintf(head, sizeof head, "%x\r\n", size);
    for (int i = 0; i < chunks; ++i) r += head + std::string(size, 'b') + "\r\n";
    return r + "0\r\n\r\n";
  };
  RawConnection small(echo.port);
  small.sendSome(chunked(2, 400));
  std::string answer = small.receiveAnswer(kAnswerWithin);
  EXPECT_EQ(statusOf(answer), 200);
  EXPECT_EQ(answer.substr(answer.size() - 3), "800") << "the handler had the whole body";
  EXPECT_EQ(answerTo(echo.port, chunked(3, 500)), 413);
  EXPECT_EQ(answerTo(echo.port, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1500\r\n\r\n" +
                                    std::string(1500, 'c')),
            413);
  EXPECT_EQ(echo.handled, 1);
}

TEST(HttpServer, TheHeadersCheckAnswersBeforeAnyBodyIsRead) {
  EchoServer echo({}, [](const http::Request& req) -> std::optional<http::Response> {
    if (!req.get_header_value("Authorization").empty()) return std::nullopt;
    http::Response refused;
    refused.status = 401;
    return refused;
  });
  // Headers that announce a large body, and no byte of it: the answer comes all the same, and the
  // connection is closed without waiting for the body.
  RawConnection c(echo.port);
  c.sendSome("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n\r\n");
  EXPECT_EQ(statusOf(c.receiveAnswer(kAnswerWithin)), 401);
  EXPECT_TRUE(c.closedWithin(kAnswerWithin));
  EXPECT_EQ(echo.handled, 0);
  EXPECT_EQ(answerTo(echo.port,
                     "POST / HTTP/1.1\r\nHost: t\r\nAuthorization: x\r\n"
                     "Content-Length: 2\r\n\r\nok"),
            200);
}

TEST(HttpServer, ConnectionsBeyondTheCapsAreAnswered503) {
  http::ServerLimits limits;
  limits.maxConnectionsPerAddress = 2;
  limits.maxConnections = 3;
  EchoServer echo(limits);
  RawConnection a1(echo.port, "127.0.0.2"), a2(echo.port, "127.0.0.2");
  RawConnection a3(echo.port, "127.0.0.2");
  EXPECT_EQ(statusOf(a3.receiveAnswer(kAnswerWithin)), 503) << "a third from one address";
  RawConnection b1(echo.port, "127.0.0.3");
  b1.sendSome(get());
  EXPECT_EQ(statusOf(b1.receiveAnswer(kAnswerWithin)), 200) << "another address still gets in";
  RawConnection c1(echo.port, "127.0.0.4");
  EXPECT_EQ(statusOf(c1.receiveAnswer(kAnswerWithin)), 503) << "a fourth in all";
}

TEST(HttpServer, TheHeadersDeadlineIsNotRestartedByEachByte) {
  http::ServerLimits limits;
  limits.headerDeadline = 500ms;
  EchoServer echo(limits);
  RawConnection slow(echo.port);
  slow.sendSome("GET / HTTP/1.1\r\n");
  // A header line every 100 ms would keep a timeout restarted per byte from ever firing.
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    slow.sendSome("X-Slow-" + std::to_string(i) + ": 1\r\n");
    closed = slow.closedWithin(100ms);
  }
  EXPECT_TRUE(closed) << "still open after 4 s of slow headers";
  EXPECT_EQ(echo.handled, 0);
}

}  // namespace
}  // namespace mwp
