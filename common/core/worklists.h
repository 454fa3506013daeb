// The worklists of the coverage promises (MEASURES.md, "Coverage"): for each promise, the people
// still to serve — insured without a card (16), listed poor not placed (3), returnees whose family
// is not visited (23), exposed workers not checked (15) — kept by the service that owns the
// measure, so an office sees who was missed, not only how many.
//
// A worklist is a sorted set per scope (a reporting area, "all" for the city, and a 12-digit
// village where the event names one) of "<workerId>|<year>|<village>", scored by the day since
// which the person waits: a page is one ZRANGE, the longest waiting first, and serving the
// person is one ZREM. `year` is the year whose promise the person counts in (the denominator's
// year); `village` is "" where the events name none.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "state.h"

namespace mwp {

struct WorklistInfo {
  std::string_view name;     // in the API: GET /v1/worklists/{name}
  std::string_view service;  // the service that keeps it (services.h)
  int measure = 0;
  bool health = false;       // about an exposure to a hazard: health data, for health roles only
};

inline constexpr std::array<WorklistInfo, 4> kWorklists{{
    {"insuredWithoutCard", "employment", 16, false},
    {"poorNotPlaced", "employment", 3, false},
    {"returneesNotVisited", "outreach", 23, false},
    {"exposedNotChecked", "health", 15, true},
}};

// The worklist named `name`, or nullptr.
const WorklistInfo* worklistNamed(std::string_view name);

// One person on a worklist.
struct WorklistEntry {
  std::string workerId;
  int year = 0;
  std::string village;  // "" where unknown
  int32_t sinceDay = 0;
};

// The member a person is kept under, and back.
std::string worklistMember(const WorklistEntry& entry);
std::optional<WorklistEntry> parseWorklistMember(std::string_view member, double score);

// Puts the person on the worklist of `area`, of the city, and of the entry's village if it has
// one; takes them off all three. Write-only, like StateTx::index.
void putOnWorklist(StateTx& state, const WorklistInfo& list, std::string_view area,
                   const WorklistEntry& entry);
void takeOffWorklist(StateTx& state, const WorklistInfo& list, std::string_view area,
                     const WorklistEntry& entry);

}  // namespace mwp
