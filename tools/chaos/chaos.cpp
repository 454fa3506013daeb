// mwp-chaos: the fault-injection run. It starts a whole mwp, publishes a seeded stream
// of the simulated year — a tenth of it sent twice, some of it out of order — and meanwhile kills
// every service twice, the bus twice and Redis once (kill -9), stops one service with SIGSTOP, and
// starts one only after half the stream. Then it checks what ARCHITECTURE.md promises:
//   - every acknowledged event is in the log once (the bus lost and doubled nothing);
//   - every service took every event of the log exactly once (its durable tally against the log);
//   - every acknowledged event was taken by a service;
//   - each service's state equals a clean replay of the same log into a fresh mwp.
// It prints the figures and exits 0 only when there is nothing lost, doubled or different.
// With --ha, Redis runs as ops/run.sh --ha runs it (the log's group and the state's, each a primary
// and a replica, three Sentinels), and the faults are failovers instead: kill -9 of the log's
// primary, later of the state's, and SIGSTOP of the log's primary for longer than the Sentinels
// wait, so that it comes back as a replica. --ack-replicas 0 runs the same without the bus's WAIT,
// to count what acknowledging unreplicated events loses.
//
//   mwp-chaos --build DIR --dir DIR [--events N] [--seed S] [--rate EVENTS_PER_S]
//             [--pause-seconds S] [--redis-server PATH] [--ha [--ack-replicas N]]
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <thread>
#include <variant>

#include "command_line.h"
#include "event_log.h"
#include "frames.h"
#include "local_system.h"
#include "service_loop.h"
#include "snapshot.h"
#include "traffic.h"

namespace mwp::chaos {
using namespace mwp::local;
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string build = "build";
  std::string dir = "var/chaos";
  size_t events = 100000;
  uint64_t seed = 2019;
  double rate = 1500;  // events a second: slow enough that the faults land inside the stream
  int pauseSeconds = 30;
  std::string redisServer = "/usr/bin/redis-server";
  bool ha = false;
  int ackReplicas = -1;  // the bus's default: 1 with a replica
};

