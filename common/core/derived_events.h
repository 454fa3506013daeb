// Events a service derives from what it applied (a subsidy granted, a deadline missed), and the
// once-only keys that make a re-sent fact count once. Every derived event's id is a function of
// its cause, so a re-application after a crash makes the same event and the bus keeps one.
#pragma once

#include <functional>
#include <string>

#include "mwp/messages/events.capnp.h"
#include "state.h"

namespace mwp {

// Whether a fact's own key (a fair's number, a certificate's) was seen before under another
// eventId; remembers it if not. Department systems re-send facts under new ids: they count once.
bool seenBefore(StateTx& state, const std::string& naturalKey, msg::Envelope::Reader event);

// A derived event in reply to `cause`: from mwpService, same area, worker and time, with an
// eventId derived from the cause's (`prefix:<cause id>`, or a digest of it when that would pass
// 64 characters). `fill` sets the payload.
std::string deriveEvent(msg::Envelope::Reader cause, const std::string& prefix,
                        const std::function<void(msg::Envelope::Builder)>& fill);

// The same for an event with no single cause (a deadline passing). Every field must be a pure
// function of the state, so that the event made again after a crash is the same event.
struct DerivedHeader {
  std::string eventId;  // "prefix:…"; past 64 characters, the part after the prefix is hashed
  std::string occurredAt;
  std::string area;
  std::string workerId;
  std::string causedBy;
};
std::string makeDerivedEvent(const DerivedHeader& header,
                             const std::function<void(msg::Envelope::Builder)>& fill);

}  // namespace mwp
