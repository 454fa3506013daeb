// The command line of every mwp program: the tools (mwpctl and its commands, mwp-chaos, the
// benchmarks) and the servers (the bus, the services, the gateway). One parser, so that each
// answers --help and -h with its usage, and names the word it cannot take.
//
// Exit codes, as sysexits.h numbers them:
//   0   done (also after --help)
//   1   the work failed (a message on stderr)
//   64  EX_USAGE: a bad command line — an unknown option, a missing or bad value, an operand too
//       many or too few; the word is named on stderr and nothing else is done
//   65  EX_DATAERR: some input was refused (mwpctl publish)
//   69  EX_UNAVAILABLE: a server could not be reached (mwpctl)
//   78  EX_CONFIG: a bad MWP_* variable stopped a server at start (guardedMain)
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mwp {

constexpr int kExitUsage = 64;  // EX_USAGE

// A word on the command line that is not what its option or operand takes; the message says what
// was expected, and the parser adds the option's name: `--events: not a whole number: "20k"`.
struct BadValue : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// "20000" → 20000. Digits only: no sign, no suffix, no blanks. Throws BadValue.
uint64_t wholeNumber(const std::string& text);
// "1500", "0.5" → a finite decimal number. Throws BadValue.
double decimalNumber(const std::string& text);

// The options and operands one program (or one mwpctl command) takes. The usage text is made from
// the same declarations the parser reads, so --help and the parser cannot disagree. Build it in
// main(); the references and functions it is given must outlive parse(). Not thread-safe.
class CommandLine {
 public:
  enum class Presence { kRequired, kOptional, kRepeated };

  // `program` as messages name it ("mwp-chaos", "mwpctl publish"); `about` says what it does.
  CommandLine(std::string program, std::string about);

  // "--name VALUE". `read` is given the value and throws BadValue when it is not one.
  CommandLine& option(std::string name, std::string value, std::string help,
                      std::function<void(const std::string&)> read);
  CommandLine& option(std::string name, std::string value, std::string help, std::string& into);
  CommandLine& option(std::string name, std::string value, std::string help, double& into);
  // A whole number that fits `into`.
  template <std::integral T>
  CommandLine& option(std::string name, std::string value, std::string help, T& into) {
    return option(std::move(name), std::move(value), std::move(help),
                  [&into](const std::string& text) { into = wholeNumberFor<T>(text); });
  }
  // "--name" alone: sets `into`.
  CommandLine& flag(std::string name, std::string help, bool& into);
  // A word that is not an option, taken in the order declared (required ones first).
  CommandLine& operand(std::string name, std::string help,
                       std::function<void(const std::string&)> take,
                       Presence presence = Presence::kRequired);
  // Text after the options: exit codes, the environment it reads.
  CommandLine& notes(std::string text);

  // Reads argv[first…]. nullopt: go on. Otherwise the process's exit code: 0 after --help or -h
  // (the usage on stdout), kExitUsage after a word it cannot take (named on stderr).
  std::optional<int> parse(int argc, char** argv, int first = 1) const;

  const std::string& program() const { return program_; }
  std::string synopsis() const;  // "mwp-chaos [--events N] …"
  std::string usage() const;     // the synopsis, about, every option and the notes

  template <std::integral T>
  static T wholeNumberFor(const std::string& text) {
    uint64_t n = wholeNumber(text);
    if (n > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      throw BadValue("\"" + text + "\" is too large (at most " +
                     std::to_string(std::numeric_limits<T>::max()) + ")");
    }
    return static_cast<T>(n);
  }

 private:
  struct Option {
    std::string name, value, help;  // value "" for a flag
    std::function<void(const std::string&)> read;
  };
  struct Operand {
    std::string name, help;
    std::function<void(const std::string&)> take;
    Presence presence;
  };
  const Option* find(const std::string& name) const;

  std::string program_, about_, notes_;
  std::vector<Option> options_;
  std::vector<Operand> operands_;
};

// A tool's main(): parses `line`, then runs `body`. What `body` throws is one line on stderr,
// "<program>: <what>", and exit code 1.
int runTool(const CommandLine& line, int argc, char** argv, const std::function<int()>& body);

// The command line of a server process (the bus, a service, the gateway): --print-config (which
// lists the MWP_* variables it reads; the caller asks wantsPrintConfig() once it has read them) and
// --help. nullopt: go on; otherwise the exit code, as parse() gives it.
std::optional<int> serverCommandLine(const std::string& program, int argc, char** argv);

}  // namespace mwp
