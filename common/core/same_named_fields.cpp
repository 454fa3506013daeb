#include "same_named_fields.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mwp {
namespace {

bool isPlainValue(capnp::StructSchema::Field field) {
  auto proto = field.getProto();
  if (!proto.isSlot() || proto.getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT) {
    return false;
  }
  switch (field.getType().which()) {
    case capnp::schema::Type::LIST:
    case capnp::schema::Type::STRUCT:
    case capnp::schema::Type::INTERFACE:
    case capnp::schema::Type::ANY_POINTER:
    case capnp::schema::Type::DATA:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::vector<SameNamedField> sameNamedFields(capnp::StructSchema from, capnp::StructSchema to) {
  std::vector<SameNamedField> fields;
  for (auto target : to.getFields()) {
    KJ_IF_MAYBE (source, from.findFieldByName(target.getProto().getName())) {
      if (isPlainValue(*source) && isPlainValue(target) && source->getType() == target.getType()) {
        fields.push_back({*source, target});
      }
    }
  }
  return fields;
}

void copyFields(const std::vector<SameNamedField>& fields, capnp::DynamicStruct::Reader from,
                capnp::DynamicStruct::Builder to, std::initializer_list<std::string_view> except) {
  for (auto name : except) {
    if (from.getSchema().findFieldByName(kj::StringPtr(std::string(name).c_str())) == nullptr) {
      throw std::logic_error("copySameNamedFields: " + std::string(name) + " is no field of " +
                             from.getSchema().getShortDisplayName().cStr());
    }
  }
  for (const auto& field : fields) {
    std::string_view name = field.from.getProto().getName().cStr();
    if (std::find(except.begin(), except.end(), name) != except.end()) continue;
    to.set(field.to, from.get(field.from));
  }
}

}  // namespace mwp
