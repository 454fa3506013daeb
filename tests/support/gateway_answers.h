// The gateway's JSON answers as the integration tests read them: by the pieces of text a user
// would look for, and a scorecard (GET /v1/scorecard) by area.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace mwp::test {

// Whether `answer` holds `piece` as it is; a failure shows both.
inline ::testing::AssertionResult contains(const std::string& answer, const std::string& piece) {
  if (answer.find(piece) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no " << piece << "\nin " << answer;
}

// The part of a scorecard's JSON about one area: from its {"area":"…" to the next area's. An area
// that is not there fails the test and gives "".
inline std::string areaOf(const std::string& scorecard, const std::string& area) {
  auto at = scorecard.find(R"({"area":")" + area + "\"");
  EXPECT_NE(at, std::string::npos) << area << " in " << scorecard;
  if (at == std::string::npos) return "";
  return scorecard.substr(at, scorecard.find(R"({"area":")", at + 1) - at);
}

}  // namespace mwp::test
