#include "masking.h"

#include "ids.h"

namespace mwp::gateway {

std::string replaceResidentIds(const std::string& text,
                               const std::function<std::string(std::string_view)>& replace) {
  std::string out;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t copied = 0;
  for (size_t i = 0; i + 18 <= text.size(); ++i) {
    if (!digit(text[i]) || (i > 0 && digit(text[i - 1]))) continue;
    std::string_view candidate(text.data() + i, 18);
    bool bounded = i + 18 == text.size() || !digit(text[i + 18]);
    if (bounded && isValidResidentId(candidate)) {
      out.append(text, copied, i - copied).append(replace(candidate));
      copied = i + 18;
      i += 17;
    }
  }
  return out.append(text, copied, std::string::npos);
}

std::string maskResidentIds(const std::string& text) {
  return replaceResidentIds(text, [](std::string_view id) { return maskResidentId(id); });
}

std::vector<std::string> residentIdsIn(const std::string& text) {
  std::vector<std::string> ids;
  replaceResidentIds(text, [&](std::string_view id) {
    ids.emplace_back(id);
    return std::string(id);
  });
  return ids;
}

}  // namespace mwp::gateway
