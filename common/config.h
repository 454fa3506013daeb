// Configuration from MWP_* environment variables, validated at start. A bad value stops the
// process with a message naming the variable; `--print-config` shows the effective values with
// secrets hidden. Not thread-safe: build it in main() before starting threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mwp {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Env {
 public:
  std::string text(const std::string& name, const std::string& fallback, const std::string& help);
  std::string secret(const std::string& name, const std::string& fallback, const std::string& help);
  int64_t integer(const std::string& name, int64_t fallback, int64_t min, int64_t max,
                  const std::string& help);
  // A set of partitions such as "0-3" or "0,2,5-7", each below `count`; "all" or unset: all.
  std::vector<uint32_t> partitions(const std::string& name, uint32_t count,
                                   const std::string& help);

  // One line per variable read: NAME=value  # help
  std::string describe() const;

 private:
  struct Entry {
    std::string shown;
    std::string help;
  };
  std::map<std::string, Entry> seen_;
};

// The whole of a text file; throws ConfigError naming `what` when it cannot be read.
std::string readTextFile(const std::string& path, const std::string& what);

// The words of each line of a small configuration file ('#' at the start of a word starts a
// comment; blank lines are skipped), with the line's number for error messages. Missing trailing
// words come as "".
void forEachConfigLine(const std::string& text, size_t wordsWanted,
                       const std::function<void(int, const std::vector<std::string>&)>& each);

// Parses "0-3", "0,2,5-7" or "all"; throws ConfigError naming `name` on anything else.
std::vector<uint32_t> parsePartitionSet(const std::string& name, const std::string& text,
                                        uint32_t count);

}  // namespace mwp
