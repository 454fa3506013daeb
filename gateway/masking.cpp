#include "masking.h"

#include "ids.h"

namespace mwp::gateway {

std::string maskResidentIds(const std::string& text) {
  std::string out = text;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i + 18 <= out.size(); ++i) {
    if (!digit(out[i]) || (i > 0 && digit(out[i - 1]))) continue;
    std::string_view candidate(out.data() + i, 18);
    bool bounded = i + 18 == out.size() || !digit(out[i + 18]);
    if (bounded && isValidResidentId(candidate)) {
      out.replace(i, 18, maskResidentId(candidate));
      i += 17;
    }
  }
  return out;
}

}  // namespace mwp::gateway
