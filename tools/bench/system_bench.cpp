// mwp-bench-system: the benchmark figures that need a whole mwp (CurveZMQ on, Redis with its
// append-only file), each printed beside the limit it is compared with, measured in the same run
// on the same machine:
//   - catch-up: the employment service replaying the stored log, against a bare reader doing the
//     same Redis work (read a batch, one write per event and its verdict, the cursor, one MULTI);
//   - applying: the employment service following the bus while events are published as fast as the
//     bus takes them, against a bare ZeroMQ subscriber doing the same writes;
//   - publish → visible in the gateway (GET /v1/events/{id} shows a service's verdict) at 1,000
//     events a second;
//   - the gateway's GET /v1/workers/{id} under wrk, 32 connections going round the 1,000 busiest
//     workers' records, with its sections kept and with every section asked, against a bare server
//     of the same HTTP library returning the largest of those records (mwp-bench-bare-http);
//   - Redis memory: the services' state per worker, the event log per stored event against the
//     raw stream entry and de-duplication key;
//   - measure 20's bank feed: the rights service applying a month of attendance and payments of
//     100,000 workers on 500 projects (200,000 events), stored in the log, against the issue's
//     "minutes, not hours".
// Prints a Markdown table; ops/bench.sh adds the ingest rows.
//
//   mwp-bench-system --build DIR --dir DIR [--events N] [--seed S] [--latency-seconds S]
//                    [--wrk-seconds S] [--redis-server PATH] [--wage-feed-workers N]
//                    [--wage-feed-only]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <zmq_addon.hpp>

#include "bus_client.h"
#include "command_line.h"
#include "event_json.h"
#include "event_log.h"
#include "event_rules.h"
#include "frames.h"
#include "ids.h"
#include "local_system.h"
#include "service_loop.h"
#include "snapshot.h"
#include "traffic.h"

