// Working days in China: Monday to Friday, less the national holidays, plus the weekend days
// worked in exchange (调休). The lists are configuration (holidays.txt, MWP_HOLIDAYS_FILE) because
// the State Council publishes them year by year.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace mwp {

class WorkingCalendar {
 public:
  // Lines of "YYYY-MM-DD holiday" or "YYYY-MM-DD workday"; '#' starts a comment. Throws
  // std::runtime_error naming the line on anything else.
  static WorkingCalendar parse(const std::string& text);
  static WorkingCalendar fromFile(const std::string& path);

  bool isWorkingDay(int32_t day) const;
  // The `n`th working day after `day` (day itself not counted): 5 working days from a Friday
  // filing end on the next Friday.
  int32_t addWorkingDays(int32_t day, int n) const;

 private:
  std::set<int32_t> holidays_;
  std::set<int32_t> workdays_;
};

}  // namespace mwp
