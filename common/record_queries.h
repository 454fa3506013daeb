// The worker section most services answer with: the Cap'n Proto record the service keeps under
// worker:<id>, as JSON. Thread-safe.
#pragma once

#include <capnp/compat/json.h>

#include "frames.h"
#include "query_server.h"

namespace mwp {

template <typename Record>
class WorkerRecordQueries : public QueryHandler {
 public:
  explicit WorkerRecordQueries(std::string service) : service_(std::move(service)) {}

  std::optional<std::string> workerSection(Redis& redis, const std::string& workerId) override {
    auto stored = redis.command({"GET", serviceKey(service_, "worker:" + workerId)});
    if (stored.isNil()) return std::nullopt;
    FrameReader reader(stored.str);
    capnp::JsonCodec codec;
    return std::string(codec.encode(reader.root<Record>()).cStr());
  }

 private:
  std::string service_;
};

}  // namespace mwp
