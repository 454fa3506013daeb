#include "readiness.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mwp::gateway {
namespace {

constexpr auto kProbeTimeout = std::chrono::milliseconds(500);
constexpr auto kProbeEvery = std::chrono::seconds(1);

}  // namespace

bool acceptsConnections(const std::string& endpoint, std::chrono::milliseconds timeout) {
  const std::string scheme = "tcp://";
  if (endpoint.rfind(scheme, 0) != 0) return true;
  std::string hostPort = endpoint.substr(scheme.size());
  size_t colon = hostPort.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = hostPort.substr(0, colon), port = hostPort.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host == "*") host = "127.0.0.1";
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return false;
  bool accepted = false;
  for (addrinfo* a = found; a && !accepted; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      accepted = true;
    } else if (errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int error = 0;
      socklen_t size = sizeof error;
      accepted = poll(&p, 1, static_cast<int>(timeout.count())) == 1 &&
                 getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
    }
    close(fd);
  }
  freeaddrinfo(found);
  return accepted;
}

Readiness::Readiness(RedisEndpoint redis, std::string busIngest)
    : busIngest_(std::move(busIngest)),
      redis_(std::make_unique<Redis>(std::move(redis), kProbeTimeout)) {}

std::optional<std::string> Readiness::notReadyBecause() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - probedAt_ >= kProbeEvery) {
    answer_ = probe();
    probedAt_ = std::chrono::steady_clock::now();
  }
  return answer_;
}

std::optional<std::string> Readiness::probe() {
  try {
    redis_->command({"PING"});
  } catch (const std::exception&) {
    return "cannot reach the gateway's Redis";
  }
  if (!acceptsConnections(busIngest_, kProbeTimeout))
    return "cannot reach the bus's ingest at " + busIngest_;
  return std::nullopt;
}

}  // namespace mwp::gateway
