// A raw TCP connection for the tests that act as a hostile HTTP client: it sends exactly the
// bytes given, as slowly as the test likes, from a chosen loopback address (127.0.0.2, …: Linux
// answers all of 127/8 on lo), so attackers and a normal client count as different addresses.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>

namespace mwp::test {

class RawConnection {
 public:
  RawConnection(int port, const std::string& from = "127.0.0.1") {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<uint16_t>(port));
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof peer) != 0) {
      close(fd_);
      fd_ = -1;
      return;
    }
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Whether the peer has closed or reset the connection, as far as sending has found.
  bool gone() const { return fd_ < 0 || gone_; }

  // Sends what the socket takes now, without waiting; the bytes taken (0 once the peer is gone).
  size_t sendSome(std::string_view bytes) {
    if (fd_ < 0) return 0;
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) gone_ = true;
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

  // What arrives within `timeout`, up to the end of one answer (its headers and Content-Length
  // bytes of body) or the peer's close.
  std::string receiveAnswer(std::chrono::milliseconds timeout) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0 && !completeAnswer(got)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) != 1) break;
      char buffer[16384];
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closedByPeer_ = true;
        break;
      }
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  }

  // Whether the peer closes the connection within `timeout` (what it sends meanwhile is read and
  // dropped).
  bool closedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0 && !closedByPeer_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) != 1) return false;
      char buffer[4096];
      if (recv(fd_, buffer, sizeof buffer, 0) <= 0) closedByPeer_ = true;
    }
    return closedByPeer_;
  }

 private:
  static bool completeAnswer(const std::string& got) {
    size_t end = got.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    size_t length = 0;
    for (std::string name : {"Content-Length: ", "content-length: "}) {
      size_t at = got.find(name);
      if (at != std::string::npos && at < end) length = std::stoul(got.substr(at + name.size()));
    }
    return got.size() >= end + 4 + length;
  }

  int fd_ = -1;
  bool closedByPeer_ = false;
  bool gone_ = false;
};

// The status code of an answer ("HTTP/1.1 401 …" → 401), 0 when there is none.
inline int statusOf(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

}  // namespace mwp::test
