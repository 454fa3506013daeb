// What the tools of tools/ share around their work: "--name value" options, and one line on
// stderr with exit code 2 for a bad option, 1 for a failure.
#pragma once

#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>

namespace mwp::local {

using Flags = std::map<std::string, std::function<void(const std::string& value)>>;

inline int runTool(const std::string& name, int argc, char** argv, const Flags& flags,
                   const std::function<int()>& body) {
  try {
    for (int i = 1; i < argc; i += 2) {
      auto flag = flags.find(argv[i]);
      if (flag == flags.end() || i + 1 >= argc) {
        std::cerr << name << ": unknown option or no value: " << argv[i] << "\n";
        return 2;
      }
      flag->second(argv[i + 1]);
    }
  } catch (const std::exception& e) {  // a number that is not one
    std::cerr << name << ": bad option value (" << e.what() << ")\n";
    return 2;
  }
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mwp::local
