// mwp-bench-raw-ingest: the limit the bus is measured against — a bare hiredis program calling
// the bus's own log function, or the log module's command where Redis has it, as the bus does (dedup + sequence + one record batch per partition) once per batch of
// 256, with as many batches in flight as the bus keeps, the same stored envelopes, and nothing
// else: no sockets, no checks, no answers.
//   MWP_REDIS_PORT=… mwp-bench-raw-ingest FIXTURE.ndjson [--events N] [--runs R]
#include <deque>
#include <iostream>

#include "bench_support.h"
#include "event_log.h"
#include "event_rules.h"
#include "frames.h"
#include "ids.h"
#include "process.h"
#include "rules.h"

namespace {

int measure(const mwp::bench::BenchOptions& options) {
  using namespace mwp;
  Env env;
  Redis redis(redisFromEnv(env));
  redis.addFunctionLibrary(kLogFunctions);
  // The log module's command where this Redis has it, as the bus would choose.
  size_t moduleCommand = redis.addOptionalCommand(kStoreBatchCommand);
  uint32_t partitions = partitionCountFromEnv(env);  // the bus's default, 8, unless told otherwise
  DedupWindow window;                                // the bus's default de-duplication window
  constexpr size_t kBatch = 256;
  constexpr size_t kInFlight = 2;  // as the bus keeps: one is stored while the next is sent

  BatchStore store = redis.hasCommand(moduleCommand) ? BatchStore::kModuleCommand : BatchStore::kFunction;
  std::cerr << "storing with " << (store == BatchStore::kFunction ? "the Function" : kStoreBatchCommand)
            << "\n";
  return bench::reportRuns(options, "stored", [&](size_t run) -> std::optional<bench::RunResult> {
    // The bus's work before the script, done before the clock starts (and before the CPU times
    // are read: this program's own row is the calls', not the preparation's).
    struct Item {
      std::string id, envelope, digest;
      uint32_t partition;
    };
    std::vector<Item> items;
    for (auto& e : bench::freshEvents(options, "raw", run)) {
      auto envelope = e.envelope();
      std::string bytes = canonicalFrame(envelope);
      items.push_back({envelope.getEventId().cStr(), bytes, envelopeDigest(bytes),
                       partitionOf(subjectOf(envelope), partitions)});
    }
    bench::RunClock clock(options);
    std::deque<RecordBatchCall> inFlight;
    auto collectOldest = [&] {
      inFlight.front().outcomes(redis.collect().at(0));
      inFlight.pop_front();
    };
    for (size_t at = 0; at < items.size(); at += kBatch) {
      RecordBatchCall call(window, systemClock());
      for (size_t i = at; i < std::min(items.size(), at + kBatch); ++i) {
        call.add(items[i].partition, items[i].id, items[i].digest, items[i].envelope);
      }
      RedisPipeline pipeline;
      call.appendTo(pipeline, store);
      redis.send(pipeline);
      inFlight.push_back(std::move(call));
      if (inFlight.size() == kInFlight) collectOldest();
    }
    while (!inFlight.empty()) collectOldest();
    return clock.stop(items.size());
  });
}

}  // namespace

int main(int argc, char** argv) {
  return mwp::bench::benchMain(
      argc, argv, "mwp-bench-raw-ingest",
      "The limit the bus is measured against: the bus's own log function, called once per batch\n"
      "of 256, two batches in flight, by a bare hiredis program (MWP_REDIS_PORT), with nothing\n"
      "else.",
      false, measure);
}
