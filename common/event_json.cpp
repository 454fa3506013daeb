#include "event_json.h"

#include <capnp/compat/json.h>
#include <capnp/dynamic.h>

#include <optional>
#include <set>

#include "event_kinds.h"

namespace mwp {
namespace {

using capnp::JsonValue;

std::string memberName(const std::string& path, kj::StringPtr name) {
  return path.empty() ? std::string(name.cStr()) : path + "." + name.cStr();
}

bool isOptional(capnp::StructSchema::Field field) {
  return findAnnotation(field, annotation::kOptional).has_value();
}

// Every member a field, every required field present, exactly one union member. Returns what is
// wrong, or nullopt.
std::optional<std::string> checkMembers(JsonValue::Reader value, capnp::StructSchema schema,
                                        const std::string& path) {
  if (value.which() != JsonValue::OBJECT) {
    return (path.empty() ? std::string("the event") : path) + ": expected a JSON object";
  }
  std::vector<std::string> unionMembers;
  std::set<std::string> present;
  for (auto member : value.getObject()) {
    auto name = member.getName();
    KJ_IF_MAYBE (field, schema.findFieldByName(name)) {
      if (member.getValue().which() == JsonValue::NULL_) continue;  // null is absence
      if (!present.insert(name.cStr()).second) {
        return memberName(path, name) + ": given twice";
      }
      if (field->getProto().getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT) {
        unionMembers.emplace_back(name.cStr());
      }
      if (field->getType().isStruct()) {
        auto nested =
            checkMembers(member.getValue(), field->getType().asStruct(), memberName(path, name));
        if (nested) return nested;
      }
    } else {
      return memberName(path, name) + ": unknown field";
    }
  }
  for (auto field : schema.getNonUnionFields()) {
    auto name = field.getProto().getName();
    if (!isOptional(field) && !present.count(name.cStr())) {
      return memberName(path, name) + ": missing";
    }
  }
  if (schema.getUnionFields().size() > 0) {
    if (unionMembers.empty()) return "no payload: name one kind, e.g. \"workerRegistered\": {…}";
    if (unionMembers.size() > 1) {
      return "more than one payload (" + unionMembers[0] + ", " + unionMembers[1] +
             "): one event, one kind";
    }
  }
  return std::nullopt;
}

std::string eventIdOf(JsonValue::Reader value) {
  if (value.which() != JsonValue::OBJECT) return "-";
  for (auto member : value.getObject()) {
    if (member.getName() == "eventId" && member.getValue().which() == JsonValue::STRING) {
      std::string id = member.getValue().getString().cStr();
      return id.empty() ? "-" : id.substr(0, 64);
    }
  }
  return "-";
}

}  // namespace

std::variant<DecodedEvent, JsonError> decodeEventJson(std::string_view json) {
  capnp::JsonCodec codec;
  codec.setMaxNestingDepth(8);
  capnp::MallocMessageBuilder raw;
  auto value = raw.initRoot<JsonValue>();
  kj::ArrayPtr<const char> input(json.data(), json.size());
  KJ_IF_MAYBE (exception, kj::runCatchingExceptions([&] { codec.decodeRaw(input, value); })) {
    return JsonError{"-", std::string("not valid JSON: ") + exception->getDescription().cStr()};
  }
  std::string eventId = eventIdOf(value.asReader());
  if (auto problem = checkMembers(value.asReader(), capnp::Schema::from<msg::Envelope>(), "")) {
    return JsonError{eventId, *problem};
  }
  DecodedEvent decoded{std::make_unique<capnp::MallocMessageBuilder>()};
  auto envelope = decoded.message->initRoot<msg::Envelope>();
  KJ_IF_MAYBE (exception, kj::runCatchingExceptions([&] {
                 codec.decode(value.asReader(), capnp::DynamicStruct::Builder(envelope));
               })) {
    return JsonError{eventId,
                     std::string("does not fit the schema: ") + exception->getDescription().cStr()};
  }
  return decoded;
}

std::string encodeEventJson(msg::Envelope::Reader envelope) {
  capnp::JsonCodec codec;
  return codec.encode(envelope).cStr();
}

}  // namespace mwp
