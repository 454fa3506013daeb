// mwp-bench-raw-ingest: the limit the bus is measured against — a bare hiredis program running
// the bus's own ingest script (dedup + sequence + append) pipelined in batches of 256, with the
// same stored envelopes, and nothing else: no sockets, no checks, no answers.
//   MWP_REDIS_PORT=… mwp-bench-raw-ingest FIXTURE.ndjson [--events N] [--runs R]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <variant>

#include "event_json.h"
#include "event_log.h"
#include "event_rules.h"
#include "frames.h"
#include "ids.h"
#include "process.h"

int main(int argc, char** argv) {
  using namespace mwp;
  if (argc < 2) {
    std::cerr << "usage: mwp-bench-raw-ingest FIXTURE.ndjson [--events N] [--runs R]\n";
    return 64;
  }
  size_t events = 100000, runs = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--events") events = std::stoul(argv[i + 1]);
    if (a == "--runs") runs = std::stoul(argv[i + 1]);
  }
  std::vector<std::string> samples;
  std::ifstream in(argv[1]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) samples.push_back(line);
  }
  Env env;
  Redis redis(redisFromEnv(env));
  size_t script = redis.addScript(kIngestScript);
  constexpr uint32_t kPartitions = 8;
  constexpr size_t kBatch = 256;
  auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  std::vector<double> rates;
  for (size_t run = 0; run < runs; ++run) {
    struct Item {
      std::string id, envelope, digest;
      uint32_t partition;
    };
    std::vector<Item> items;
    items.reserve(events);
    for (size_t i = 0; i < events; ++i) {
      std::string json = samples[i % samples.size()];
      auto start = json.find("\"eventId\": \"") + 12;
      json.replace(
          start, json.find('"', start) - start,
          "raw-" + std::to_string(stamp) + "-" + std::to_string(run) + "-" + std::to_string(i));
      auto decoded = decodeEventJson(json);
      auto envelope = std::get<DecodedEvent>(decoded).envelope();
      std::string bytes = canonicalFrame(envelope);
      items.push_back({envelope.getEventId().cStr(), bytes, hex64(fnv1a64(bytes)),
                       partitionOf(subjectOf(envelope), kPartitions)});
    }
    auto started = std::chrono::steady_clock::now();
    for (size_t at = 0; at < items.size(); at += kBatch) {
      std::vector<RedisCommand> batch;
      for (size_t i = at; i < std::min(items.size(), at + kBatch); ++i) {
        const auto& it = items[i];
        batch.push_back(redis.scriptCommand(
            script, {keys::dedup(it.id), keys::sequence(it.partition), keys::log(it.partition)},
            {it.envelope, it.digest, "2592000", std::to_string(it.partition)}));
      }
      redis.pipeline(batch);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rates.push_back(events / seconds);
    std::cout << "run " << run + 1 << ": " << static_cast<int64_t>(events / seconds)
              << " events/s stored\n";
  }
  std::sort(rates.begin(), rates.end());
  std::cout << "median: " << static_cast<int64_t>(rates[rates.size() / 2]) << " events/s\n";
  return 0;
}
