// Small configuration files (holiday lists, key files): read whole, then line by line. Reading a
// file named by its caller is all this does; which file, and the environment, are the runtime's.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mwp {

// A configuration value or file that cannot be used; the message names it.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The whole of a text file; throws ConfigError naming `what` when it cannot be read.
std::string readTextFile(const std::string& path, const std::string& what);

// The words of each line of a small configuration file ('#' at the start of a word starts a
// comment; blank lines are skipped), with the line's number for error messages. Missing trailing
// words come as "".
void forEachConfigLine(const std::string& text, size_t wordsWanted,
                       const std::function<void(int, const std::vector<std::string>&)>& each);

}  // namespace mwp
