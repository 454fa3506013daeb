// The worker section most services answer with: the Cap'n Proto record the service keeps under
// worker:<id>, as JSON, and the pages of the worklists the service keeps. Thread-safe.
#pragma once

#include <capnp/compat/json.h>

#include "frames.h"
#include "query_server.h"
#include "worklist_page.h"

namespace mwp {

template <typename Record>
class WorkerRecordQueries : public QueryHandler {
 public:
  explicit WorkerRecordQueries(std::string service) : service_(std::move(service)) {}

  WorkerSection workerSection(Redis& redis, const std::string& workerId) override {
    WorkerSection section{std::nullopt, {serviceKey(service_, "worker:" + workerId)}};
    auto stored = redis.command({"GET", section.keysRead[0]});
    if (stored.isNil()) return section;
    FrameReader reader(stored.str);
    capnp::JsonCodec codec;
    section.json = codec.encode(reader.root<Record>()).cStr();
    return section;
  }

  // The worklists the service keeps (worklists.h).
  std::optional<std::string> list(Redis& redis, msg::ListQuery::Reader query) override {
    return worklistPage(redis, service_, query);
  }

 private:
  std::string service_;
};

}  // namespace mwp
