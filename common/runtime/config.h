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

#include "config_files.h"

namespace mwp {


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

// Parses "0-3", "0,2,5-7" or "all"; throws ConfigError naming `name` on anything else.
std::vector<uint32_t> parsePartitionSet(const std::string& name, const std::string& text,
                                        uint32_t count);

}  // namespace mwp
