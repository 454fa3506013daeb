// What the ingest benchmarks share: their arguments, the events they send (the fixture's kinds
// under fresh eventIds, made before the clock starts; with --duplicates some re-sent and some ids
// reused with other content), the CPU time each process spent on a run (/proc/<pid>/stat), and the
// report of runs and medians.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "command_line.h"
#include "event_json.h"
#include "frames.h"

namespace mwp::bench {

struct BenchOptions {
  std::string fixture;  // NDJSON, one event per line
  size_t events = 100000;
  size_t runs = 5;
  size_t window = 1024;  // frames in flight, for benchmarks that publish
  // mwp's publisher only: frames a message (PublisherOptions::framesPerMessage unless given).
  std::optional<size_t> framesPerMessage;
  // Publishers only: the duplicates row's stream (sendPlan), or one event at a time, each timed.
  bool duplicates = false;
  bool oneAtATime = false;
  // Processes whose CPU time a run reports beside this one's: name → pid (--cpu-of).
  std::vector<std::pair<std::string, int>> watched;
  std::string self;  // this program's name in the CPU report
};

// "redis-server=123,mwp-bus=456" → the watched processes. Throws BadValue.
inline std::vector<std::pair<std::string, int>> watchedProcesses(const std::string& text) {
  std::vector<std::pair<std::string, int>> watched;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw BadValue("not NAME=PID: \"" + item + "\"");
    }
    watched.emplace_back(item.substr(0, equals),
                         CommandLine::wholeNumberFor<int>(item.substr(equals + 1)));
  }
  return watched;
}

// main() of an ingest benchmark: reads FIXTURE [--events N] [--runs R] [--window W] (--window only
// for those that publish), then runs `measure`; exit codes as runTool gives them.
inline int benchMain(int argc, char** argv, const std::string& program, const std::string& about,
                     bool publishes, const std::function<int(const BenchOptions&)>& measure) {
  BenchOptions o;
  CommandLine line(program, about);
  line.operand("FIXTURE", "NDJSON events, one a line, sent round and round under fresh eventIds",
               [&o](const std::string& path) { o.fixture = path; })
      .option("--events", "N", "events a run (default 100000)", o.events)
      .option("--runs", "R", "runs; the median is reported (default 5)", o.runs)
      .option("--cpu-of", "NAME=PID,...",
              "also report the CPU time these processes spend during each run, per event",
              [&o](const std::string& text) { o.watched = watchedProcesses(text); });
  if (publishes) {
    line.option("--window", "W", "frames in flight (default 1024)", o.window)
        .option("--frames-per-message", "F",
                "mwp: frames sent together in one message, a batch (default: as mwpctl sends; "
                "1: each frame a message of its own)",
                [&o](const std::string& text) {
                  o.framesPerMessage = CommandLine::wholeNumberFor<size_t>(text);
                  if (*o.framesPerMessage == 0) throw BadValue("not at least 1: \"" + text + "\"");
                })
        .flag("--duplicates",
              "re-send 10 % of the events and reuse a few eventIds with other content",
              o.duplicates)
        .flag("--one-at-a-time", "send each event only once the last is answered; report p50/p99",
              o.oneAtATime);
  }
  o.self = program;
  return runTool(line, argc, argv, [&] { return measure(o); });
}

// o.events events cycling through the fixture, each under its own eventId, so that every run
// stores new events: "<prefix>-<start time>-<run>-<i>".
inline std::vector<std::string> fixtureEvents(const BenchOptions& o) {
  std::vector<std::string> samples;
  std::ifstream in(o.fixture);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) samples.push_back(line);
  }
  if (samples.empty()) throw std::runtime_error(o.fixture + ": cannot be read, or holds no events");
  return samples;
}

// One fixture line under another eventId.
inline DecodedEvent eventUnderId(std::string json, const std::string& eventId) {
  auto start = json.find("\"eventId\": \"") + 12;
  json.replace(start, json.find('"', start) - start, eventId);
  return std::move(std::get<DecodedEvent>(decodeEventJson(json)));
}

inline std::string freshEventId(const std::string& prefix, size_t run, size_t i) {
  static const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  return prefix + "-" + std::to_string(stamp) + "-" + std::to_string(run) + "-" + std::to_string(i);
}

inline std::vector<DecodedEvent> freshEvents(const BenchOptions& o, const std::string& prefix,
                                             size_t run) {
  auto samples = fixtureEvents(o);
  std::vector<DecodedEvent> events;
  events.reserve(o.events);
  for (size_t i = 0; i < o.events; ++i) {
    events.push_back(eventUnderId(samples[i % samples.size()], freshEventId(prefix, run, i)));
  }
  return events;
}

struct BenchFrame {
  std::string eventId, frame;
};

// What a publishing benchmark sends in one run, and what a store that de-duplicates by eventId
// and compares content must answer: `fresh` stored now, `resent` as duplicates of what it stored,
// `conflicting` refused (an eventId already used, with other content).
struct SendPlan {
  std::vector<BenchFrame> frames;
  size_t fresh = 0, resent = 0, conflicting = 0;
};