namespace mwp::bench {
namespace {

using namespace mwp::local;
using Clock = std::chrono::steady_clock;

// How many workers' records wrk goes round.
constexpr size_t kWrkWorkers = 1000;

struct Options {
  std::string build = "build";
  std::string dir = "var/bench";
  size_t events = 1000000;
  uint64_t seed = 2026;
  int latencySeconds = 20;
  int wrkSeconds = 10;
  std::string redisServer = "/usr/bin/redis-server";
  size_t wageFeedWorkers = 100000;
  bool wageFeedOnly = false;
};

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One row of the table.
void row(const std::string& figure, const std::string& mwp, const std::string& limit,
         const std::string& ratio, const std::string& goal) {
  std::cout << "| " << figure << " | " << mwp << " | " << limit << " | " << ratio << " | " << goal
            << " |" << std::endl;
}

std::string perSecond(double rate) {
  return std::to_string(static_cast<int64_t>(rate)) + "/s";
}

std::string fixed(double value, int digits = 2) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

uint64_t logEntries(Redis& redis, uint32_t partitions) {
  uint64_t total = 0;
  for (auto last : lastSequences(redis, partitions)) total += last;
  return total;
}

// Redis commands served so far, by name (INFO commandstats): the round trips and writes a phase
// costs, printed per event so a profile can be read beside them.
std::map<std::string, uint64_t> commandCounts(Redis& redis) {
  std::map<std::string, uint64_t> counts;
  std::istringstream info(redis.command({"INFO", "commandstats"}).str);
  for (std::string line; std::getline(info, line);) {
    auto colon = line.find(':'), calls = line.find("calls=");
    if (line.rfind("cmdstat_", 0) != 0 || colon == std::string::npos || calls == std::string::npos)
      continue;
    counts[line.substr(8, colon - 8)] = std::stoull(line.substr(calls + 6));
  }
  return counts;
}

// "exec 0.004, get 0.12, …": the commands of a phase per event, the busiest first.
std::string commandsPerEvent(const std::map<std::string, uint64_t>& before, Redis& redis,
                             uint64_t events) {
  std::vector<std::pair<double, std::string>> perEvent;
  for (const auto& [name, calls] : commandCounts(redis)) {
    auto it = before.find(name);
    uint64_t delta = calls - (it == before.end() ? 0 : it->second);
    if (delta > 0) perEvent.emplace_back(static_cast<double>(delta) / events, name);
  }
  std::sort(perEvent.rbegin(), perEvent.rend());
  std::string text;
  for (const auto& [rate, name] : perEvent) {
    text += (text.empty() ? "" : ", ") + name + " " + fixed(rate, 3);
  }
  return text;
}

// How long any one wait of the benchmark may last: far more than a step takes (a million events
// replay in under a minute), so that a stuck part ends the run with its name, not silently.
constexpr auto kStepLimit = std::chrono::seconds(600);

[[noreturn]] void stepFailed(const std::string& step, const std::string& what) {
  throw std::runtime_error(step + ": " + what);
}

// Waits until `service` has taken every stored event; the seconds it took from `start`.
double waitCaughtUp(Redis& redis, ChildProcess& service, const std::string& name,
                    uint32_t partitions, Clock::time_point start) {
  for (;;) {
    auto last = lastSequences(redis, partitions);
    bool done = true;
    for (uint32_t p = 0; p < partitions && done; ++p) {
      auto cursor = redis.command({"GET", keys::cursor(name, p)});
      done = !cursor.isNil() && std::stoull(cursor.str) >= last[p];
    }
    if (done) return secondsSince(start);
    if (service.exited()) stepFailed(name + " catching up", "the service exited; see its log");
    if (Clock::now() - start > kStepLimit)
      stepFailed(name + " catching up", "not caught up in " +
                                            std::to_string(kStepLimit.count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The Redis work of a service for one batch, without its rules: a state write per event (the
// event itself, under its subject), the verdict, and the cursors — one MULTI.
void writeBatch(Redis& redis, const std::vector<LoggedEvent>& batch) {
  std::vector<RedisCommand> tx{{"MULTI"}};
  std::map<uint32_t, uint64_t> cursors;
  for (const auto& e : batch) {
    FrameReader reader(e.envelope);
    auto event = reader.root<msg::Envelope>();
    tx.push_back({"SET", "mwp:bench:state:" + hex64(fnv1a64(subjectOf(event))), e.envelope});
    tx.push_back({"SET", "mwp:bench:verdict:" + std::string(event.getEventId().cStr()), "applied",
                  "EX", "7776000"});
    cursors[e.partition] = e.sequence;
  }
  for (const auto& [p, s] : cursors) {
    tx.push_back({"SET", "mwp:bench:cursor:" + std::to_string(p), std::to_string(s)});
  }
  tx.push_back({"EXEC"});
  redis.pipeline(tx);
}

// The bare reader: the whole log, a partition's batch at a time, with writeBatch.
double bareCatchUp(Redis& redis, uint32_t partitions, size_t batchSize) {
  auto start = Clock::now();
  for (uint32_t p = 0; p < partitions; ++p) {
    for (uint64_t from = 1;;) {
      auto batch = readLog(redis, p, from, batchSize);
      if (batch.empty()) break;
      writeBatch(redis, batch);
      from = batch.back().sequence + 1;
    }
  }
  return secondsSince(start);
}

// The bare subscriber: takes events from the bus's fan-out and writes them as writeBatch does, in
// batches of what has arrived (at most `batchSize`), until it has as many as finish() names.
class BareSubscriber {
 public:
  // Returns once the bus sends to it: the fan-out sends nothing to a subscription it has not yet
  // heard of, and a missed event would be waited for in vain.
  BareSubscriber(const System& system, size_t batchSize)
      : socket_(context_, zmq::socket_type::sub), redis_(system.logRedis()) {
    socket_.set(zmq::sockopt::rcvhwm, 1000000);
    makeCurveClient(socket_, system.operatorKey().own, system.operatorKey().serverPublic);
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(system.publishEndpoint());
    // The bus's heartbeat comes every second to every subscribed partition.
    if (!waitReadable(socket_, std::chrono::seconds(30)))
      stepFailed("the bare subscriber", "no heartbeat from the bus's fan-out in 30 s");
    thread_ = std::thread([this, batchSize] { run(batchSize); });
  }
  // Waits for `count` events in all; the seconds from `start` to the last write.
  double finish(size_t count, Clock::time_point start) {
    deadline_ = start + kStepLimit;
    wanted_ = count;
    thread_.join();
    if (taken_ < count)
      stepFailed("the bare subscriber", "took " + std::to_string(taken_) + " of " +
                                            std::to_string(count) + " events from the fan-out in " +
                                            std::to_string(kStepLimit.count()) + " s");
    return std::chrono::duration<double>(done_ - start).count();
  }

 private:
  void run(size_t batchSize) {
    size_t& taken = taken_;
    std::vector<LoggedEvent> batch;
    while (taken < wanted_ && Clock::now() < deadline_.load()) {
      batch.clear();
      while (batch.size() < batchSize) {
        std::vector<zmq::message_t> parts;
        if (batch.empty() && !waitReadable(socket_, std::chrono::milliseconds(100))) break;
        if (!zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait))
          break;
        if (parts.size() != 3 || parts[2].size() == 0) continue;  // a heartbeat
        auto partition = partitionOfTopic(parts[0].to_string());
        batch.push_back(
            {partition.value_or(0), std::stoull(parts[1].to_string()), parts[2].to_string()});
      }
      if (batch.empty()) continue;
      writeBatch(redis_, batch);
      taken += batch.size();
    }
    done_ = Clock::now();
  }

  std::atomic<size_t> wanted_{SIZE_MAX};
  std::atomic<Clock::time_point> deadline_{Clock::time_point::max()};
  size_t taken_ = 0;  // the subscriber's thread's, read after it is joined
  zmq::context_t context_;
  zmq::socket_t socket_;
  Redis redis_;
  Clock::time_point done_;
  std::thread thread_;
};

// Publishes `stream` as fast as the bus answers; the seconds until `service` has taken it all.
double applyRate(System& system, Redis& redis, const Stream& stream, const std::string& service) {
  std::atomic<size_t> progress{0};
  auto start = Clock::now();
  publishAll(stream, inOrder(stream.frames.size()), system, 0, progress, 512);
  return waitCaughtUp(redis, system.service(service), service, system.partitions(), start);
}

// Publish → a verdict visible through the gateway, for every 20th event at `rate` a second.
std::vector<double> visibilityLatencies(System& system, const Stream& stream, double rate,
                                        int seconds) {
  struct Waiting {
    std::string eventId;
    Clock::time_point sent;
  };
  std::mutex mutex;
  std::deque<Waiting> waiting;
  std::vector<double> latencies;
  std::atomic<bool> publishing{true};
  std::thread poller([&] {
    httplib::Client client("127.0.0.1", system.gatewayPort());
    client.set_tcp_nodelay(true);
    httplib::Headers auth{{"Authorization", "Bearer " + system.apiKey()}};
    for (;;) {
      std::optional<Waiting> next;
      {
        std::lock_guard lock(mutex);
        if (!waiting.empty()) {
          next = waiting.front();
          waiting.pop_front();
        }
      }
      if (!next) {
        if (!publishing) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      for (;;) {  // this event until it is visible (the others wait: each is sent 20 ms apart)
        auto answer = client.Get("/v1/events/" + next->eventId, auth);
        if (answer && answer->status == 200 &&
            answer->body.find("\"verdicts\":{}") == std::string::npos) {
          latencies.push_back(secondsSince(next->sent) * 1000);
          break;
        }
        if (secondsSince(next->sent) > 10) break;  // never visible: counted as missing
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    }
  });
  zmq::context_t context;
  PublisherOptions options;
  options.curve = system.operatorKey();
  Publisher publisher(context, system.ingest(), options);
  auto start = Clock::now();
  size_t total = std::min(stream.frames.size(), static_cast<size_t>(rate * seconds));
  for (size_t i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<int64_t>(
                                              1e6 * static_cast<double>(i) / rate)));
    auto sent = Clock::now();
    auto result = publisher.publish(stream.frames[i]);
    if (i % 20 == 0 && result.status == msg::IngestReply::Status::ACK) {
      std::lock_guard lock(mutex);
      waiting.push_back({result.eventId, sent});
    }
  }
  publishing = false;
  poller.join();
  std::sort(latencies.begin(), latencies.end());
  return latencies;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return -1;
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(sorted.size())))];
}

struct WrkResult {
  double requestsPerSecond = 0;
  double p99Ms = -1;
};

// wrk's requests/s and 99th percentile latency (its --latency table) against `base`, asking each
// of `paths` in turn.
WrkResult runWrk(const std::string& base, const std::vector<std::string>& paths,
                 const std::string& apiKey, int seconds, const std::string& dir) {
  std::string script = dir + "/paths.lua";
  {
    std::ofstream lua(script);
    lua << "paths = {";
    for (const auto& p : paths) lua << "\"" << p << "\",";
    lua << "}\ni = math.random(#paths)\n"
        << "request = function()\n  i = i % #paths + 1\n"
        << "  return wrk.format(\"GET\", paths[i])\nend\n";
  }
  std::string command = "wrk -t2 -c32 -d" + std::to_string(seconds) + "s --latency -s " + script +
                        " -H 'Authorization: Bearer " + apiKey + "' " + base + " 2>&1";
  WrkResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char line[512];
  while (fgets(line, sizeof line, pipe)) {
    std::string text = line;
    if (text.find("Requests/sec:") != std::string::npos) {
      result.requestsPerSecond = std::stod(text.substr(text.find(':') + 1));
    }
    // The --latency table's "    99%    6.12ms" line, not a stdev column that ends in "99%".
    auto at = text.find("99%");
    if (at != std::string::npos && text.find_first_not_of(" \t") == at) {
      std::string value = text.substr(at + 3);
      value.erase(0, value.find_first_not_of(" \t"));
      double number = std::stod(value);
      if (value.find("us") != std::string::npos)
        number /= 1000;
      else if (value.find("ms") == std::string::npos && value.find('s') != std::string::npos)
        number *= 1000;
      result.p99Ms = number;
    }
  }
  pclose(pipe);
  return result;
}

// Waits up to 10 s until an HTTP server answers on the port (any status).
void waitForHttp(int port) {
  httplib::Client client("127.0.0.1", port);
  for (int i = 0; i < 100 && !client.Get("/v1/openapi.json"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

// The `n` workers of the stream with the most events, the busiest first: the largest records.
std::vector<std::string> busiestWorkers(const Stream& stream, size_t n) {
  std::map<std::string, int> counts;
  for (const auto& w : stream.workerIds) {
    if (!w.empty()) ++counts[w];
  }
  std::vector<std::pair<int, std::string>> byCount;
  for (const auto& [worker, count] : counts) byCount.emplace_back(-count, worker);
  std::sort(byCount.begin(), byCount.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < byCount.size() && i < n; ++i) out.push_back(byCount[i].second);
  return out;
}

void deleteKeys(Redis& redis, const std::string& pattern) {
  auto keys = scanKeys(redis, pattern);
  for (size_t start = 0; start < keys.size(); start += 1000) {
    RedisCommand del{"DEL"};
    del.insert(del.end(), keys.begin() + static_cast<long>(start),
               keys.begin() + static_cast<long>(std::min(keys.size(), start + 1000)));
    redis.command(del);
  }
}

int64_t memoryOf(Redis& redis, const std::vector<std::string>& keys) {
  int64_t total = 0;
  for (size_t start = 0; start < keys.size(); start += 1000) {
    std::vector<RedisCommand> usage;
    for (size_t i = start; i < std::min(keys.size(), start + 1000); ++i) {
      usage.push_back({"MEMORY", "USAGE", keys[i], "SAMPLES", "0"});
    }
    for (const auto& r : redis.pipeline(usage)) total += r.integer;
  }
  return total;
}

// The raw cost of `sample` stored events: the same envelopes in one plain stream, and a plain
// de-duplication key for each with the same value and expiry. Per event.
double rawLogBytesPerEvent(Redis& redis, size_t sample) {
  std::vector<RedisCommand> writes;
  size_t n = 0;
  for (uint64_t from = 1; n < sample;) {
    auto events = readLog(redis, 0, from, 1000);
    if (events.empty()) break;
    for (const auto& e : events) {
      FrameReader reader(e.envelope);
      std::string id = reader.root<msg::Envelope>().getEventId().cStr();
      auto placed = findStored(redis, DedupWindow{}, id, systemClock());
      std::string dedup = std::to_string(e.partition) + ":" + std::to_string(e.sequence) + ":" +
                          (placed ? placed->digest : "");
      writes.push_back({"XADD", "mwp:bench:raw", "*", "e", e.envelope});
      writes.push_back({"SET", "mwp:bench:rawdedup:" + id, dedup, "EX", "2592000"});
      if (++n == sample) break;
    }
    from = events.back().sequence + 1;
  }
  redis.pipeline(writes);
  double perEvent = static_cast<double>(memoryOf(redis, scanKeys(redis, "mwp:bench:raw*"))) /
                    static_cast<double>(n);
  deleteKeys(redis, "mwp:bench:raw*");
  return perEvent;
}

// Measure 20's bank feed for `workers` workers, 200 to a project: first the projects (registered,
// with their account and deposit) and the enrolments (`setup`), or else last month's feed — for
// each worker a payment through the wage account and the attendance with it, before the payday,
// as a bank sends them. The events as frames, in that order.
Stream wageFeed(size_t workers, bool setup) {
  constexpr size_t kPerProject = 200;
  int32_t today = chinaDayOf(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
  int32_t thisMonth = *parseMonth(formatDate(today).substr(0, 7));
  std::string month = formatDate(addMonths(thisMonth, -1)).substr(0, 7);
  std::string start = formatDate(addMonths(thisMonth, -3)), paidOn = formatDate(thisMonth);
  std::string at = formatDate(today - 1) + "T10:00:00+08:00";
  Stream stream;
  auto add = [&](const std::string& id, const std::string& kind, const std::string& payload,
                 const std::string& source, const std::string& worker = "") {
    std::string json = "{\"eventId\":\"" + id + "\",\"occurredAt\":\"" + at + "\",\"source\":\"" +
                       source + "\",\"area\":\"510703\"," +
                       (worker.empty() ? "" : "\"workerId\":\"" + worker + "\",") + "\"" + kind +
                       "\":" + payload + "}";
    auto decoded = decodeEventJson(json);
    auto& event = std::get<DecodedEvent>(decoded);  // made here, valid by construction
    stream.frames.push_back(toBytes(*event.message));
    stream.eventIds.push_back(id);
    stream.workerIds.push_back(worker);
  };
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  for (size_t w = 0; w < workers; ++w) {
    std::string project = "BENCH-" + std::to_string(w / kPerProject);
    std::string head = "{\"projectId\":\"" + project + "\"";
    if (setup && w % kPerProject == 0) {
      add(project + "-r", "projectRegistered",
          head +
              ",\"name\":\"安置房\",\"sector\":\"building\",\"ownerCode\":"
              "\"12510700MB1D2E3F41\",\"contractorCode\":\"91510703MA6A2B3C4K\","
              "\"governmentInvested\":false,\"contractYuan\":90000000,\"startOn\":\"" +
              start + "\",\"plannedEndOn\":\"2030-12-31\",\"payday\":28}",
          "housing");
      add(project + "-a", "wageAccountOpened",
          head + ",\"bankName\":\"绵阳市商业银行\",\"openedOn\":\"" + start + "\"}", "bank");
      add(project + "-d", "wageDepositLodged",
          head + ",\"amountYuan\":900000,\"form\":\"cash\",\"lodgedOn\":\"" + start + "\"}",
          "housing");
    }
    // Told apart by a birth year for each thousand and the sequence digits.
    char body[18];
    snprintf(body, sizeof body, "510703%04u0101%03u",
             1900u + static_cast<unsigned>(w / 1000) % 100u, static_cast<unsigned>(w % 1000));
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
    std::string worker = std::string(body) + "10X98765432"[sum % 11];
    std::string id = "bench-wages-" + std::to_string(w);
    if (setup) {
      add(id + "-e", "projectWorkerEnrolled",
          head +
              ",\"employerCode\":\"91512081MA62K0260E\",\"trade\":\"钢筋工\","
              "\"contractSigned\":true,\"enrolledOn\":\"" +
              start + "\"}",
          "housing", worker);
    } else {
      add(id + "-p", "wagePaid",
          head + ",\"month\":\"" + month +
              "\",\"amountYuan\":6000,\"throughWageAccount\":true,"
              "\"paidOn\":\"" +
              paidOn + "\"}",
          "bank", worker);
      add(id + "-t", "attendanceReported", head + ",\"month\":\"" + month + "\",\"daysWorked\":22}",
          "housing", worker);
    }
  }
  return stream;
}

// The rights service applying a month's bank feed stored in the log, in a whole mwp of its own.
void wageFeedRow(const Options& o) {
  if (o.wageFeedWorkers == 0) return;
  std::filesystem::remove_all(o.dir + "/wages");
  System system({o.dir + "/wages", o.build, o.redisServer, 8, true});
  system.startRedis();
  system.bus().start();
  Redis redis(system.stateRedis());  // the rights service's cursors
  std::atomic<size_t> progress{0};
  std::cerr << "measure 20: " << o.wageFeedWorkers << " workers enrolled on their projects\n";
  auto setup = wageFeed(o.wageFeedWorkers, true);
  publishAll(setup, inOrder(setup.frames.size()), system, 0, progress, 512);
  auto start = Clock::now();
  system.service("rights").start();
  double setupSeconds = waitCaughtUp(redis, system.service("rights"), "rights", system.partitions(), start);
  system.service("rights").stop();
  auto feed = wageFeed(o.wageFeedWorkers, false);
  std::cerr << "  enrolments applied in " << fixed(setupSeconds) << " s; storing the month's "
            << feed.frames.size() << " events\n";
  publishAll(feed, inOrder(feed.frames.size()), system, 0, progress, 512);
  start = Clock::now();
  system.service("rights").start();
  double seconds = waitCaughtUp(redis, system.service("rights"), "rights", system.partitions(), start);
  // A figure for events refused would measure nothing: the first and last of the feed must apply.
  for (const auto& id : {feed.eventIds.front(), feed.eventIds.back()}) {
    auto verdict = redis.command({"GET", keys::verdict("rights", id)});
    if (verdict.str != "applied")
      throw std::runtime_error("measure 20's feed: " + id + " was not applied: " + verdict.str);
  }
  row("measure 20: rights applying a month's bank feed stored in the log, " +
          std::to_string(feed.frames.size()) + " attendance and payment events of " +
          std::to_string(o.wageFeedWorkers) + " workers",
      fixed(seconds, 1) + " s (" + perSecond(static_cast<double>(feed.frames.size()) / seconds) +
          ")",
      "–", "–", "minutes, not hours");
  system.stopAll();
}

int run(const Options& o) {
  if (o.wageFeedOnly) {
    std::cout << "| figure | mwp | limit, same run | ratio | goal |\n|---|---|---|---|---|\n";
    wageFeedRow(o);
    return 0;
  }
  std::filesystem::remove_all(o.dir);

  System system({o.dir, o.build, o.redisServer, 8, true});
  system.startRedis();
  system.bus().start();
  Redis redis(system.logRedis());  // one Redis: the log and the state
  std::cerr << "generating " << o.events << " events of the simulated year\n";
  auto stream = makeStream(o.events, o.seed);
  std::cerr << "storing them through the bus\n";
  std::atomic<size_t> progress{0};
  auto loadStart = Clock::now();
  auto loaded = publishAll(stream, inOrder(stream.frames.size()), system, 0, progress, 512);
  double loadSeconds = secondsSince(loadStart);
  uint64_t stored = logEntries(redis, system.partitions());

  std::cout << "| figure | mwp | limit, same run | ratio | goal |\n|---|---|---|---|---|\n";
  row("loading the benchmark's events through the bus (CURVE, window 512)",
      perSecond(static_cast<double>(loaded.frames) / loadSeconds), "–", "–", "–");

  std::cerr << "catch-up: employment replays " << stored << " stored events\n";
  auto commandsBefore = commandCounts(redis);
  auto start = Clock::now();
  system.service("employment").start();
  double serviceSeconds =
      waitCaughtUp(redis, system.service("employment"), "employment", system.partitions(), start);
  std::cerr << "  Redis commands per event, employment (with the bus's for derived events): "
            << commandsPerEvent(commandsBefore, redis, stored) << "\n";
  commandsBefore = commandCounts(redis);
  double bareSeconds = bareCatchUp(redis, system.partitions(), ServiceLoopOptions{}.maxBatch);
  std::cerr << "  Redis commands per event, bare reader: "
            << commandsPerEvent(commandsBefore, redis, stored) << "\n";
  deleteKeys(redis, "mwp:bench:*");
  double service = static_cast<double>(stored) / serviceSeconds;
  double bare = static_cast<double>(stored) / bareSeconds;
  row("catch-up: employment replaying " + std::to_string(stored) + " stored events",
      perSecond(service), perSecond(bare) + " bare reader", fixed(service / bare), "≥ 0.50");

  size_t liveCount = std::min<size_t>(o.events, 200000);
  std::cerr << "applying: employment follows " << liveCount << " new events\n";
  auto live = makeStream(liveCount, o.seed + 1);
  double applySeconds = applyRate(system, redis, live, "employment");
  system.service("employment").stop();
  auto bareLive = makeStream(liveCount, o.seed + 2);
  BareSubscriber subscriber(system, ServiceLoopOptions{}.maxBatch);
  start = Clock::now();
  auto bareSent = publishAll(bareLive, inOrder(bareLive.frames.size()), system, 0, progress, 512);
  double bareApplySeconds = subscriber.finish(bareSent.acknowledged.size(), start);
  deleteKeys(redis, "mwp:bench:*");
  double applied = static_cast<double>(live.frames.size()) / applySeconds;
  double bareApplied = static_cast<double>(bareLive.frames.size()) / bareApplySeconds;
  row("applying: employment following the bus, events published as fast as it takes them",
      perSecond(applied), perSecond(bareApplied) + " bare ZeroMQ → Redis writer",
      fixed(applied / bareApplied), "≥ 0.50");

  std::cerr << "the other services and the gateway take everything\n";
  for (const auto& s : serviceNames()) {
    if (!system.service(s).running()) system.service(s).start();
  }
  system.gateway().start();
  if (!waitSettled(system, std::chrono::seconds(1800)))
    stepFailed("every service taking the log", "not settled in 1800 s");

  std::cerr << "publish → visible in the gateway at 1,000 events/s for " << o.latencySeconds
            << " s\n";
  auto paced = makeStream(static_cast<size_t>(1000 * o.latencySeconds), o.seed + 3);
  auto latencies = visibilityLatencies(system, paced, 1000, o.latencySeconds);
  row("publish → verdict visible in the gateway, 1,000 events/s (" +
          std::to_string(latencies.size()) + " sampled)",
      "p50 " + fixed(percentile(latencies, 0.5), 1) + " ms, p99 " +
          fixed(percentile(latencies, 0.99), 1) + " ms",
      "–", "–", "p99 ≤ 50 ms");
  if (!waitSettled(system, kStepLimit))
    stepFailed("after publish → visible", "not settled in " + std::to_string(kStepLimit.count()) + " s");

  // Integrators ask for many workers: the gateway's kept sections help only when a record is
  // asked again, so wrk goes round the busiest workers' records rather than asking one.
  std::vector<std::string> paths;
  for (const auto& w : busiestWorkers(stream, kWrkWorkers)) paths.push_back("/v1/workers/" + w);
  httplib::Client client("127.0.0.1", system.gatewayPort());
  auto record = client.Get(paths.at(0), {{"Authorization", "Bearer " + system.apiKey()}});
  if (record && record->status == 200) {
    std::string base = "http://127.0.0.1:" + std::to_string(system.gatewayPort());
    std::cerr << "wrk, " << o.wrkSeconds << " s each: the gateway keeping sections, the gateway "
              << "asking every time, a bare server\n";
    auto kept = runWrk(base, paths, system.apiKey(), o.wrkSeconds, o.dir);
    system.gateway().stop();
    system.gateway().setEnv("MWP_GATEWAY_KEPT_SECTIONS", "0");
    system.gateway().start();
    waitForHttp(system.gatewayPort());
    auto asked = runWrk(base, paths, system.apiKey(), o.wrkSeconds, o.dir);

    std::string bodyFile = o.dir + "/record.json";
    std::ofstream(bodyFile) << record->body;
    int barePort = freeTcpPort();
    ChildProcess bareServer(o.build + "/tools/bench/mwp-bench-bare-http", {},
                            {std::to_string(barePort), bodyFile}, o.dir + "/log/bare-http.log");
    bareServer.start();
    waitForHttp(barePort);
    auto bareHttp =
        runWrk("http://127.0.0.1:" + std::to_string(barePort), paths, "-", o.wrkSeconds, o.dir);
    bareServer.stop();
    auto gatewayRow = [&](const std::string& what, const WrkResult& r) {
      row(what, perSecond(r.requestsPerSecond) + ", p99 " + fixed(r.p99Ms, 1) + " ms",
          perSecond(bareHttp.requestsPerSecond) + ", p99 " + fixed(bareHttp.p99Ms, 1) +
              " ms bare cpp-httplib, the largest record",
          fixed(r.requestsPerSecond / bareHttp.requestsPerSecond), "≥ 0.25; p99 ≤ 10 ms");
    };
    gatewayRow("gateway GET /v1/workers/{id}, " + std::to_string(paths.size()) +
                   " workers in turn (largest record " + std::to_string(record->body.size()) +
                   " B), wrk 32 connections; sections kept until they change",
               kept);
    gatewayRow("the same, every section asked of its service (MWP_GATEWAY_KEPT_SECTIONS=0)", asked);
  } else {
    std::cerr << "the gateway did not answer for the busiest worker; no wrk rows\n";
  }

  std::cerr << "Redis memory\n";
  std::set<std::string> workers;
  for (const auto* s : {&stream, &live, &bareLive, &paced}) {
    for (const auto& w : s->workerIds) {
      if (!w.empty()) workers.insert(w);
    }
  }
  uint64_t entries = logEntries(redis, system.partitions());
  double statePerWorker = static_cast<double>(memoryOf(redis, scanKeys(redis, "mwp:svc:*"))) /
                          static_cast<double>(workers.size());
  double verdictsPerEvent = static_cast<double>(memoryOf(redis, scanKeys(redis, "mwp:verdict:*"))) /
                            static_cast<double>(entries);
  std::vector<std::string> logKeys = scanKeys(redis, "mwp:log:*");
  auto dedupKeys = scanKeys(redis, "mwp:dedup:*");
  logKeys.insert(logKeys.end(), dedupKeys.begin(), dedupKeys.end());
  double logPerEvent = static_cast<double>(memoryOf(redis, logKeys)) / static_cast<double>(entries);
  double raw = rawLogBytesPerEvent(redis, 20000);
  row("Redis: the services' state per worker (" + std::to_string(workers.size()) + " workers)",
      fixed(statePerWorker, 0) + " B", "–", "–", "≤ 2048 B");
  row("Redis: verdicts per stored event (kept 90 days)", fixed(verdictsPerEvent, 0) + " B", "–",
      "–", "–");
  row("Redis: the event log per stored event (" + std::to_string(entries) + " events)",
      fixed(logPerEvent, 0) + " B", fixed(raw, 0) + " B raw stream entry + dedup key",
      fixed(logPerEvent / raw), "≤ 1.2");
  system.stopAll();
  wageFeedRow(o);
  return 0;
}

}  // namespace
}  // namespace mwp::bench

int main(int argc, char** argv) {
  mwp::bench::Options o;
  mwp::CommandLine line(
      "mwp-bench-system",
      "The figures that need a whole mwp (catch-up, applying, publish → visible, the gateway "
      "under\n"
      "wrk, Redis memory), each beside the limit it is compared with, as a Markdown table.");
  line.option("--build", "DIR", "the build tree with the binaries (default build)", o.build)
      .option("--dir", "DIR", "where the run keeps its data and logs (default var/bench)", o.dir)
      .option("--events", "N", "events of the simulated year stored first (default 1000000)",
              o.events)
      .option("--seed", "S", "seed of the simulated year (default 2026)", o.seed)
      .option("--latency-seconds", "S", "how long publish → visible is measured (default 20)",
              o.latencySeconds)
      .option("--wrk-seconds", "S", "how long each wrk run lasts (default 10)", o.wrkSeconds)
      .option("--redis-server", "PATH", "the redis-server binary (default /usr/bin/redis-server)",
              o.redisServer)
      .option("--wage-feed-workers", "N",
              "workers of measure 20's monthly bank feed, 2 events each (default 100000; 0: none)",
              o.wageFeedWorkers)
      .flag("--wage-feed-only", "only the bank feed's row", o.wageFeedOnly)
      .notes("exit codes: 0 the table printed, 1 a run failed, 64 a bad command line");
  return mwp::runTool(line, argc, argv, [&] { return mwp::bench::run(o); });
}
