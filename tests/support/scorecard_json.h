// The gateway's scorecard (GET /v1/scorecard) as the integration tests read it.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace mwp::test {

// The part of the scorecard's JSON about one area: from its {"area":"…" to the next area's. An
// area that is not there fails the test and gives "".
inline std::string areaOf(const std::string& scorecard, const std::string& area) {
  auto at = scorecard.find(R"({"area":")" + area + "\"");
  EXPECT_NE(at, std::string::npos) << area << " in " << scorecard;
  if (at == std::string::npos) return "";
  return scorecard.substr(at, scorecard.find(R"({"area":")", at + 1) - at);
}

}  // namespace mwp::test
