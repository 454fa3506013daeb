#include "state_keys.h"

namespace mwp {

std::string timerSet(uint32_t partition) {
  return "timers:" + std::to_string(partition);
}

std::string worklistKey(std::string_view worklist, std::string_view scope) {
  return "worklist:" + std::string(worklist) + ":" + std::string(scope);
}

std::string serviceKey(const std::string& service, const std::string& key) {
  return "mwp:svc:" + service + ":" + key;
}

namespace keys {
std::string verdict(const std::string& service, const std::string& eventId) {
  return "mwp:verdict:" + service + ":" + eventId;
}
std::string cursor(const std::string& service, uint32_t partition) {
  return "mwp:cursor:" + service + ":" + std::to_string(partition);
}
std::string outbox(const std::string& service, uint32_t firstPartition) {
  return "mwp:outbox:" + service + ":" + std::to_string(firstPartition);
}
std::string tally(const std::string& service) {
  return "mwp:tally:" + service;
}
}  // namespace keys

}  // namespace mwp
