// Resident IDs in a JSON document: found (for the audit of who was shown) and masked for roles
// that may not see them whole.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mwp::gateway {

// Every valid resident ID (GB 11643) in `text` becomes 510***********1234; nothing else changes.
std::string maskResidentIds(const std::string& text);

// Every valid resident ID in `text`, in order of appearance (repeats included).
std::vector<std::string> residentIdsIn(const std::string& text);

// `text` with each valid resident ID replaced by what `replace` makes of it.
std::string replaceResidentIds(const std::string& text,
                               const std::function<std::string(std::string_view)>& replace);

}  // namespace mwp::gateway
