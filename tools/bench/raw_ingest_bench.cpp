// mwp-bench-raw-ingest: the limit the bus is measured against — a bare hiredis program running
// the bus's own ingest script (dedup + sequence + append) pipelined in batches of 256, with the
// same stored envelopes, and nothing else: no sockets, no checks, no answers.
//   MWP_REDIS_PORT=… mwp-bench-raw-ingest FIXTURE.ndjson [--events N] [--runs R]
#include "bench_support.h"
#include "event_log.h"
#include "event_rules.h"
#include "frames.h"
#include "ids.h"
#include "process.h"

namespace {

int measure(const mwp::bench::BenchOptions& options) {
  using namespace mwp;
  Env env;
  Redis redis(redisFromEnv(env));
  size_t script = redis.addScript(kIngestScript);
  uint32_t partitions = partitionCountFromEnv(env);  // the bus's default, 8, unless told otherwise
  std::string window = std::to_string(30 * 86400);   // the bus's default de-duplication window
  constexpr size_t kBatch = 256;

  return bench::reportRuns(options, "stored", [&](size_t run) -> std::optional<double> {
    // The bus's work before the script, done before the clock starts.
    struct Item {
      std::string id, envelope, digest;
      uint32_t partition;
    };
    std::vector<Item> items;
    for (auto& e : bench::freshEvents(options, "raw", run)) {
      auto envelope = e.envelope();
      std::string bytes = canonicalFrame(envelope);
      items.push_back({envelope.getEventId().cStr(), bytes, hex64(fnv1a64(bytes)),
                       partitionOf(subjectOf(envelope), partitions)});
    }
    auto started = std::chrono::steady_clock::now();
    for (size_t at = 0; at < items.size(); at += kBatch) {
      std::vector<RedisCommand> batch;
      for (size_t i = at; i < std::min(items.size(), at + kBatch); ++i) {
        const auto& it = items[i];
        batch.push_back(redis.scriptCommand(
            script, {keys::dedup(it.id), keys::sequence(it.partition), keys::log(it.partition)},
            {it.envelope, it.digest, window, std::to_string(it.partition)}));
      }
      redis.pipeline(batch);
    }
    return bench::secondsSince(started);
  });
}

}  // namespace

int main(int argc, char** argv) {
  return mwp::bench::benchMain(
      argc, argv, "mwp-bench-raw-ingest",
      "The limit the bus is measured against: the bus's own ingest script, pipelined in batches\n"
      "of 256 by a bare hiredis program (MWP_REDIS_PORT), with nothing else.",
      false, measure);
}
