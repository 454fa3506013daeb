#include "working_days.h"

#include <stdexcept>

#include "config_files.h"
#include "ids.h"
#include "indicator_counts.h"

namespace mwp {

WorkingCalendar WorkingCalendar::parse(const std::string& text) {
  WorkingCalendar calendar;
  forEachConfigLine(text, 2, [&](int number, const std::vector<std::string>& w) {
    auto bad = [&](const std::string& why) {
      return std::runtime_error("holiday list line " + std::to_string(number) + ": " + why);
    };
    if (w[0] == "year") {
      bool digits = w[1].size() == 4 && w[1].find_first_not_of("0123456789") == std::string::npos;
      if (!digits) throw bad("expected \"year YYYY\"");
      if (!calendar.years_.insert(std::stoi(w[1])).second) throw bad("year " + w[1] + " twice");
      return;
    }
    auto day = parseDate(w[0]);
    if (!day || (w[1] != "holiday" && w[1] != "workday")) {
      throw bad("expected \"year YYYY\", \"YYYY-MM-DD holiday\" or \"YYYY-MM-DD workday\"");
    }
    (w[1] == "holiday" ? calendar.holidays_ : calendar.workdays_).insert(*day);
  });
  // Every notice gives 元旦, 春节, 国庆节…: a declared year with none is a year not filled in.
  for (int year : calendar.years_) {
    bool any = false;
    for (int32_t h : calendar.holidays_) any = any || yearOfDay(h) == year;
    if (!any) {
      throw std::runtime_error("holiday list: year " + std::to_string(year) +
                               " is declared but lists no holiday");
    }
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

WorkingDeadline WorkingCalendar::addWorkingDays(int32_t day, int n) const {
  WorkingDeadline end{day, 0};
  while (n > 0) {
    ++end.day;
    int year = yearOfDay(end.day);
    if (end.missingYear == 0 && !hasYear(year)) end.missingYear = year;
    if (isWorkingDay(end.day)) --n;
  }
  if (end.missingYear != 0 && missingYear_) missingYear_(end.missingYear);
  return end;
}

int WorkingCalendar::workingDaysAfter(int32_t from, int32_t to) const {
  int n = 0;
  for (int32_t day = from + 1; day <= to; ++day) n += isWorkingDay(day) ? 1 : 0;
  return n;
}

}  // namespace mwp
