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
