#include "ids.h"

#include <gtest/gtest.h>

namespace mwp {
namespace {

TEST(ResidentId, AcceptsTheStandardsExamples) {
  EXPECT_TRUE(isValidResidentId("11010519491231002X"));
  EXPECT_TRUE(isValidResidentId("440524188001010014"));
}

TEST(ResidentId, RefusesAWrongCheckCharacter) {
  EXPECT_FALSE(isValidResidentId("110105194912310021"));
  EXPECT_FALSE(isValidResidentId("440524188001010015"));
}

TEST(ResidentId, RefusesBadShapes) {
  EXPECT_FALSE(isValidResidentId(""));
  EXPECT_FALSE(isValidResidentId("11010519491231002"));    // 17 characters
  EXPECT_FALSE(isValidResidentId("11010519491231002XX"));  // 19
  EXPECT_FALSE(isValidResidentId("11010519491231002x"));   // lower-case x is not the standard's
  EXPECT_FALSE(isValidResidentId("1101051949123A002X"));
  EXPECT_FALSE(isValidResidentId("990105194912310027"));  // no province 99
}

TEST(ResidentId, RefusesADateThatDoesNotExist) {
  // 1949-02-30 with a check character computed for it: the checksum alone would pass.
  EXPECT_FALSE(isValidResidentId("110105194902300020"));
}

TEST(ResidentId, ReadsGenderAndBirthDay) {
  EXPECT_TRUE(residentIdIsMale("510703199005121230"));   // 17th digit 3
  EXPECT_FALSE(residentIdIsMale("510722198803040026"));  // 17th digit 2
  EXPECT_EQ(residentIdBirthDay("510703199005121230"), parseDate("1990-05-12"));
  EXPECT_EQ(residentIdBirthDay("510703199013451230"), std::nullopt) << "month 13";
  EXPECT_EQ(residentIdBirthDay("5107031990"), std::nullopt) << "too short";
}

TEST(ResidentId, MaskShowsOnlyTheEnds) {
  EXPECT_EQ(maskResidentId("510703199005121230"), "510***********1230");
}

TEST(CreditCode, AcceptsTheExampleAndRefusesChanges) {
  EXPECT_TRUE(isValidCreditCode("91512081MA62K0260E"));
  EXPECT_FALSE(isValidCreditCode("91512081MA62K0260F"));
  EXPECT_FALSE(isValidCreditCode("91512081MA62K0260"));
  EXPECT_FALSE(isValidCreditCode("91512081IA62K0260E"));  // I is not in the alphabet
}

TEST(AreaCode, ChecksFormAndProvince) {
  EXPECT_TRUE(isAreaCodeForm("510703"));
  EXPECT_TRUE(isAreaCodeForm("440300"));
  EXPECT_FALSE(isAreaCodeForm("990300"));
  EXPECT_FALSE(isAreaCodeForm("51070"));
  EXPECT_FALSE(isAreaCodeForm("51070a"));
}

TEST(Dates, ParseRealDaysOnly) {
  EXPECT_EQ(parseDate("1970-01-01"), 0);
  EXPECT_EQ(parseDate("2024-02-29"), parseDate("2024-02-28").value() + 1);
  EXPECT_FALSE(parseDate("2026-02-29"));
  EXPECT_FALSE(parseDate("2026-13-01"));
  EXPECT_FALSE(parseDate("2026-1-01"));
  EXPECT_EQ(formatDate(*parseDate("2026-03-02")), "2026-03-02");
}

TEST(Times, Rfc3339NeedsAnOffset) {
  EXPECT_EQ(parseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseRfc3339("1970-01-01T08:00:00+08:00"), 0);
  EXPECT_EQ(parseRfc3339("1970-01-01T08:00:00.250+08:00"), 0);
  EXPECT_FALSE(parseRfc3339("1970-01-01T08:00:00"));
  EXPECT_FALSE(parseRfc3339("1970-01-01 08:00:00Z"));
  EXPECT_FALSE(parseRfc3339("1970-01-01T24:00:00Z"));
}

TEST(EventIds, AllowTheDocumentedAlphabet) {
  EXPECT_TRUE(isValidEventId("hrss:2026-03-02.000123_a"));
  EXPECT_FALSE(isValidEventId(""));
  EXPECT_FALSE(isValidEventId(std::string(65, 'a')));
  EXPECT_FALSE(isValidEventId("has space"));
  EXPECT_FALSE(isValidEventId("中文"));
}

}  // namespace
}  // namespace mwp
