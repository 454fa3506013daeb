// Copying an event's payload into a record: most rules keep what an event says under the same
// names in the record (TrainingCompleted.hours → Training.hours). copySameNamedFields does that
// copy once for all of them, so that a rule spells out only what it keeps differently.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <initializer_list>
#include <string_view>
#include <vector>

namespace mwp {

// A field of the payload and the field of the record it is copied to.
struct SameNamedField {
  capnp::StructSchema::Field from;
  capnp::StructSchema::Field to;
};

// The fields of `to` that `from` has too: the same name and the same type, each a plain value
// (Bool, a number, an enum, Text) outside any union. Lists, structs, groups and union members
// are never paired: copying them is a decision a rule makes itself.
std::vector<SameNamedField> sameNamedFields(capnp::StructSchema from, capnp::StructSchema to);

// Sets each `to` field of `fields` to its `from` field, even where that is empty or the default
// (as rules that set each field by hand do, so the stored bytes are the same), except the fields
// named in `except`. Each name in `except` must be a field of `from`: a misspelt exclusion would
// otherwise copy what the rule means to leave out (std::logic_error).
void copyFields(const std::vector<SameNamedField>& fields, capnp::DynamicStruct::Reader from,
                capnp::DynamicStruct::Builder to, std::initializer_list<std::string_view> except);

// Copies every field `from` and `to` share (sameNamedFields) but those in `except`:
//   copySameNamedFields(e, training);                     // programme, hours, provider,
//   completedOn copySameNamedFields(e, profile, {"registeredOn"});   // kept from the first
//   registration only
// The pairs are worked out once per pair of types — the schemas are compiled in and never change
// — so a copy costs what setting the fields one by one through the dynamic API costs.
template <typename Reader, typename Builder>
void copySameNamedFields(Reader from, Builder to,
                         std::initializer_list<std::string_view> except = {}) {
  using From = capnp::FromReader<Reader>;
  using To = capnp::FromBuilder<Builder>;
  static const std::vector<SameNamedField> fields =
      sameNamedFields(capnp::Schema::from<From>(), capnp::Schema::from<To>());
  copyFields(fields, capnp::toDynamic(from), capnp::toDynamic(to), except);
}

}  // namespace mwp
