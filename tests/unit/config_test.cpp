#include "config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "process.h"

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

// Sets variables for one test and removes them after it.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::map<std::string, std::string> values) : values_(std::move(values)) {
    for (const auto& [name, value] : values_) setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : values_) unsetenv(name.c_str());
  }

 private:
  std::map<std::string, std::string> values_;
};

std::string fileWith(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("mwp-config-test-" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, EachProcessLogsInToRedisAsItselfWhereverItConnects) {
  ScopedEnv set({{"MWP_REDIS_USER", "operator"},
                 {"MWP_REDIS_PASSWORD", "shared-secret"},
                 {"MWP_BUS_REDIS_HOST", "log-host"},
                 {"MWP_BUS_REDIS_USER", "bus"},
                 {"MWP_BUS_REDIS_PASSWORD", "bus-secret"},
                 {"MWP_EMPLOYMENT_REDIS_USER", "employment"},
                 {"MWP_EMPLOYMENT_REDIS_PASSWORD_FILE", fileWith("employment", "file-secret\n")},
                 {"MWP_REDIS_SENTINEL_PASSWORD_FILE", fileWith("sentinels", "sentinels-secret")}});
  Env env;
  // The employment service reads the bus's log where the bus's Redis is, as itself.
  auto log = redisFromEnv(env, "BUS", "EMPLOYMENT");
  EXPECT_EQ(log.host, "log-host");
  EXPECT_EQ(log.user, "employment");
  EXPECT_EQ(log.password, "file-secret") << "the file's text, without its line end";
  auto bus = redisFromEnv(env, "BUS");
  EXPECT_EQ(bus.user, "bus");
  EXPECT_EQ(bus.password, "bus-secret");
  EXPECT_EQ(bus.sentinelPassword, "sentinels-secret") << "the Sentinels' password is shared";
  auto tool = redisFromEnv(env);
  EXPECT_EQ(tool.user, "operator");
  EXPECT_EQ(tool.password, "shared-secret");
  auto gateway = redisFromEnv(env, "GATEWAY");  // nothing of its own: the shared login
  EXPECT_EQ(gateway.user, "operator");
  for (const char* secret : {"shared-secret", "bus-secret", "file-secret", "sentinels-secret"}) {
    EXPECT_EQ(env.describe().find(secret), std::string::npos) << secret << " printed";
  }
}

TEST(Config, ARedisPasswordFileThatCannotBeUsedStopsWithTheVariablesName) {
  auto refused = [](std::map<std::string, std::string> values) {
    ScopedEnv set(std::move(values));
    Env env;
    try {
      redisFromEnv(env, "GATEWAY");
      return std::string("accepted");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
  };
  auto missing = refused({{"MWP_GATEWAY_REDIS_PASSWORD_FILE", "/nonexistent/gateway.password"}});
  EXPECT_NE(missing.find("MWP_GATEWAY_REDIS_PASSWORD_FILE"), std::string::npos) << missing;
  auto empty = refused({{"MWP_GATEWAY_REDIS_PASSWORD_FILE", fileWith("empty", "\n")}});
  EXPECT_NE(empty.find("is empty"), std::string::npos) << empty;
  auto both = refused({{"MWP_GATEWAY_REDIS_PASSWORD", "x"},
                       {"MWP_GATEWAY_REDIS_PASSWORD_FILE", fileWith("both", "y")}});
  EXPECT_NE(both.find("not both"), std::string::npos) << both;
}

}  // namespace
}  // namespace mwp
