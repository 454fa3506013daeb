#include "outreach_queries.h"

#include <capnp/compat/json.h>
#include <capnp/message.h>

#include "outreach_rules.h"
#include "state_keys.h"
#include "worklist_page.h"

namespace mwp::outreach {

namespace {
constexpr const char* kService = "outreach";

uint32_t counter(const RedisReply& reply) {
  return reply.type == RedisReply::Type::kString ? static_cast<uint32_t>(std::stoul(reply.str)) : 0;
}
}  // namespace

std::optional<std::string> OutreachQueries::list(Redis& redis, msg::ListQuery::Reader query) {
  if (std::string(query.getName().cStr()) != "villageCoverage") {
    return worklistPage(redis, kService, query);
  }
  std::string filter = query.getFilter().cStr();
  auto bar = filter.find('|');
  if (bar == std::string::npos) return std::nullopt;
  std::string village = filter.substr(0, bar);
  std::string key = serviceKey(kService, villageCoverageKey(std::stoi(filter.substr(bar + 1))));
  auto counts = redis.pipeline({{"HGET", key, village + "|returnees"},
                                {"HGET", key, village + "|visited"}});
  capnp::MallocMessageBuilder message;
  auto coverage = message.initRoot<msg::VillageCoverage>();
  coverage.setReturnees(counter(counts.at(0)));
  coverage.setVisited(counter(counts.at(1)));
  capnp::JsonCodec codec;
  return std::string(codec.encode(coverage.asReader()).cStr());
}

}  // namespace mwp::outreach
