#include "derived_events.h"

#include <capnp/message.h>

#include "frames.h"
#include "ids.h"

namespace mwp {

bool seenBefore(StateTx& state, const std::string& naturalKey, msg::Envelope::Reader event) {
  if (state.get(naturalKey)) return true;
  state.put(naturalKey, event.getEventId().cStr());
  return false;
}

std::string makeDerivedEvent(const DerivedHeader& header,
                             const std::function<void(msg::Envelope::Builder)>& fill) {
  std::string id = header.eventId;
  if (id.size() > 64) {
    auto colon = id.find(':');
    id = id.substr(0, colon) + ":" + hex64(fnv1a64(id));
  }
  capnp::MallocMessageBuilder message;
  auto derived = message.initRoot<msg::Envelope>();
  derived.setEventId(id);
  derived.setOccurredAt(header.occurredAt);
  derived.setSource(msg::Department::MWP_SERVICE);
  derived.setArea(header.area);
  if (!header.workerId.empty()) derived.setWorkerId(header.workerId);
  if (!header.causedBy.empty()) derived.setCausedBy(header.causedBy);
  fill(derived);
  return toBytes(message);
}

std::string deriveEvent(msg::Envelope::Reader cause, const std::string& prefix,
                        const std::function<void(msg::Envelope::Builder)>& fill) {
  return makeDerivedEvent(
      {prefix + ":" + cause.getEventId().cStr(), cause.getOccurredAt().cStr(),
       cause.getArea().cStr(), cause.getWorkerId().cStr(), cause.getEventId().cStr()},
      fill);
}

}  // namespace mwp
