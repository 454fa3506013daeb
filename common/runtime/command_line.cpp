#include "command_line.h"

#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

namespace mwp {

uint64_t wholeNumber(const std::string& text) {
  uint64_t n = 0;
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, n);
  if (text.empty() || text[0] == '-' || at != end || error == std::errc::invalid_argument) {
    throw BadValue("not a whole number: \"" + text + "\"");
  }
  if (error == std::errc::result_out_of_range) throw BadValue("\"" + text + "\" is too large");
  return n;
}

double decimalNumber(const std::string& text) {
  double x = 0;
  const char* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, x);
  if (text.empty() || at != end || error != std::errc() || !std::isfinite(x)) {
    throw BadValue("not a number: \"" + text + "\"");
  }
  return x;
}

CommandLine::CommandLine(std::string program, std::string about)
    : program_(std::move(program)), about_(std::move(about)) {}

CommandLine& CommandLine::option(std::string name, std::string value, std::string help,
                                 std::function<void(const std::string&)> read) {
  options_.push_back({std::move(name), std::move(value), std::move(help), std::move(read)});
  return *this;
}

CommandLine& CommandLine::option(std::string name, std::string value, std::string help,
                                 std::string& into) {
  return option(std::move(name), std::move(value), std::move(help),
                [&into](const std::string& text) { into = text; });
}

CommandLine& CommandLine::option(std::string name, std::string value, std::string help,
                                 double& into) {
  return option(std::move(name), std::move(value), std::move(help),
                [&into](const std::string& text) { into = decimalNumber(text); });
}

CommandLine& CommandLine::flag(std::string name, std::string help, bool& into) {
  return option(std::move(name), "", std::move(help), [&into](const std::string&) { into = true; });
}

CommandLine& CommandLine::operand(std::string name, std::string help,
                                  std::function<void(const std::string&)> take, Presence presence) {
  operands_.push_back({std::move(name), std::move(help), std::move(take), presence});
  return *this;
}

CommandLine& CommandLine::notes(std::string text) {
  notes_ = std::move(text);
  return *this;
}

const CommandLine::Option* CommandLine::find(const std::string& name) const {
  for (const auto& o : options_) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::optional<int> CommandLine::parse(int argc, char** argv, int first) const {
  auto refuse = [this](const std::string& what) {
    std::cerr << program_ << ": " << what << "\n"
              << "usage: " << synopsis() << "  (" << program_ << " --help tells more)\n";
    return kExitUsage;
  };
  // --help anywhere wins over a mistake before it; an option's value is not an option.
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--help" || word == "-h") {
      std::cout << usage();
      return 0;
    }
    const Option* o = find(word);
    if (o && !o->value.empty()) ++i;
  }
  size_t operand = 0;
  std::vector<bool> given(operands_.size(), false);
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    try {
      if (word.size() > 1 && word[0] == '-') {
        const Option* o = find(word);
        if (!o) return refuse(word + ": unknown option");
        if (o->value.empty()) {
          o->read("");
          continue;
        }
        if (i + 1 >= argc) return refuse(word + ": needs a value (" + o->value + ")");
        o->read(argv[++i]);
        continue;
      }
      if (operand >= operands_.size()) return refuse("\"" + word + "\": unexpected argument");
      try {
        operands_[operand].take(word);
      } catch (const BadValue& e) {
        return refuse(operands_[operand].name + ": " + e.what());
      }
      given[operand] = true;
      if (operands_[operand].presence != Presence::kRepeated) ++operand;
    } catch (const BadValue& e) {
      return refuse(word + ": " + e.what());
    }
  }
  for (size_t k = 0; k < operands_.size(); ++k) {
    if (operands_[k].presence == Presence::kRequired && !given[k]) {
      return refuse(operands_[k].name + ": missing");
    }
  }
  return std::nullopt;
}

std::string CommandLine::synopsis() const {
  std::string out = program_;
  for (const auto& o : options_) {
    out += " [" + o.name + (o.value.empty() ? "" : " " + o.value) + "]";
  }
  for (const auto& p : operands_) {
    switch (p.presence) {
      case Presence::kRequired:
        out += " " + p.name;
        break;
      case Presence::kOptional:
        out += " [" + p.name + "]";
        break;
      case Presence::kRepeated:
        out += " [" + p.name + "…]";
        break;
    }
  }
  return out;
}

std::string CommandLine::usage() const {
  std::ostringstream out;
  out << "usage: " << synopsis() << "\n\n" << about_ << "\n";
  auto row = [&out](const std::string& left, const std::string& help) {
    out << "  " << left << std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') << help
        << "\n";
  };
  if (!operands_.empty()) out << "\n";
  for (const auto& p : operands_) row(p.name, p.help);
  out << "\noptions:\n";
  for (const auto& o : options_) row(o.name + (o.value.empty() ? "" : " " + o.value), o.help);
  row("-h, --help", "this text");
  if (!notes_.empty()) out << "\n" << notes_ << "\n";
  return out.str();
}

int runTool(const CommandLine& line, int argc, char** argv, const std::function<int()>& body) {
  if (auto done = line.parse(argc, argv)) return *done;
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << line.program() << ": " << e.what() << "\n";
    return 1;
  }
}

std::optional<int> serverCommandLine(const std::string& program, int argc, char** argv) {
  bool printConfig = false;  // acted on by the caller, once every variable has been read
  return CommandLine(
             program,
             "Serves until SIGTERM or SIGINT, then drains and exits 0. Configured by MWP_*\n"
             "environment variables only.")
      .flag("--print-config",
            "list every MWP_* variable it reads, with its value (secrets hidden), and exit",
            printConfig)
      .notes(
          "exit codes: 0 stopped by a signal or after --print-config, 1 it could not start,\n"
          "64 a bad command line, 78 a bad MWP_* variable")
      .parse(argc, argv);
}

}  // namespace mwp
