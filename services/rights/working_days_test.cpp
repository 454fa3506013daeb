#include "working_days.h"

#include <gtest/gtest.h>

#include <vector>

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
  EXPECT_EQ(shipped().addWorkingDays(d("2026-03-06"), 5).day, d("2026-03-13"));
}

TEST(WorkingDays, TheWorkingDaysLeftOfAPeriodCountTheLastDayButNotTheFirst) {
  EXPECT_EQ(shipped().workingDaysAfter(d("2026-03-06"), d("2026-03-13")), 5);
  EXPECT_EQ(shipped().workingDaysAfter(d("2026-09-30"), d("2026-10-13")), 5)
      << "the holidays skipped, the make-up Saturday counted";
  EXPECT_EQ(shipped().workingDaysAfter(d("2026-03-13"), d("2026-03-13")), 0);
  EXPECT_EQ(shipped().workingDaysAfter(d("2026-03-13"), d("2026-03-06")), 0);
}

TEST(WorkingDays, NationalDaySkipsTheHolidaysAndCountsTheMakeUpSaturday) {
  // 2026-10-01…07 off; Saturday 10-10 worked in exchange.
  EXPECT_EQ(shipped().addWorkingDays(d("2026-09-30"), 5).day, d("2026-10-13"));
  EXPECT_TRUE(shipped().isWorkingDay(d("2026-10-10")));
  EXPECT_FALSE(shipped().isWorkingDay(d("2026-10-05")));
}

TEST(WorkingDays, A2019DeadlineEndsOnTheMakeUpSaturdayAfterNationalDay) {
  // 国办发明电〔2018〕15号: 2019-10-01…07 off, Saturday 10-12 worked. Five working days from
  // Monday 09-30 are 10-08…10-11 and that Saturday; weekends alone would give 10-07.
  EXPECT_EQ(shipped().addWorkingDays(d("2019-09-30"), 5).day, d("2019-10-12"));
  EXPECT_EQ(WorkingCalendar::parse("").addWorkingDays(d("2019-09-30"), 5).day, d("2019-10-07"));
}

TEST(WorkingDays, The2020SpringFestivalAsExtendedLeavesNoWorkdayOnTheFirstOfFebruary) {
  // 国办发明电〔2020〕1号 extended the holiday to 02-02 and with it cancelled the 02-01 workday.
  EXPECT_FALSE(shipped().isWorkingDay(d("2020-02-01")));
  EXPECT_TRUE(shipped().isWorkingDay(d("2020-01-19")));
  EXPECT_EQ(shipped().addWorkingDays(d("2020-01-23"), 5).day, d("2020-02-07"));
}

TEST(WorkingDays, EveryYearOfThePolicyHasItsSpringFestival) {
  // The policy runs from 2019: each year's 春节 holiday is in the shipped list.
  for (const char* firstDay : {"2019-02-04", "2020-01-24", "2021-02-11", "2022-01-31", "2023-01-21",
                               "2024-02-10", "2025-01-28", "2026-02-15"}) {
    EXPECT_FALSE(shipped().isWorkingDay(d(firstDay))) << firstDay;
  }
}

TEST(WorkingDays, WithoutAListOnlyWeekendsAreSkippedAndTheYearIsNamedMissing) {
  WorkingCalendar plain = WorkingCalendar::parse("");
  auto end = plain.addWorkingDays(d("2026-09-30"), 5);
  EXPECT_EQ(end.day, d("2026-10-07"));
  EXPECT_EQ(end.missingYear, 2026);
}

TEST(WorkingDays, EveryYearOfThePolicyHasItsNotice) {
  for (int year = 2019; year <= 2026; ++year) EXPECT_TRUE(shipped().hasYear(year)) << year;
}

TEST(WorkingDays, ACountIntoAYearWithoutItsNoticeNamesThatYearOnce) {
  WorkingCalendar calendar = WorkingCalendar::parse("year 2026\n2026-10-01 holiday\n");
  std::vector<int> told;
  calendar.onMissingYear([&](int year) { told.push_back(year); });
  // Thursday 2026-12-31 + 1 is Friday 2027-01-01: a weekday to weekends alone, 元旦 in truth.
  auto end = calendar.addWorkingDays(d("2026-12-31"), 1);
  EXPECT_EQ(end.day, d("2027-01-01"));
  EXPECT_EQ(end.missingYear, 2027);
  EXPECT_EQ(told, std::vector<int>{2027});
  EXPECT_EQ(calendar.addWorkingDays(d("2026-12-30"), 1).missingYear, 0) << "ends on 12-31";
  EXPECT_EQ(told, std::vector<int>{2027}) << "a count inside the known years tells nothing";
}

TEST(WorkingDays, AYearDeclaredTwiceOrWithoutHolidaysIsNamed) {
  auto error = [](const std::string& text) {
    try {
      WorkingCalendar::parse(text);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("year 2027\n2026-12-31 holiday\n"),
            "holiday list: year 2027 is declared but lists no holiday");
  EXPECT_EQ(error("year 2026\n2026-10-01 holiday\nyear 2026\n"),
            "holiday list line 3: year 2026 twice");
  EXPECT_EQ(error("year 27\n"), "holiday list line 1: expected \"year YYYY\"");
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
