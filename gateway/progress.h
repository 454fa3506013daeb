// The measures' progress as the services count it, for the routes that show it (measures.cpp,
// scorecard.cpp): every indicator of every service for a year or a shorter period, and the
// reporting of each area, asked of every service at once.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "handlers.h"
#include "periods.h"

namespace mwp::gateway {

struct Progress {
  std::map<int, std::vector<IndicatorAnswer>> byMeasure;
  std::vector<AreaReporting> reporting;  // when asked for
  std::set<std::string> unavailable;     // services that did not answer
};

struct ProgressQuery {
  int year = 0;
  std::string area;    // "": the city ("all"); "*": every area and the city
  std::string period;  // "": the year; "YYYY-Qn" or "YYYY-spring"
  bool withReporting = false;
};

Progress progress(Backends& b, const ProgressQuery& q);

// ?year= and ?period= together: the year (this year when absent) and the period, whose year must
// be that year. "" for the period when absent.
struct PeriodParams {
  int year = 0;
  std::string period;
  Period::Kind kind = Period::Kind::kYear;
};
PeriodParams periodParams(const HttpRequest& req, const Catalogue& catalogue);

// The roles that may read progress: every role (it shows counts, never a person).
inline const std::vector<Role>& progressReaders() {
  static const std::vector<Role> roles{Role::kAdmin,  Role::kIntegrator, Role::kCaseworker,
                                       Role::kHealth, Role::kAuditor,    Role::kDepartment};
  return roles;
}

// Health counts from 1 to below this are shown suppressed to `key`'s role; 0: none are.
int suppressedBelow(const Backends& b, const ApiKey& key);
// Whether `value` of indicator `name` of measure `m` is such a count for that role.
bool isSuppressed(msg::Measure::Reader m, const std::string& name, double value, int below);

}  // namespace mwp::gateway
