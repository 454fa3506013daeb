// mwp-bench-ingest: events acknowledged per second by a running bus (durable, de-duplicated,
// sequenced), from one pipelined publisher. ops/bench-ingest.sh runs it beside the bare script
// and NATS JetStream on the same machine. With --duplicates the bus must answer each re-sent
// event DUP and each reused eventId with other content NACK (counted); with --one-at-a-time each
// event is sent once the last is answered, and the wait for each answer is reported (p50, p99).
//   MWP_BUS_INGEST=… [MWP_KEY_FILE=… MWP_BUS_SERVER_KEY_FILE=…] mwp-bench-ingest FIXTURE.ndjson
//       [--events N] [--runs R] [--window W] [--frames-per-message F] [--duplicates]
//       [--one-at-a-time] [--cpu-of …]
#include "bench_support.h"
#include "bus_client.h"
#include "frames.h"
#include "process.h"

namespace {

using mwp::msg::IngestReply;

int measure(const mwp::bench::BenchOptions& options) {
  using namespace mwp;
  const char* endpoint = std::getenv("MWP_BUS_INGEST");
  zmq::context_t context;
  PublisherOptions publisherOptions;
  publisherOptions.window = options.window;
  if (options.framesPerMessage) publisherOptions.framesPerMessage = *options.framesPerMessage;
  Env env;  // MWP_KEY_FILE and MWP_BUS_SERVER_KEY_FILE: CURVE, as ops/run.sh runs the bus
  publisherOptions.curve = curveClientFromEnv(env);
  Publisher publisher(context, endpoint ? endpoint : "tcp://127.0.0.1:7101", publisherOptions);

  return bench::reportRuns(options, "answered", [&](size_t run) -> std::optional<bench::RunResult> {
    // Frames are made before the clock starts: this measures the bus, not JSON decoding.
    auto plan = bench::sendPlan(options, "bench", run);
    std::vector<std::string> frames;
    for (auto& f : plan.frames) frames.push_back(std::move(f.frame));
    std::vector<IngestResult> results;
    std::vector<double> latencies;
    bench::RunClock clock(options);
    if (options.oneAtATime) {
      for (const auto& frame : frames) {
        auto sent = std::chrono::steady_clock::now();
        results.push_back(publisher.publish(frame));
        latencies.push_back(bench::secondsSince(sent));
      }
    } else {
      results = publisher.publish(frames);
    }
    auto result = clock.stop(frames.size());
    result.latencies = std::move(latencies);
    std::map<IngestReply::Status, size_t> answers;
    for (const auto& r : results) ++answers[r.status];
    size_t acked = answers[IngestReply::Status::ACK],
           duplicates = answers[IngestReply::Status::DUPLICATE],
           refused = answers[IngestReply::Status::NACK];
    if (options.duplicates) {
      std::cout << "answers: " << acked << " ACK, " << duplicates << " DUP, " << refused
                << " NACK (sent " << plan.fresh << " new, " << plan.resent << " re-sent, "
                << plan.conflicting << " reused eventIds with other content)\n";
    }
    if (acked != plan.fresh || duplicates != plan.resent || refused != plan.conflicting) {
      std::cerr << "expected " << plan.fresh << " ACK, " << plan.resent << " DUP, "
                << plan.conflicting << " NACK; answered " << acked << ", " << duplicates << ", "
                << refused << "\n";
      return std::nullopt;
    }
    return result;
  });
}

}  // namespace

int main(int argc, char** argv) {
  return mwp::bench::benchMain(
      argc, argv, "mwp-bench-ingest",
      "Events acknowledged per second by a running bus (MWP_BUS_INGEST; CURVE with MWP_KEY_FILE\n"
      "and MWP_BUS_SERVER_KEY_FILE), from one pipelined publisher.",
      true, measure);
}
