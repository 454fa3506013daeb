// Working days in China: Monday to Friday, less the national holidays, plus the weekend days
// worked in exchange (调休). The lists are configuration (holidays.txt, MWP_HOLIDAYS_FILE) because
// the State Council publishes them year by year (国务院办公厅关于…部分节假日安排的通知), each
// December for the coming year.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace mwp {

// The end of a count of working days. `missingYear` is the first year the count went through
// whose notice the calendar lacks (0: none): those days were counted by weekends alone, which is
// a guess — a holiday moves the day later, a 调休 weekend earlier — so the day is provisional and
// must be shown as such, never passed off as the legal deadline.
struct WorkingDeadline {
  int32_t day = 0;
  int missingYear = 0;
};

// Not thread-safe to configure (onMissingYear); const members may be called from any thread if
// the observer given to onMissingYear is thread-safe.
class WorkingCalendar {
 public:
  // Lines of "year YYYY" (the notice of that year is in the list: its source in a comment),
  // "YYYY-MM-DD holiday" or "YYYY-MM-DD workday"; '#' starts a comment. A holiday may fall in
  // the year before its notice's (元旦 from 30 December). Throws std::runtime_error naming the
  // line on anything else, and naming the year when a declared year lists no holiday.
  static WorkingCalendar parse(const std::string& text);
  static WorkingCalendar fromFile(const std::string& path);

  bool isWorkingDay(int32_t day) const;
  // The `n`th working day after `day` (day itself not counted): 5 working days from a Friday
  // filing end on the next Friday. Tells `onMissingYear`'s observer of a year it lacks.
  WorkingDeadline addWorkingDays(int32_t day, int n) const;

  // How many working days there are after `from` up to and including `to` (0 when `to` is not
  // after `from`): what is left of a period stopped on `from` and due on `to`.
  int workingDaysAfter(int32_t from, int32_t to) const;

  // The years whose notice the calendar has.
  const std::set<int>& years() const { return years_; }
  bool hasYear(int year) const { return years_.count(year) > 0; }

  // Called with the year each time a count goes through a year the calendar lacks — for a metric
  // and a log line; it must not change what the rules store.
  void onMissingYear(std::function<void(int year)> observer) { missingYear_ = std::move(observer); }

 private:
  std::set<int32_t> holidays_;
  std::set<int32_t> workdays_;
  std::set<int> years_;
  std::function<void(int)> missingYear_;
};

}  // namespace mwp
