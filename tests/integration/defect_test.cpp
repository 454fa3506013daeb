// A defect stops a service's process loudly instead of being retried forever: an error line on
// stderr that says what is wrong, and a non-zero exit, for the supervisor to restart it and an
// operator to look. Here the defect is a cursor in Redis that is not a number: resuming from a
// guess would skip events or apply them twice.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "service_loop.h"
#include "state_keys.h"
#include "test_env.h"

namespace mwp {
namespace {

// The first line of `path` that holds `text`, waiting up to `seconds` for it; "" if none came.
std::string waitForLine(const std::string& path, const std::string& text, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream file(path);
    for (std::string line; std::getline(file, line);) {
      if (line.find(text) != std::string::npos) return line;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

TEST(ServiceDefect, ACorruptCursorStopsTheServiceWithANonZeroExitAndALineNamingTheKey) {
  test::flushRedis();
  test::BusThread bus(4);
  std::string cursor = keys::cursor("employment", 2);
  Redis redis(test::testRedis());
  redis.command({"SET", cursor, "12x"});

  std::string log = testing::TempDir() + "corrupt-cursor-employment.log";
  std::remove(log.c_str());
  ChildProcess service(MWP_EMPLOYMENT_BINARY,
                       test::withTestRedis({{"MWP_BUS_INGEST", bus.ingest},
                                            {"MWP_BUS_PUBLISH", bus.publish},
                                            {"MWP_PARTITION_COUNT", "4"},
                                            {"MWP_EMPLOYMENT_QUERY_BIND", test::freeEndpoint()},
                                            {"MWP_EMPLOYMENT_ADMIN_PORT", "0"}}),
                       {}, log);
  service.start();
  std::string line = waitForLine(log, R"("key":")" + cursor + R"(")", 15);
  if (line.empty()) {
    std::stringstream written;
    written << std::ifstream(log).rdbuf();
    FAIL() << "no line names " << cursor << " in:\n" << written.str();
  }
  EXPECT_NE(line.find(R"("level":"error")"), std::string::npos) << line;
  EXPECT_NE(line.find("12x"), std::string::npos)
      << "the line shows what the cursor holds: " << line;
  // The line is written on the way out: the exit code is the defect's whatever SIGTERM does now.
  EXPECT_EQ(service.terminateWithin(5), ServiceLoop::kDefectExitCode);
  EXPECT_EQ(redis.command({"GET", cursor}).str, "12x")
      << "the loop wrote over what it could not read";
}

}  // namespace
}  // namespace mwp
