#include "working_days.h"

#include <gtest/gtest.h>

#include "ids.h"

namespace mwp {
namespace {

WorkingCalendar shipped() {
  return WorkingCalendar::fromFile(MWP_DEFAULT_HOLIDAYS_FILE);
}
int32_t d(const char* date) {
  return *parseDate(date);
}

TEST(WorkingDays, TheFifthWorkingDayFromAFridayIsTheNextFriday) {
  EXPECT_EQ(shipped().addWorkingDays(d("2026-03-06"), 5), d("2026-03-13"));
}

TEST(WorkingDays, NationalDaySkipsTheHolidaysAndCountsTheMakeUpSaturday) {
  // 2026-10-01…07 off; Saturday 10-10 worked in exchange.
  EXPECT_EQ(shipped().addWorkingDays(d("2026-09-30"), 5), d("2026-10-13"));
  EXPECT_TRUE(shipped().isWorkingDay(d("2026-10-10")));
  EXPECT_FALSE(shipped().isWorkingDay(d("2026-10-05")));
}

TEST(WorkingDays, A2019DeadlineEndsOnTheMakeUpSaturdayAfterNationalDay) {
  // 国办发明电〔2018〕15号: 2019-10-01…07 off, Saturday 10-12 worked. Five working days from
  // Monday 09-30 are 10-08…10-11 and that Saturday; weekends alone would give 10-07.
  EXPECT_EQ(shipped().addWorkingDays(d("2019-09-30"), 5), d("2019-10-12"));
  EXPECT_EQ(WorkingCalendar::parse("").addWorkingDays(d("2019-09-30"), 5), d("2019-10-07"));
}

TEST(WorkingDays, The2020SpringFestivalAsExtendedLeavesNoWorkdayOnTheFirstOfFebruary) {
  // 国办发明电〔2020〕1号 extended the holiday to 02-02 and with it cancelled the 02-01 workday.
  EXPECT_FALSE(shipped().isWorkingDay(d("2020-02-01")));
  EXPECT_TRUE(shipped().isWorkingDay(d("2020-01-19")));
  EXPECT_EQ(shipped().addWorkingDays(d("2020-01-23"), 5), d("2020-02-07"));
}

TEST(WorkingDays, EveryYearOfThePolicyHasItsSpringFestival) {
  // The policy runs from 2019: each year's 春节 holiday is in the shipped list.
  for (const char* firstDay : {"2019-02-04", "2020-01-24", "2021-02-11", "2022-01-31", "2023-01-21",
                               "2024-02-10", "2025-01-28", "2026-02-15"}) {
    EXPECT_FALSE(shipped().isWorkingDay(d(firstDay))) << firstDay;
  }
}

TEST(WorkingDays, WithoutAListOnlyWeekendsAreSkipped) {
  WorkingCalendar plain = WorkingCalendar::parse("");
  EXPECT_EQ(plain.addWorkingDays(d("2026-09-30"), 5), d("2026-10-07"));
}

TEST(WorkingDays, ABadLineIsNamed) {
  try {
    WorkingCalendar::parse("2026-01-01 holiday\n2026-13-01 holiday\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mwp