// The order of sending: every event once in its place, some of them moved up to 20 places later
// (out of order), and a tenth of them sent again up to 2,000 places after the first time.
std::vector<size_t> sendingOrder(size_t count, std::mt19937_64& rng, size_t& reordered,
                                 size_t& resent) {
  std::vector<std::pair<double, size_t>> keyed;
  std::uniform_real_distribution<double> unit(0, 1);
  for (size_t i = 0; i < count; ++i) {
    double place = static_cast<double>(i);
    if (unit(rng) < 0.05) {
      place += 1 + unit(rng) * 20;
      ++reordered;
    }
    keyed.emplace_back(place, i);
    if (unit(rng) < 0.10) {
      keyed.emplace_back(static_cast<double>(i) + 1 + unit(rng) * 2000, i);
      ++resent;
    }
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<size_t> order;
  for (const auto& [place, i] : keyed) order.push_back(i);
  return order;
}

// One fault, due when the stream has reached `at` (a fraction of it).
struct Fault {
  double at;
  std::string what;  // "kill:<service>", "kill:bus", "kill:redis", "pause:<service>", "start:<s>"
};

std::vector<Fault> faultPlan(std::mt19937_64& rng, const std::string& paused,
                             const std::string& late) {
  auto between = [&rng](double from, double to) {
    return std::uniform_real_distribution<double>(from, to)(rng);
  };
  std::vector<Fault> plan;
  for (const auto& s : serviceNames()) {
    // The paused service is killed before its pause, the late one only once it runs.
    double from = s == late ? 0.55 : 0.05, to = s == paused ? 0.25 : 0.95;
    for (int k = 0; k < 2; ++k) plan.push_back({between(from, to), "kill:" + s});
  }
  for (int k = 0; k < 2; ++k) plan.push_back({between(0.05, 0.95), "kill:bus"});
  plan.push_back({between(0.2, 0.8), "kill:redis"});
  plan.push_back({0.3, "pause:" + paused});
  plan.push_back({0.5, "start:" + late});
  std::sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return plan;
}

// The failovers of an --ha run, in this order: the log's primary killed, then the state's (every
// service's), then the log's primary (by then the other server) stopped.
std::vector<Fault> failoverPlan(std::mt19937_64& rng) {
  auto between = [&rng](double from, double to) {
    return std::uniform_real_distribution<double>(from, to)(rng);
  };
  return {{between(0.10, 0.30), "kill:log-primary"},
          {between(0.35, 0.55), "kill:state-primary"},
          {between(0.60, 0.80), "pause:log-primary"}};
}

// "log-primary" → "log"; "" when `target` is not a Redis group's primary.
std::string groupOf(const std::string& target) {
  auto at = target.find("-primary");
  return at == std::string::npos ? "" : target.substr(0, at);
}

class FaultInjector {
 public:
  FaultInjector(System& system, std::vector<Fault> plan, int pauseSeconds,
                const std::atomic<size_t>& sent, size_t total)
      : system_(system), plan_(std::move(plan)), pauseSeconds_(pauseSeconds) {
    thread_ = std::thread([this, &sent, total] { run(sent, total); });
  }
  ~FaultInjector() {
    if (thread_.joinable()) thread_.join();
  }

  // Waits for the rest of the plan (and the end of the pause); the faults injected.
  std::vector<std::string> finish() {
    thread_.join();
    return done_;
  }

 private:
  void run(const std::atomic<size_t>& sent, size_t total) {
    std::optional<Clock::time_point> resumeAt;
    ChildProcess* paused = nullptr;
    size_t next = 0;
    while (next < plan_.size() || resumeAt) {
      if (resumeAt && Clock::now() >= *resumeAt) {
        paused->resume();
        resumeAt.reset();
      }
      if (next < plan_.size() &&
          static_cast<double>(sent) >= plan_[next].at * static_cast<double>(total)) {
        const std::string& what = plan_[next].what;
        std::string target = what.substr(what.find(':') + 1);
        if (what.rfind("kill:", 0) == 0) {
          kill(target);
        } else if (what.rfind("pause:", 0) == 0) {
          std::string group = groupOf(target);
          paused = group.empty()
                       ? &system_.service(target)
                       : &system_.redisGroup(group).server(system_.redisGroup(group).primary());
          paused->pause();
          resumeAt = Clock::now() + std::chrono::seconds(pauseSeconds_);
        } else {
          system_.service(target).start();
        }
        done_.push_back(what);
        ++next;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void kill(const std::string& target) {
    if (target == "redis") return system_.restartRedis();
    if (auto group = groupOf(target); !group.empty()) {
      auto& redis = system_.redisGroup(group);
      return redis.restartAsReplica(redis.killPrimary());
    }
    ChildProcess& process = target == "bus" ? system_.bus() : system_.service(target);
    process.kill9();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    process.start();
  }

  System& system_;
  std::vector<Fault> plan_;
  int pauseSeconds_;
  std::vector<std::string> done_;
  std::thread thread_;
};

// Every entry of the log: eventId → how many times it is stored.
std::map<std::string, int> loggedEvents(Redis& redis, uint32_t partitions) {
  std::map<std::string, int> logged;
  for (uint32_t p = 0; p < partitions; ++p) {
    for (uint64_t from = 1;;) {
      auto events = readLog(redis, p, from, 5000);
      if (events.empty()) break;
      for (const auto& e : events) {
        FrameReader reader(e.envelope);
        ++logged[reader.root<msg::Envelope>().getEventId().cStr()];
      }
      from = events.back().sequence + 1;
    }
  }
  return logged;
}

int64_t tallied(Redis& redis, const std::string& service) {
  int64_t total = 0;
  auto fields = redis.command({"HGETALL", keys::tally(service)});
  for (size_t i = 1; i < fields.elements.size(); i += 2)
    total += std::stoll(fields.elements[i].str);
  return total;
}

// How many acknowledged events no service has a verdict on.
size_t untaken(Redis& redis, const std::set<std::string>& acknowledged) {
  std::vector<std::string> ids(acknowledged.begin(), acknowledged.end());
  size_t missing = 0;
  for (size_t start = 0; start < ids.size(); start += 1000) {
    std::vector<RedisCommand> checks;
    size_t end = std::min(ids.size(), start + 1000);
    for (size_t i = start; i < end; ++i) {
      RedisCommand exists{"EXISTS"};
      for (const auto& s : serviceNames()) exists.push_back(keys::verdict(s, ids[i]));
      checks.push_back(std::move(exists));
    }
    for (const auto& r : redis.pipeline(checks)) missing += r.integer == 0 ? 1 : 0;
  }
  return missing;
}

// A key for the report with any resident ID in it hidden (keys name workers by their ID).
std::string shownKey(std::string key) {
  size_t run = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    bool idChar = i < key.size() && (isdigit(static_cast<unsigned char>(key[i])) || key[i] == 'X');
    if (idChar) {
      ++run;
      continue;
    }
    if (run >= 15) key.replace(i - run, run, std::string(run, '*'));
    run = 0;
  }
  return key;
}

int run(const Options& o) {
  if (o.ackReplicas >= 0 && !o.ha)
    throw std::invalid_argument("--ack-replicas: only with --ha (one Redis has no replica)");
  std::mt19937_64 rng(o.seed);
  std::cout << "generating " << o.events << " events of the simulated year (seed " << o.seed
            << ")\n";
  auto stream = makeStream(o.events, o.seed);
  size_t reordered = 0, resent = 0;
  auto order = sendingOrder(stream.frames.size(), rng, reordered, resent);
  std::vector<std::string> services = serviceNames();
  std::shuffle(services.begin(), services.end(), rng);
  std::string paused = services[0], late = o.ha ? "" : services[1];
  auto plan = o.ha ? failoverPlan(rng) : faultPlan(rng, paused, late);

  std::filesystem::remove_all(o.dir);
  SystemOptions liveOptions{o.dir + "/live", o.build, o.redisServer, 8, true};
  liveOptions.ha = o.ha;
  liveOptions.ackReplicas = o.ackReplicas;
  System live(liveOptions);
  live.startRedis();
  live.startMwp(late);
  std::cout << "publishing " << order.size() << " frames at " << o.rate << "/s: " << resent
            << " re-sent, " << reordered << " out of order; " << plan.size() << " faults\n";
  std::atomic<size_t> progress{0};
  Sent sent;
  std::vector<std::string> faults;
  {
    FaultInjector injector(live, plan, o.pauseSeconds, progress, order.size());
    sent = publishAll(stream, order, live, o.rate, progress);
    std::cout << "published; waiting for the last faults\n";
    faults = injector.finish();
  }
  std::cout << "waiting for every service to take every event\n";
  bool settled = waitSettled(live, std::chrono::seconds(600));

  Redis log(live.logRedis()), state(live.stateRedis());
  auto logged = loggedEvents(log, live.partitions());
  size_t logEntries = 0, doubledInLog = 0, lostFromLog = 0;
  for (const auto& [id, times] : logged) {
    logEntries += times;
    doubledInLog += times - 1;
  }
  for (const auto& id : sent.acknowledged) lostFromLog += logged.count(id) ? 0 : 1;
  size_t doubledByServices = 0, skippedByServices = 0;
  for (const auto& s : serviceNames()) {
    int64_t taken = tallied(state, s);
    auto entries = static_cast<int64_t>(logEntries);
    if (taken > entries) doubledByServices += taken - entries;
    if (taken < entries) skippedByServices += entries - taken;
  }
  size_t notTaken = untaken(state, sent.acknowledged);

  std::cout << "replaying the same log into a fresh mwp\n";
  System replay({o.dir + "/replay", o.build, o.redisServer, 8, false});
  replay.startRedis();
  size_t mismatches = 0, compared = 0;
  {
    Redis fresh(replay.logRedis());
    copyKeys(log, fresh, {"mwp:log:*", "mwp:seq:*", "mwp:dedup:*"});
    replay.startMwp();
    settled = waitSettled(replay, std::chrono::seconds(600)) && settled;
    if (loggedEvents(fresh, replay.partitions()).size() != logged.size()) {
      std::cout << "  the replay's derived events differ from the run's\n";
      ++mismatches;
    }
    for (const auto& s : serviceNames()) {
      auto a = snapshotService(state, s, live.partitions());
      auto b = snapshotService(fresh, s, replay.partitions());
      size_t differ = 0;
      std::vector<std::string> examples;
      for (const auto& [key, value] : a) {
        auto it = b.find(key);
        if (it == b.end() || it->second != value) ++differ, examples.push_back(key);
      }
      for (const auto& [key, value] : b) {
        if (!a.count(key)) ++differ, examples.push_back(key);
      }
      compared += std::max(a.size(), b.size());
      mismatches += differ;
      if (differ > 0) {
        std::cout << "  " << s << ": " << differ << " keys differ, e.g.";
        for (size_t i = 0; i < std::min<size_t>(3, examples.size()); ++i)
          std::cout << " " << shownKey(examples[i]);
        std::cout << "\n";
      }
    }
  }
  replay.stopAll();
  live.stopAll();

  size_t lost = lostFromLog + skippedByServices + notTaken;
  size_t doubled = doubledInLog + doubledByServices;
  std::map<std::string, int> byKind;
  for (const auto& f : faults) ++byKind[f];
  std::cout << "\nmwp chaos run" << (o.ha ? " --ha" : "") << ", " << stream.frames.size()
            << " events (seed " << o.seed << ")";
  if (o.ha) {
    std::cout << ", the bus acknowledging after " << (o.ackReplicas < 0 ? 1 : o.ackReplicas)
              << " replica(s) confirmed";
  }
  std::cout << "\n"
            << "  frames sent:          " << sent.frames << " (" << resent << " re-sent, "
            << reordered << " out of order)\n"
            << "  events acknowledged:  " << sent.acknowledged.size() << " (" << sent.refused
            << " refused as invalid, by design of the simulation)\n"
            << "  events in the log:    " << logEntries << " (with derived events)\n"
            << "  faults injected:      " << faults.size() << " of " << plan.size() << ":";
  for (const auto& [what, times] : byKind) std::cout << " " << what << "×" << times;
  std::cout << " (SIGSTOP " << o.pauseSeconds << " s)\n"
            << "  lost:                 " << lost
            << " (acknowledged, not in the log: " << lostFromLog
            << "; log entries a service skipped: " << skippedByServices
            << "; acknowledged, taken by no service: " << notTaken << ")\n"
            << "  duplicated:           " << doubled << " (in the log: " << doubledInLog
            << "; taken twice by a service: " << doubledByServices << ")\n"
            << "  state mismatches:     " << mismatches << " of " << compared
            << " keys, against a clean replay\n"
            << "  settled:              " << (settled ? "yes" : "NO: a service did not catch up")
            << "\n";
  bool ok = settled && lost == 0 && doubled == 0 && mismatches == 0 && faults.size() == plan.size();
  std::cout << (ok ? "PASS" : "FAIL") << "\n";
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace mwp::chaos

int main(int argc, char** argv) {
  mwp::chaos::Options o;
  mwp::CommandLine line(
      "mwp-chaos",
      "The fault-injection run: a whole mwp takes a seeded stream of the simulated year while its\n"
      "processes are killed, paused and started late; then nothing acknowledged may be lost or\n"
      "doubled, and each service's state must equal a clean replay. Prints PASS or FAIL.");
  line.option("--build", "DIR", "the build tree with the binaries (default build)", o.build)
      .option("--dir", "DIR", "where the run keeps its data and logs (default var/chaos)", o.dir)
      .option("--events", "N", "events in the stream (default 100000)", o.events)
      .option("--seed", "S", "seed of the stream and of the faults (default 2019)", o.seed)
      .option("--rate", "EVENTS_PER_S", "events sent a second (default 1500)", o.rate)
      .option("--pause-seconds", "S", "how long one service is stopped by SIGSTOP (default 30)",
              o.pauseSeconds)
      .option("--redis-server", "PATH", "the redis-server binary (default /usr/bin/redis-server)",
              o.redisServer)
      .flag("--ha",
            "Redis as primaries, replicas and Sentinels; the faults are failovers (kill -9 of the "
            "log's primary, of the state's, SIGSTOP of the log's)",
            o.ha)
      .option("--ack-replicas", "N",
              "with --ha: replicas that must confirm a batch before the bus acknowledges it "
              "(default 1; 0 counts what acknowledging unreplicated events loses)",
              o.ackReplicas)
      .notes("exit codes: 0 PASS, 1 FAIL or the run could not be made, 64 a bad command line");
  return mwp::runTool(line, argc, argv, [&] { return mwp::chaos::run(o); });
}
