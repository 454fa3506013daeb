// A program started by an mwp program — the tests' processes under kill -9, the chaos run's whole
// system — with its own environment and, optionally, its stderr in a file. The child is killed
// (SIGKILL) when the handle is destroyed, so a failing test or tool never leaves one behind.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mwp {

// A TCP port on 127.0.0.1 that nothing listens on now, for a child to bind.
int freeTcpPort();

class ChildProcess {
 public:
  // `env` is added to this process's environment; `stderrFile` ("" keeps ours) is appended to.
  ChildProcess(std::string binary, std::map<std::string, std::string> env,
               std::vector<std::string> args = {}, std::string stderrFile = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void start();
  // Sets a variable of its environment from the next start() on.
  void setEnv(const std::string& name, std::string value) { env_[name] = std::move(value); }
  void kill9();
  // SIGTERM, and waits for the exit — up to a minute, then as terminateWithin.
  void stop();
  void pause();   // SIGSTOP: alive, holding its sockets and connections, doing nothing
  void resume();  // SIGCONT
  // SIGTERM, then the exit code if the process ends within `seconds`. If it does not, -1: its
  // threads' stacks go to its log (gdb, when installed) and ours says so, and it is killed — a
  // stop that hangs must say where, not hang its caller.
  int terminateWithin(int seconds);
  bool running() const { return pid_ > 0; }
  // Whether it has exited on its own (reaped); it is then no longer running().
  bool exited();

 private:
  // Its threads' stacks, appended to its log (or our stderr), while it still runs.
  void writeStacks() const;

  std::string binary_;
  std::map<std::string, std::string> env_;
  std::vector<std::string> args_;
  std::string stderrFile_;
  int pid_ = -1;
};

}  // namespace mwp
