// What the schema says about each event kind, read once through Cap'n Proto's schema API:
// the kinds are the members of the envelope's payload union, and their rules are annotations
// (messages/rules.capnp). Thread-safe.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mwp/messages/events.capnp.h"
#include "mwp/messages/rules.capnp.h"

namespace mwp {

// The ids of the annotations in messages/rules.capnp. capnpc-c++ emits no constants for
// annotation ids, so they are repeated here; event_rules_test proves each one is honoured.
namespace annotation {
constexpr uint64_t kDate = 0xd2a3f0c4a8e1b701;
constexpr uint64_t kTime = 0xd2a3f0c4a8e1b702;
constexpr uint64_t kResidentId = 0xd2a3f0c4a8e1b703;
constexpr uint64_t kCreditCode = 0xd2a3f0c4a8e1b704;
constexpr uint64_t kAreaCode = 0xd2a3f0c4a8e1b705;
constexpr uint64_t kOptional = 0xd2a3f0c4a8e1b706;
constexpr uint64_t kMaxLength = 0xd2a3f0c4a8e1b707;
constexpr uint64_t kPositive = 0xd2a3f0c4a8e1b708;
constexpr uint64_t kSubject = 0xd2a3f0c4a8e1b709;
constexpr uint64_t kWorker = 0xd2a3f0c4a8e1b70a;
constexpr uint64_t kDerived = 0xd2a3f0c4a8e1b70b;
constexpr uint64_t kAtMost = 0xd2a3f0c4a8e1b70c;
constexpr uint64_t kMonth = 0xd2a3f0c4a8e1b70d;
constexpr uint64_t kVillage = 0xd2a3f0c4a8e1b70e;
}  // namespace annotation

// The annotation `id` on a field or struct, if present.
std::optional<capnp::schema::Value::Reader> findAnnotation(capnp::StructSchema::Field field,
                                                           uint64_t id);
std::optional<capnp::schema::Value::Reader> findAnnotation(capnp::StructSchema schema, uint64_t id);

// Every kind of the catalogue, in schema order (without the `noPayload` marker).
const std::vector<std::string>& allKinds();

// The kind an envelope carries: "workerRegistered", …, "noPayload", or "unknown" for a union
// member this build's schema does not have.
std::string kindOf(msg::Envelope::Reader envelope);

// The payload union member for `kind`; nullopt for an unknown kind.
std::optional<capnp::StructSchema::Field> kindField(std::string_view kind);

// The envelope's union discriminant for `kind`, what `Envelope::Reader::which()` answers for it;
// nullopt for an unknown kind. Tables by kind are indexed by it, so an event's kind is found
// without comparing names.
std::optional<msg::Envelope::Which> kindWhich(std::string_view kind);

bool isDerivedKind(std::string_view kind);

// The schema's name of an enum value ("hrss", "intermediate"); "" for a value the schema lacks.
template <typename E>
std::string enumName(E value) {
  capnp::DynamicValue::Reader dynamic = value;
  KJ_IF_MAYBE (e, dynamic.as<capnp::DynamicEnum>().getEnumerant()) {
    return e->getProto().getName().cStr();
  }
  return "";
}
rules::WorkerRule workerRule(std::string_view kind);

}  // namespace mwp
