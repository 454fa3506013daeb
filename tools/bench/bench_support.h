// What the ingest benchmarks share: their arguments, the events they send (the fixture's kinds
// under fresh eventIds, made before the clock starts), and the report of runs and median.
#pragma once

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "command_line.h"
#include "event_json.h"

namespace mwp::bench {

struct BenchOptions {
  std::string fixture;  // NDJSON, one event per line
  size_t events = 100000;
  size_t runs = 5;
  size_t window = 1024;  // frames in flight, for benchmarks that publish
};

// main() of an ingest benchmark: reads FIXTURE [--events N] [--runs R] [--window W] (--window only
// for those that publish), then runs `measure`; exit codes as runTool gives them.
inline int benchMain(int argc, char** argv, const std::string& program, const std::string& about,
                     bool publishes, const std::function<int(const BenchOptions&)>& measure) {
  BenchOptions o;
  CommandLine line(program, about);
  line.operand("FIXTURE", "NDJSON events, one a line, sent round and round under fresh eventIds",
               [&o](const std::string& path) { o.fixture = path; })
      .option("--events", "N", "events a run (default 100000)", o.events)
      .option("--runs", "R", "runs; the median is reported (default 5)", o.runs);
  if (publishes) line.option("--window", "W", "frames in flight (default 1024)", o.window);
  return runTool(line, argc, argv, [&] { return measure(o); });
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
  if (samples.empty()) throw std::runtime_error(o.fixture + ": cannot be read, or holds no events");
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
