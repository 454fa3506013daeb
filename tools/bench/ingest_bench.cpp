// mwp-bench-ingest: events acknowledged per second by a running bus (durable, de-duplicated,
// sequenced), from one pipelined publisher. The events are the fixture's 45 kinds under fresh
// eventIds. Prints one line per run and the median; ops/bench-ingest.sh runs it beside
// redis-benchmark on the same machine.
//   mwp-bench-ingest FIXTURE.ndjson [--events N] [--runs R] [--window W]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <variant>

#include "bus_client.h"
#include "event_json.h"
#include "frames.h"

int main(int argc, char** argv) {
  using namespace mwp;
  if (argc < 2) {
    std::cerr << "usage: mwp-bench-ingest FIXTURE.ndjson [--events N] [--runs R] [--window W]\n";
    return 64;
  }
  size_t events = 100000, runs = 5, window = 1024;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    size_t v = std::stoul(argv[i + 1]);
    if (a == "--events") events = v;
    if (a == "--runs") runs = v;
    if (a == "--window") window = v;
  }
  std::vector<std::string> samples;
  std::ifstream in(argv[1]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) samples.push_back(line);
  }
  const char* endpoint = std::getenv("MWP_BUS_INGEST");
  zmq::context_t context;
  PublisherOptions options;
  options.window = window;
  Publisher publisher(context, endpoint ? endpoint : "tcp://127.0.0.1:7101", options);

  auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  std::vector<double> rates;
  for (size_t run = 0; run < runs; ++run) {
    // Frames are made before the clock starts: this measures the bus, not JSON decoding.
    std::vector<std::string> frames;
    frames.reserve(events);
    for (size_t i = 0; i < events; ++i) {
      std::string json = samples[i % samples.size()];
      auto start = json.find("\"eventId\": \"") + 12;
      json.replace(
          start, json.find('"', start) - start,
          "bench-" + std::to_string(stamp) + "-" + std::to_string(run) + "-" + std::to_string(i));
      auto decoded = decodeEventJson(json);
      frames.push_back(toBytes(*std::get<DecodedEvent>(decoded).message));
    }
    auto started = std::chrono::steady_clock::now();
    auto results = publisher.publish(frames);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    size_t acked = std::count_if(results.begin(), results.end(), [](const IngestResult& r) {
      return r.status == msg::IngestReply::Status::ACK;
    });
    if (acked != events) {
      std::cerr << "only " << acked << " of " << events << " acknowledged as new\n";
      return 1;
    }
    rates.push_back(events / seconds);
    std::cout << "run " << run + 1 << ": " << static_cast<int64_t>(events / seconds)
              << " events/s acknowledged\n";
  }
  std::sort(rates.begin(), rates.end());
  std::cout << "median: " << static_cast<int64_t>(rates[rates.size() / 2]) << " events/s\n";
  return 0;
}
