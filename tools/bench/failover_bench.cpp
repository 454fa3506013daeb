// mwp-bench-failover: what "acknowledged = replicated" costs. On the layout of ops/run.sh --ha (the
// log's Redis a primary and a replica, min-replicas-to-write 1, three Sentinels), the bus's ingest
// with WAIT 1 before each acknowledgement beside the same bus without it, runs alternating in the
// same run; and the time from kill -9 of the log's primary to the bus's first acknowledgement of an
// event sent after it, on the replica the Sentinels promote (median of a few failovers). Prints the
// figures, and with --rows FILE appends the rows of ops/bench.sh's table.
//
//   mwp-bench-failover --build DIR --dir DIR [--events N] [--runs R] [--failovers F]
//                      [--down-after-ms MS] [--redis-server PATH] [--rows FILE]
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench_support.h"
#include "bus_client.h"
#include "command_line.h"
#include "local_system.h"
#include "traffic.h"

namespace mwp::bench {
namespace {

using namespace mwp::local;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string build = "build";
  std::string dir = "var/bench-failover";
  size_t events = 100000;
  size_t runs = 3;
  size_t failovers = 3;
  int downAfterMs = 5000;  // as ops/run.sh --ha and the deployment files
  std::string redisServer = "/usr/bin/redis-server";
  std::string rows;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string thousands(double value) {
  std::string digits = std::to_string(static_cast<int64_t>(value));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

// Publishes frames [from, from + count) of the stream one at a time, each a publish of its own with
// one short attempt; stops at the first acknowledged (ACK or DUP) that was sent at or after
// `after`. Returns when that acknowledgement came.
Clock::time_point firstAcknowledgedAfter(const System& system, const Stream& stream, size_t& next,
                                         Clock::time_point after) {
  zmq::context_t context;
  PublisherOptions options;
  options.replyTimeout = std::chrono::milliseconds(100);
  options.attempts = 1;
  options.curve = system.operatorKey();
  Publisher publisher(context, system.ingest(), options);
  while (next < stream.frames.size()) {
    auto sent = Clock::now();
    try {
      auto reply = publisher.publish(stream.frames[next++]);
      if (reply.status != msg::IngestReply::Status::NACK && sent >= after) return Clock::now();
    } catch (const BusUnreachable&) {
      // unanswered: the primary is gone, or not confirmed by a replica yet
    }
  }
  throw std::runtime_error("the stream ran out before the bus acknowledged on the new primary");
}

int run(const Options& o) {
  std::filesystem::remove_all(o.dir);
  SystemOptions layout{o.dir, o.build, o.redisServer, 8, true};
  layout.ha = true;
  layout.downAfterMs = o.downAfterMs;
  System system(layout);
  system.startRedis();
  std::cerr << "generating " << o.events << " events of the simulated year\n";
  auto stream = makeStream(o.events + 20000, 2026);  // the rest for the failovers
  std::vector<size_t> order = inOrder(o.events);

  // Runs alternate, each on an empty log and a freshly started bus, so that neither kind of run
  // has the machine's quieter moments to itself.
  std::vector<double> waited, unwaited;
  Redis log(system.logRedis());
  for (size_t run = 0; run < 2 * o.runs; ++run) {
    bool wait = run % 2 == 0;
    system.bus().terminateWithin(5);
    log.command({"FLUSHALL"});
    system.bus().setEnv("MWP_ACK_REPLICAS", wait ? "1" : "0");
    system.bus().start();
    std::atomic<size_t> progress{0};
    size_t warmUp = o.events;  // an event outside the measured ones, to know the bus is up
    firstAcknowledgedAfter(system, stream, warmUp, Clock::now());
    auto started = Clock::now();
    auto sent = publishAll(stream, order, system, 0, progress, 512);
    double rate = static_cast<double>(order.size()) / secondsSince(started);
    (wait ? waited : unwaited).push_back(rate);
    std::cout << "ingest run " << run / 2 + 1 << (wait ? ", WAIT 1:  " : ", no WAIT: ")
              << thousands(rate) << " events/s (" << sent.acknowledged.size() << " acknowledged)\n";
  }

  // Failovers: the bus waits for the replica again, as deployed.
  system.bus().terminateWithin(5);
  log.command({"FLUSHALL"});
  system.bus().setEnv("MWP_ACK_REPLICAS", "1");
  system.bus().start();
  size_t next = o.events + 1;
  firstAcknowledgedAfter(system, stream, next, Clock::now());
  std::vector<double> failovers;
  for (size_t f = 0; f < o.failovers; ++f) {
    auto& group = system.redisGroup("log");
    size_t killed = group.killPrimary();
    auto died = Clock::now();
    Clock::time_point promoted;
    std::thread rejoin([&] {
      group.restartAsReplica(killed);
      promoted = Clock::now();
    });
    auto acknowledged = firstAcknowledgedAfter(system, stream, next, died);
    rejoin.join();
    failovers.push_back(std::chrono::duration<double>(acknowledged - died).count());
    // The replica is promoted first; the bus acknowledges once the killed server is back as the
    // new primary's replica and has confirmed (WAIT 1; min-replicas-to-write 1).
    std::cout << "failover " << f + 1 << ": replica promoted after " << std::fixed
              << std::setprecision(1) << std::chrono::duration<double>(promoted - died).count()
              << " s, first acknowledgement " << failovers.back()
              << " s after kill -9 of the primary\n";
    // The next failover starts from a whole group: the restarted server in sync as a replica.
    firstAcknowledgedAfter(system, stream, next, Clock::now());
  }
  system.stopAll();

  double withWait = median(waited), without = median(unwaited), failover = median(failovers);
  std::ostringstream table;
  table << std::fixed << std::setprecision(2);
  table
      << "| bus ingest, acknowledged after `WAIT 1` (a replica has it; Sentinel layout), median of "
      << o.runs << " × " << thousands(static_cast<double>(o.events)) << " | " << thousands(withWait)
      << "/s | " << thousands(without)
      << "/s the same bus and Redis group, `MWP_ACK_REPLICAS=0`, runs alternating | "
      << withWait / without << " | (the cost of replication) |\n";
  table << std::setprecision(1)
        << "| failover: kill -9 of the log's primary → the bus's first acknowledgement on the "
           "promoted replica, median of "
        << o.failovers << " (down-after " << o.downAfterMs << " ms) | " << failover << " s | "
        << "down-after " << o.downAfterMs / 1000.0 << " s | – | (for comparison) |\n";
  std::cout << table.str();
  if (!o.rows.empty()) std::ofstream(o.rows, std::ios::app) << table.str();
  return 0;
}

}  // namespace
}  // namespace mwp::bench

int main(int argc, char** argv) {
  mwp::bench::Options o;
  mwp::CommandLine line(
      "mwp-bench-failover",
      "What acknowledging only replicated events costs: the bus's ingest with WAIT 1 beside the\n"
      "same without, and the time from a primary's death to the first acknowledgement after it.");
  line.option("--build", "DIR", "the build tree with the binaries (default build)", o.build)
      .option("--dir", "DIR", "where the run keeps its data and logs (default var/bench-failover)",
              o.dir)
      .option("--events", "N", "events an ingest run (default 100000)", o.events)
      .option("--runs", "R", "ingest runs of each kind; the median is reported (default 3)", o.runs)
      .option("--failovers", "F", "failovers; the median is reported (default 3)", o.failovers)
      .option("--down-after-ms", "MS",
              "how long the Sentinels wait before a primary is down (default 5000, as deployed)",
              o.downAfterMs)
      .option("--redis-server", "PATH", "the redis-server binary (default /usr/bin/redis-server)",
              o.redisServer)
      .option("--rows", "FILE", "append the rows of ops/bench.sh's table to FILE", o.rows)
      .notes("exit codes: 0 measured, 1 the run could not be made, 64 a bad command line");
  return mwp::runTool(line, argc, argv, [&] { return mwp::bench::run(o); });
}
