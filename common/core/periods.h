// The periods indicators and reporting are counted by, beside the calendar year: the quarter
// (措施二: records updated every quarter; reporting is owed per quarter) and the Spring Festival
// return window, 春运 (措施一, 十二, 二十三, 二十六), whose dates each year are data in the
// catalogue
// (`springTravel`). Named in the API and in the state as "2026", "2026-Q1", "2026-spring".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"

namespace mwp {

struct Period {
  enum class Kind { kYear, kQuarter, kSpring };
  Kind kind = Kind::kYear;
  int year = 0;
  int quarter = 0;       // 1–4 for a quarter, else 0
  int32_t firstDay = 0;  // days since 1970-01-01, both ends included
  int32_t lastDay = 0;

  std::string name() const;
  bool contains(int32_t day) const { return firstDay <= day && day <= lastDay; }
};

Period yearPeriod(int year);
Period quarterPeriod(int year, int quarter);
Period quarterOf(int32_t day);

// "YYYY-Qn" (a quarter of 2019–2100) alone: what periodReported names.
std::optional<Period> parseQuarter(std::string_view text);

// "YYYY", "YYYY-Qn" or "YYYY-spring"; nullopt when it is none of them, or a spring window of a
// year the catalogue has no dates for (never a guess).
std::optional<Period> parsePeriod(std::string_view text, const Catalogue& catalogue);

// The periods shorter than the year that `day` lies in: its quarter and, inside the window, that
// year's 春运.
std::vector<Period> periodsOf(int32_t day, const Catalogue& catalogue);

}  // namespace mwp
