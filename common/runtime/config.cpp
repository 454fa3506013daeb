#include "config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace mwp {
namespace {

const char* lookup(const std::string& name) {
  return std::getenv(name.c_str());
}

int64_t parseInteger(const std::string& name, const std::string& text) {
  try {
    size_t used = 0;
    int64_t value = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing");
    return value;
  } catch (const std::exception&) {
    throw ConfigError(name + "=" + text + ": not a whole number");
  }
}

}  // namespace

std::string Env::text(const std::string& name, const std::string& fallback,
                      const std::string& help) {
  const char* value = lookup(name);
  std::string result = value ? value : fallback;
  seen_[name] = {result, help};
  return result;
}

std::string Env::secret(const std::string& name, const std::string& fallback,
                        const std::string& help) {
  const char* value = lookup(name);
  std::string result = value ? value : fallback;
  seen_[name] = {result.empty() ? "(unset)" : "(hidden)", help};
  return result;
}

int64_t Env::integer(const std::string& name, int64_t fallback, int64_t min, int64_t max,
                     const std::string& help) {
  const char* value = lookup(name);
  int64_t result = value ? parseInteger(name, value) : fallback;
  if (result < min || result > max) {
    throw ConfigError(name + "=" + std::to_string(result) + ": must be between " +
                      std::to_string(min) + " and " + std::to_string(max));
  }
  seen_[name] = {std::to_string(result), help};
  return result;
}

std::vector<uint32_t> Env::partitions(const std::string& name, uint32_t count,
                                      const std::string& help) {
  const char* value = lookup(name);
  std::string text = value ? value : "all";
  auto result = parsePartitionSet(name, text, count);
  seen_[name] = {text, help};
  return result;
}

std::string Env::describe() const {
  std::ostringstream out;
  for (const auto& [name, entry] : seen_) {
    out << name << "=" << entry.shown << "  # " << entry.help << "\n";
  }
  return out.str();
}

std::vector<uint32_t> parsePartitionSet(const std::string& name, const std::string& text,
                                        uint32_t count) {
  std::set<uint32_t> result;
  if (text == "all" || text.empty()) {
    for (uint32_t p = 0; p < count; ++p) result.insert(p);
    return {result.begin(), result.end()};
  }
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    auto dash = part.find('-');
    int64_t first = parseInteger(name, part.substr(0, dash));
    int64_t last = dash == std::string::npos ? first : parseInteger(name, part.substr(dash + 1));
    if (first < 0 || last < first || last >= count) {
      throw ConfigError(name + "=" + text + ": partitions run from 0 to " +
                        std::to_string(count - 1));
    }
    for (int64_t p = first; p <= last; ++p) result.insert(static_cast<uint32_t>(p));
  }
  return {result.begin(), result.end()};
}

}  // namespace mwp
