// JSON ↔ the Cap'n Proto envelope, in the shape of EVENTS.md, for the gateway and mwpctl.
//
// capnp::JsonCodec alone would turn a clerk's typo into a silent default (a misspelled
// `insuredMonth` becomes 0 months, a wrong subsidy). So decoding first walks the parsed JSON
// against the schema: every member must be a field, every field not marked $optional must be
// present, and there is exactly one payload. Thread-safe (each call builds its own codec state).
#pragma once

#include <capnp/message.h>

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "mwp/messages/events.capnp.h"
#include "mwp/rule_names.h"

namespace mwp {

struct DecodedEvent {
  std::unique_ptr<capnp::MallocMessageBuilder> message;
  msg::Envelope::Reader envelope() const { return message->getRoot<msg::Envelope>().asReader(); }
};

struct JsonError {
  std::string eventId;  // what the text carried as eventId, or "-" if nothing readable
  std::string
      reason;  // what is wrong, naming the member: "skillCertified.insuredMonth: unknown field"
};

std::variant<DecodedEvent, JsonError> decodeEventJson(std::string_view json);

// A line that is no JSON event, refused under rules::bus::event::json (the decoder's words are
// English; the Chinese reason says what kind of fault it is and quotes them).
Reason refusalOf(const JsonError& error);

// One line of compact JSON, the same shape decodeEventJson reads.
std::string encodeEventJson(msg::Envelope::Reader envelope);

}  // namespace mwp
