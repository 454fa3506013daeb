#include "fixtures.h"

#include <fstream>
#include <stdexcept>
#include <variant>

#include "event_json.h"
#include "frames.h"

namespace mwp::test {

std::vector<std::string> fixtureLines() {
  std::ifstream in(MWP_FIXTURE_DIR "/every_kind.ndjson");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string frameOf(const std::string& json) {
  auto decoded = decodeEventJson(json);
  if (auto* error = std::get_if<JsonError>(&decoded)) {
    throw std::runtime_error("fixture does not decode: " + error->reason);
  }
  return toBytes(*std::get<DecodedEvent>(decoded).message);
}

std::string withEventId(const std::string& json, const std::string& eventId) {
  auto start = json.find("\"eventId\": \"") + 12;
  auto end = json.find('"', start);
  return json.substr(0, start) + eventId + json.substr(end);
}

std::string numberedResidentId(int n) {
  std::string id = "51070319900512" + std::to_string(1000 + n).substr(1);
  const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * weights[i];
  return id + "10X98765432"[sum % 11];
}

std::vector<std::string> numberedFrames(const std::string& prefix, int count) {
  std::vector<std::string> frames;
  for (int i = 0; i < count; ++i) {
    frames.push_back(frameOf(withEventId(fixtureLines()[41], prefix + std::to_string(i))));
  }
  return frames;
}

int64_t fixtureNow() {
  return 1772424000;
}  // 2026-03-02T04:00:00Z

}  // namespace mwp::test
