#include "services.h"

#include <cctype>
#include <stdexcept>

namespace mwp {

const ServiceInfo& serviceNamed(std::string_view name) {
  for (const auto& s : kServices) {
    if (s.name == name) return s;
  }
  throw std::invalid_argument("no service named " + std::string(name));
}

std::vector<std::string> serviceNames() {
  std::vector<std::string> names;
  for (const auto& s : kServices) names.emplace_back(s.name);
  return names;
}

std::string upperName(std::string_view name) {
  std::string upper(name);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace mwp
