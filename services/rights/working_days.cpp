#include "working_days.h"

#include <sstream>
#include <stdexcept>

#include "config.h"
#include "ids.h"

namespace mwp::rights {

WorkingCalendar WorkingCalendar::parse(const std::string& text) {
  WorkingCalendar calendar;
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string date, kind;
    if (!(words >> date)) continue;
    words >> kind;
    auto day = parseDate(date);
    if (!day || (kind != "holiday" && kind != "workday")) {
      throw std::runtime_error("holiday list line " + std::to_string(number) +
                               ": expected \"YYYY-MM-DD holiday\" or \"YYYY-MM-DD workday\"");
    }
    (kind == "holiday" ? calendar.holidays_ : calendar.workdays_).insert(*day);
  }
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

}  // namespace mwp::rights
