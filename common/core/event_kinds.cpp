#include "event_kinds.h"

#include <capnp/dynamic.h>

#include <set>

namespace mwp {
namespace {

std::optional<capnp::schema::Value::Reader> findIn(
    capnp::List<capnp::schema::Annotation>::Reader annotations, uint64_t id) {
  for (auto a : annotations) {
    if (a.getId() == id) return a.getValue();
  }
  return std::nullopt;
}

capnp::StructSchema envelopeSchema() {
  return capnp::Schema::from<msg::Envelope>();
}

}  // namespace

std::optional<capnp::schema::Value::Reader> findAnnotation(capnp::StructSchema::Field field,
                                                           uint64_t id) {
  return findIn(field.getProto().getAnnotations(), id);
}

std::optional<capnp::schema::Value::Reader> findAnnotation(capnp::StructSchema schema,
                                                           uint64_t id) {
  return findIn(schema.getProto().getAnnotations(), id);
}

const std::vector<std::string>& allKinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> out;
    for (auto field : envelopeSchema().getUnionFields()) {
      if (field.getType().isStruct()) out.emplace_back(field.getProto().getName().cStr());
    }
    return out;
  }();
  return kinds;
}

std::string kindOf(msg::Envelope::Reader envelope) {
  capnp::DynamicStruct::Reader dynamic = envelope;
  KJ_IF_MAYBE (field, dynamic.which()) {
    return field->getProto().getName().cStr();
  }
  return "unknown";
}

std::optional<capnp::StructSchema::Field> kindField(std::string_view kind) {
  KJ_IF_MAYBE (field, envelopeSchema().findFieldByName(kj::StringPtr(std::string(kind).c_str()))) {
    if (field->getType().isStruct()) return *field;
  }
  return std::nullopt;
}

std::optional<msg::Envelope::Which> kindWhich(std::string_view kind) {
  auto field = kindField(kind);
  if (!field) return std::nullopt;
  return static_cast<msg::Envelope::Which>(field->getProto().getDiscriminantValue());
}

bool isDerivedKind(std::string_view kind) {
  // Read from the schema once: the bus asks it of every event.
  static const std::set<std::string, std::less<>> derived = [] {
    std::set<std::string, std::less<>> out;
    for (const auto& k : allKinds()) {
      if (findAnnotation(kindField(k)->getType().asStruct(), annotation::kDerived)) out.insert(k);
    }
    return out;
  }();
  return derived.count(kind) > 0;
}

rules::WorkerRule workerRule(std::string_view kind) {
  auto field = kindField(kind);
  if (!field) return rules::WorkerRule::NONE;
  auto value = findAnnotation(field->getType().asStruct(), annotation::kWorker);
  return value ? static_cast<rules::WorkerRule>(value->getEnum()) : rules::WorkerRule::NONE;
}

}  // namespace mwp
