// A request's path and query parameters, read as the routes declare them (gateway/openapi.json).
// Anything else — empty, a sign, other characters, a number too long to be one — is a
// badParameter() Problem naming the parameter, never an exception from std::stoi (a 500).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "http.h"
#include "problem.h"

namespace mwp::gateway {

// The whole number that `text` spells in decimal digits alone; nullopt for anything else,
// including numbers of more than nine digits.
std::optional<int> wholeNumber(std::string_view text);

// Query parameter `name`: `fallback` when absent, otherwise a whole number from `min` to `max`.
int numberParam(const HttpRequest& req, const char* name, int fallback, int min, int max);

// Query parameter `name`: `fallback` when absent, otherwise one of `choices`.
std::string choiceParam(const HttpRequest& req, const char* name, const std::string& fallback,
                        const std::vector<std::string>& choices);

// Query parameter `area`: "" when absent, "all", or a reporting area of the catalogue.
std::string areaParam(const HttpRequest& req, const Catalogue& catalogue);

// Query parameter `village`: "" when absent, otherwise a village of Mianyang (12 digits, the
// first six a county: Catalogue::isVillage).
std::string villageParam(const HttpRequest& req, const Catalogue& catalogue);

// Parameter `name` is not a resident ID (18 characters, GB 11643's check character).
Problem badResidentId(std::string_view name);

// Query parameter `name`: "" when absent.
std::string textParam(const HttpRequest& req, const char* name);

}  // namespace mwp::gateway
