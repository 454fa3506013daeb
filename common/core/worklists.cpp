#include "worklists.h"

#include "state_keys.h"

namespace mwp {

const WorklistInfo* worklistNamed(std::string_view name) {
  for (const auto& list : kWorklists) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

std::string worklistMember(const WorklistEntry& entry) {
  return entry.workerId + "|" + std::to_string(entry.year) + "|" + entry.village;
}

std::optional<WorklistEntry> parseWorklistMember(std::string_view member, double score) {
  auto first = member.find('|');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = member.find('|', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  WorklistEntry entry;
  entry.workerId = std::string(member.substr(0, first));
  try {
    entry.year = std::stoi(std::string(member.substr(first + 1, second - first - 1)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  entry.village = std::string(member.substr(second + 1));
  entry.sinceDay = static_cast<int32_t>(score);
  return entry;
}

namespace {
template <typename Each>
void forEachScope(const WorklistInfo& list, std::string_view area, const WorklistEntry& entry,
                  Each each) {
  each(worklistKey(list.name, area));
  each(worklistKey(list.name, "all"));
  if (!entry.village.empty()) each(worklistKey(list.name, entry.village));
}
}  // namespace

void putOnWorklist(StateTx& state, const WorklistInfo& list, std::string_view area,
                   const WorklistEntry& entry) {
  std::string member = worklistMember(entry);
  forEachScope(list, area, entry,
               [&](const std::string& set) { state.index(set, member, entry.sinceDay); });
}

void takeOffWorklist(StateTx& state, const WorklistInfo& list, std::string_view area,
                     const WorklistEntry& entry) {
  std::string member = worklistMember(entry);
  forEachScope(list, area, entry, [&](const std::string& set) { state.unindex(set, member); });
}

}  // namespace mwp
