// Resident IDs in a JSON document, masked for roles that may not see them whole.
#pragma once

#include <string>

namespace mwp::gateway {

// Every valid resident ID (GB 11643) in `text` becomes 510***********1234; nothing else changes.
std::string maskResidentIds(const std::string& text);

}  // namespace mwp::gateway
