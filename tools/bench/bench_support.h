// What the ingest benchmarks share: their arguments, the events they send (the fixture's kinds
// under fresh eventIds, made before the clock starts), and the report of runs and median.
#pragma once

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "event_json.h"

namespace mwp::bench {

struct BenchOptions {
  std::string fixture;  // NDJSON, one event per line
  size_t events = 100000;
  size_t runs = 5;
  size_t window = 1024;  // frames in flight, for benchmarks that publish
};

// FIXTURE [--events N] [--runs R] [--window W]; nullopt without a fixture.
inline std::optional<BenchOptions> parseBenchOptions(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  BenchOptions o;
  o.fixture = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    size_t v = std::stoul(argv[i + 1]);
    if (a == "--events") o.events = v;
    if (a == "--runs") o.runs = v;
    if (a == "--window") o.window = v;
  }
  return o;
}

// o.events events cycling through the fixture, each under its own eventId, so that every run
// stores new events: "<prefix>-<start time>-<run>-<i>".
inline std::vector<DecodedEvent> freshEvents(const BenchOptions& o, const std::string& prefix,
                                             size_t run) {
  static const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  std::vector<std::string> samples;
  std::ifstream in(o.fixture);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) samples.push_back(line);
  }
  std::vector<DecodedEvent> events;
  events.reserve(o.events);
  for (size_t i = 0; i < o.events; ++i) {
    std::string json = samples[i % samples.size()];
    auto start = json.find("\"eventId\": \"") + 12;
    json.replace(
        start, json.find('"', start) - start,
        prefix + "-" + std::to_string(stamp) + "-" + std::to_string(run) + "-" + std::to_string(i));
    events.push_back(std::move(std::get<DecodedEvent>(decodeEventJson(json))));
  }
  return events;
}

// Runs `measure` (seconds for one run, or nullopt when the run failed) o.runs times, printing
// "run k: N events/s <what>" and the median. Returns the process's exit code.
inline int reportRuns(const BenchOptions& o, const std::string& what,
                      const std::function<std::optional<double>(size_t run)>& measure) {
  std::vector<double> rates;
  for (size_t run = 0; run < o.runs; ++run) {
    auto seconds = measure(run);
    if (!seconds) return 1;
    rates.push_back(static_cast<double>(o.events) / *seconds);
    std::cout << "run " << run + 1 << ": " << static_cast<int64_t>(rates.back()) << " events/s "
              << what << "\n";
  }
  std::sort(rates.begin(), rates.end());
  std::cout << "median: " << static_cast<int64_t>(rates[rates.size() / 2]) << " events/s\n";
  return 0;
}

inline double secondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace mwp::bench
