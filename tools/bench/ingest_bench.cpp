// mwp-bench-ingest: events acknowledged per second by a running bus (durable, de-duplicated,
// sequenced), from one pipelined publisher. ops/bench-ingest.sh runs it beside the bare script
// and redis-benchmark on the same machine.
//   MWP_BUS_INGEST=… [MWP_KEY_FILE=… MWP_BUS_SERVER_KEY_FILE=…] mwp-bench-ingest FIXTURE.ndjson
//       [--events N] [--runs R] [--window W]
#include "bench_support.h"
#include "bus_client.h"
#include "frames.h"
#include "process.h"

namespace {

int measure(const mwp::bench::BenchOptions& options) {
  using namespace mwp;
  const char* endpoint = std::getenv("MWP_BUS_INGEST");
  zmq::context_t context;
  PublisherOptions publisherOptions;
  publisherOptions.window = options.window;
  Env env;  // MWP_KEY_FILE and MWP_BUS_SERVER_KEY_FILE: CURVE, as ops/run.sh runs the bus
  publisherOptions.curve = curveClientFromEnv(env);
  Publisher publisher(context, endpoint ? endpoint : "tcp://127.0.0.1:7101", publisherOptions);

  return bench::reportRuns(options, "acknowledged", [&](size_t run) -> std::optional<double> {
    // Frames are made before the clock starts: this measures the bus, not JSON decoding.
    std::vector<std::string> frames;
    for (auto& e : bench::freshEvents(options, "bench", run)) frames.push_back(toBytes(*e.message));
    auto started = std::chrono::steady_clock::now();
    auto results = publisher.publish(frames);
    double seconds = bench::secondsSince(started);
    size_t acked = std::count_if(results.begin(), results.end(), [](const IngestResult& r) {
      return r.status == msg::IngestReply::Status::ACK;
    });
    if (acked != frames.size()) {
      std::cerr << "only " << acked << " of " << frames.size() << " acknowledged as new\n";
      return std::nullopt;
    }
    return seconds;
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
