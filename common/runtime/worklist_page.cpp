#include "worklist_page.h"

#include <capnp/compat/json.h>
#include <capnp/message.h>

#include <algorithm>

#include "ids.h"
#include "state_keys.h"
#include "worklists.h"

namespace mwp {

std::optional<std::string> worklistPage(Redis& redis, const std::string& service,
                                        msg::ListQuery::Reader query) {
  std::string_view name = query.getName().cStr();
  constexpr std::string_view kPrefix = "worklist:";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const WorklistInfo* list = worklistNamed(name.substr(kPrefix.size()));
  if (!list || list->service != service) return std::nullopt;
  uint32_t size = std::clamp<uint32_t>(query.getPageSize() ? query.getPageSize() : 50, 1, 500);
  uint64_t offset = query.getPageToken().size() ? std::stoull(query.getPageToken().cStr()) : 0;
  // One more than the page: whether another page follows.
  auto members = redis.command({"ZRANGE", serviceKey(service, worklistKey(list->name,
                                                                          query.getFilter().cStr())),
                                std::to_string(offset), std::to_string(offset + size),
                                "WITHSCORES"});
  capnp::MallocMessageBuilder message;
  auto page = message.initRoot<msg::WorklistPage>();
  size_t found = members.elements.size() / 2;
  auto entries = page.initEntries(static_cast<unsigned>(std::min<size_t>(found, size)));
  for (unsigned i = 0; i < entries.size(); ++i) {
    auto entry = parseWorklistMember(members.elements[2 * i].str,
                                     std::stod(members.elements[2 * i + 1].str));
    if (!entry) continue;  // not written by worklists.h: left blank rather than guessed
    entries[i].setWorkerId(entry->workerId);
    entries[i].setYear(static_cast<uint16_t>(entry->year));
    entries[i].setVillage(entry->village);
    entries[i].setSince(formatDate(entry->sinceDay));
  }
  page.setNextPageToken(found > size ? std::to_string(offset + size) : "");
  capnp::JsonCodec codec;
  return std::string(codec.encode(page.asReader()).cStr());
}

}  // namespace mwp
