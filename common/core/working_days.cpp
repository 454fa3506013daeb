#include "working_days.h"

#include <stdexcept>

#include "config_files.h"
#include "ids.h"

namespace mwp {

WorkingCalendar WorkingCalendar::parse(const std::string& text) {
  WorkingCalendar calendar;
  forEachConfigLine(text, 2, [&](int number, const std::vector<std::string>& w) {
    auto day = parseDate(w[0]);
    if (!day || (w[1] != "holiday" && w[1] != "workday")) {
      throw std::runtime_error("holiday list line " + std::to_string(number) +
                               ": expected \"YYYY-MM-DD holiday\" or \"YYYY-MM-DD workday\"");
    }
    (w[1] == "holiday" ? calendar.holidays_ : calendar.workdays_).insert(*day);
  });
  return calendar;
}

WorkingCalendar WorkingCalendar::fromFile(const std::string& path) {
  return parse(readTextFile(path, "the holiday list"));
}

bool WorkingCalendar::isWorkingDay(int32_t day) const {
  if (holidays_.count(day)) return false;
  if (workdays_.count(day)) return true;
  int weekday = ((day % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday: 0 = Monday
  return weekday < 5;
}

int32_t WorkingCalendar::addWorkingDays(int32_t day, int n) const {
  while (n > 0) {
    ++day;
    if (isWorkingDay(day)) --n;
  }
  return day;
}

}  // namespace mwp
