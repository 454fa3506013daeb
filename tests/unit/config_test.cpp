#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace mwp {
namespace {

TEST(Config, PartitionSetsParse) {
  EXPECT_EQ(parsePartitionSet("P", "0-3", 8), (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(parsePartitionSet("P", "0,2,5-7", 8), (std::vector<uint32_t>{0, 2, 5, 6, 7}));
  EXPECT_EQ(parsePartitionSet("P", "all", 3), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_THROW(parsePartitionSet("P", "4-9", 8), ConfigError);
  EXPECT_THROW(parsePartitionSet("P", "x", 8), ConfigError);
}

TEST(Config, BadNumbersStopWithTheVariablesName) {
  setenv("MWP_TEST_NUMBER", "12x", 1);
  Env env;
  try {
    env.integer("MWP_TEST_NUMBER", 1, 0, 100, "a number");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("MWP_TEST_NUMBER"), std::string::npos);
  }
  setenv("MWP_TEST_NUMBER", "500", 1);
  EXPECT_THROW(env.integer("MWP_TEST_NUMBER", 1, 0, 100, "a number"), ConfigError);
}

TEST(Config, SecretsAreHiddenWhenPrinted) {
  setenv("MWP_TEST_SECRET", "hunter2", 1);
  Env env;
  EXPECT_EQ(env.secret("MWP_TEST_SECRET", "", "a password"), "hunter2");
  EXPECT_EQ(env.describe().find("hunter2"), std::string::npos);
  EXPECT_NE(env.describe().find("MWP_TEST_SECRET=(hidden)"), std::string::npos);
}

}  // namespace
}  // namespace mwp