// o.events fresh events; with o.duplicates also every 10th of them again, and o.events / 10,000
// (at least 1) eventIds reused with the next fixture event's content. Each copy is sent o.window
// frames after its original (or at the end), as a sender re-sends after a timeout: the original's
// answer has been received or is on its way, so the copy meets the original in the store.
inline SendPlan sendPlan(const BenchOptions& o, const std::string& prefix, size_t run) {
  auto samples = fixtureEvents(o);
  SendPlan plan;
  std::vector<BenchFrame> fresh;
  for (auto& e : freshEvents(o, prefix, run)) {
    fresh.push_back({e.envelope().getEventId().cStr(), toBytes(*e.message)});
  }
  plan.fresh = fresh.size();
  if (!o.duplicates) {
    plan.frames = std::move(fresh);
    return plan;
  }
  // The reused ids: spread evenly, none of them among the re-sent (every 10th).
  std::vector<bool> reused(fresh.size());
  const size_t reuses = std::max<size_t>(1, fresh.size() / 10000);
  for (size_t j = 0; j < reuses; ++j) {
    size_t k = j * (fresh.size() / reuses) + fresh.size() / reuses / 2;
    reused[std::min(fresh.size() - 1, k % 10 == 0 ? k + 1 : k)] = true;
  }
  std::vector<std::vector<BenchFrame>> copiesAfter(fresh.size());
  for (size_t k = 0; k < fresh.size(); ++k) {
    auto& after = copiesAfter[std::min(k + o.window, fresh.size() - 1)];
    if (k % 10 == 0) {
      after.push_back(fresh[k]);
      ++plan.resent;
    } else if (reused[k]) {
      auto other = eventUnderId(samples[(k + 1) % samples.size()], fresh[k].eventId);
      after.push_back({fresh[k].eventId, toBytes(*other.message)});
      ++plan.conflicting;
    }
  }
  for (size_t k = 0; k < fresh.size(); ++k) {
    plan.frames.push_back(std::move(fresh[k]));
    for (auto& copy : copiesAfter[k]) plan.frames.push_back(std::move(copy));
  }
  return plan;
}

// user + system CPU seconds a process has used so far, from /proc/<pid>/stat (fields 14 and 15,
// in clock ticks: 10 ms resolution, so a run should last a second or more). All its threads count.
inline double cpuSeconds(int pid) {
  std::ifstream in("/proc/" + (pid == 0 ? std::string("self") : std::to_string(pid)) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command's name may hold blanks; the fields follow it
  if (close == std::string::npos) throw std::runtime_error("no process " + std::to_string(pid));
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int n = 3; n <= 15 && fields >> field; ++n) {
    if (n >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// What one run measured: its wall time, the frames answered, the CPU seconds of each process
// (this one under options.self) and, one at a time, each frame's wait for its answer.
struct RunResult {
  double seconds = 0;
  size_t frames = 0;
  std::vector<std::pair<std::string, double>> cpu;
  std::vector<double> latencies;  // seconds
};

// A run's clock: started by the constructor, with the CPU time of this process and the watched.
class RunClock {
 public:
  explicit RunClock(const BenchOptions& o) : o_(o), cpuAtStart_(cpuNow()) {}
  RunResult stop(size_t frames) const {
    RunResult result;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    result.frames = frames;
    auto cpu = cpuNow();
    for (size_t i = 0; i < cpu.size(); ++i) {
      result.cpu.emplace_back(cpu[i].first, cpu[i].second - cpuAtStart_[i].second);
    }
    return result;
  }

 private:
  std::vector<std::pair<std::string, double>> cpuNow() const {
    std::vector<std::pair<std::string, double>> cpu;
    for (const auto& [name, pid] : o_.watched) cpu.emplace_back(name, cpuSeconds(pid));
    cpu.emplace_back(o_.self, cpuSeconds(0));
    return cpu;
  }
  const BenchOptions& o_;
  std::vector<std::pair<std::string, double>> cpuAtStart_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

inline double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

// Runs `measure` (one run's result, or nullopt when it failed) o.runs times, printing
// "run k: N events/s <what>" and each process's CPU µs per frame, then the medians:
//   median: N events/s
//   cpu µs/event: NAME=X NAME=Y …        (each process's median over the runs)
//   latency µs: p50=X p99=Y              (one at a time: the runs' medians)
// Returns the process's exit code.
inline int reportRuns(const BenchOptions& o, const std::string& what,
                      const std::function<std::optional<RunResult>(size_t run)>& measure) {
  std::vector<double> rates, p50s, p99s;
  std::map<std::string, std::vector<double>> cpuPerEvent;
  std::vector<std::string> names;
  auto micros = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value * 1e6);
    return std::string(text);
  };
  for (size_t run = 0; run < o.runs; ++run) {
    auto result = measure(run);
    if (!result) return 1;
    rates.push_back(static_cast<double>(result->frames) / result->seconds);
    std::cout << "run " << run + 1 << ": " << static_cast<int64_t>(rates.back()) << " events/s "
              << what << "; CPU µs/event:";
    for (const auto& [name, seconds] : result->cpu) {
      if (run == 0) names.push_back(name);
      double perEvent = seconds / static_cast<double>(result->frames);
      cpuPerEvent[name].push_back(perEvent);
      std::cout << " " << name << " " << micros(perEvent);
    }
    if (!result->latencies.empty()) {
      p50s.push_back(percentile(result->latencies, 0.50));
      p99s.push_back(percentile(result->latencies, 0.99));
      std::cout << "; latency p50 " << micros(p50s.back()) << " µs, p99 " << micros(p99s.back())
                << " µs";
    }
    std::cout << "\n";
  }
  std::cout << "median: " << static_cast<int64_t>(median(rates)) << " events/s\n";
  std::cout << "cpu µs/event:";
  for (const auto& name : names)
    std::cout << " " << name << "=" << micros(median(cpuPerEvent[name]));
  std::cout << "\n";
  if (!p99s.empty()) {
    std::cout << "latency µs: p50=" << micros(median(p50s)) << " p99=" << micros(median(p99s))
              << "\n";
  }
  return 0;
}

inline double secondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace mwp::bench
