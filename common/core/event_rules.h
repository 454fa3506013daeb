// The checks the bus makes before it stores an event: everything that needs no service state.
// Field rules come from the schema's annotations (messages/rules.capnp); who may report what
// from the catalogue. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "catalogue.h"
#include "mwp/rule_names.h"
#include "mwp/messages/events.capnp.h"

namespace mwp {

// Texts without $maxLength may be this long, in characters.
constexpr size_t kDefaultMaxTextLength = 200;

// An event may claim to have happened at most this far in the future (clocks drift).
constexpr int64_t kMaxClockSkewSeconds = 5 * 60;

// Why the event must be refused — its rule (rules.json) and the reason in Chinese and English, in
// words a clerk can act on — or nullopt if it may be stored. Never quotes a resident ID.
// `nowSeconds` is Unix time.
std::optional<Reason> checkEvent(msg::Envelope::Reader event, const Catalogue& catalogue,
                                      int64_t nowSeconds);

// Why bytes that FrameReader or a check of them threw on are refused, in Chinese and English,
// naming what is at fault: the frame itself (its length, its segment table) or the first field of
// the envelope that points outside the message ("workerRegistered.name"). Never the library's
// text, which quotes addresses of the reading process's memory.
std::string unreadableEnvelopeReason(std::string_view bytes);

// The subject whose events must stay in order: the payload's $subject field (a case, a fair), else
// the worker, else the event itself.
std::string subjectOf(msg::Envelope::Reader event);

// The partition a subject's events go to: FNV-1a of the subject, modulo `partitionCount`. Stable
// across processes and releases: changing it would reorder every subject.
uint32_t partitionOf(std::string_view subject, uint32_t partitionCount);
// partitionOf(subjectOf(event), partitionCount), without building the subject: the bus's, per event.
uint32_t partitionOfEvent(msg::Envelope::Reader event, uint32_t partitionCount);

}  // namespace mwp
