#include "child_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <set>

namespace mwp {

namespace {

// Whether a listening socket could bind 127.0.0.1:`port` now (0: any port; `port` is then set).
bool bindable(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  socklen_t len = sizeof addr;
  if (free && getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return free;
}

}  // namespace

// A random port below Linux's ephemeral range (32768–60999 by default): the port is free when
// asked but bound by the child only later, and in between any outgoing connection on the machine
// (a test's client, another suite's) may be given an ephemeral port — the very one. Below the
// range only another caller picking the same port can take it.
// Nor is a port handed out twice by one process: several are asked for before any is bound.
int freeTcpPort() {
  static std::mutex guard;
  static std::mt19937 pick{std::random_device{}()};
  static std::set<int> given;
  std::lock_guard lock(guard);
  std::uniform_int_distribution<int> below(20000, 32767);
  for (int tries = 0; tries < 100; ++tries) {
    int port = below(pick);
    if (!given.count(port) && bindable(port)) {
      given.insert(port);
      return port;
    }
  }
  int any = 0;
  bindable(any);
  return any;
}

ChildProcess::ChildProcess(std::string binary, std::map<std::string, std::string> env,
                           std::vector<std::string> args, std::string stderrFile)
    : binary_(std::move(binary)),
      env_(std::move(env)),
      args_(std::move(args)),
      stderrFile_(std::move(stderrFile)) {}

ChildProcess::~ChildProcess() {
  kill9();
}

void ChildProcess::start() {
  std::vector<char*> argv{binary_.data()};
  for (auto& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    for (const auto& [name, value] : env_) setenv(name.c_str(), value.c_str(), 1);
    if (!stderrFile_.empty()) {
      int fd = open(stderrFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) dup2(fd, STDERR_FILENO);
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
    }
    execv(binary_.c_str(), argv.data());
    _exit(127);
  }
}

void ChildProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ChildProcess::stop() {
  // Far longer than any mwp program takes to drain (a second or two), short of a CI timeout.
  constexpr int kStopSeconds = 60;
  terminateWithin(kStopSeconds);
}

void ChildProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void ChildProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

bool ChildProcess::exited() {
  if (pid_ <= 0) return false;
  if (waitpid(pid_, nullptr, WNOHANG) != pid_) return false;
  pid_ = -1;
  return true;
}

int ChildProcess::terminateWithin(int seconds) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGCONT);  // a paused process cannot act on SIGTERM
  ::kill(pid_, SIGTERM);
  for (int waited = 0; waited < seconds * 20; ++waited) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    usleep(50000);
  }
  std::cerr << binary_ << " (pid " << pid_ << ") did not exit within " << seconds
            << " s of SIGTERM; killed, its threads' stacks in "
            << (stderrFile_.empty() ? "the lines below" : stderrFile_) << std::endl;
  writeStacks();
  kill9();
  return -1;
}

void ChildProcess::writeStacks() const {
  if (system("command -v gdb >/dev/null 2>&1") != 0) return;
  std::string command = "gdb -p " + std::to_string(pid_) +
                        " -batch -nx -ex 'thread apply all bt' </dev/null >>" +
                        (stderrFile_.empty() ? std::string("/dev/stderr") : "'" + stderrFile_ + "'") +
                        " 2>&1";
  if (system(command.c_str()) != 0) std::cerr << "gdb could not read its stacks" << std::endl;
}

}  // namespace mwp
