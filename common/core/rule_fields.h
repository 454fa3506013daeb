// Reading an event's dates inside a rule. The bus checks every date field before it stores an
// event, but a rule does not rely on a check made elsewhere: a date that does not parse is a
// refusal that names the field, not a dereferenced empty optional.
#pragma once

#include <capnp/blob.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rules.h"

namespace mwp {

// Bad content in a field a rule reads, naming the field in English and Chinese; turned into the
// event's refusal (rules::record::field_readable) by refusingBadFields. what() is both.
class FieldRefused : public std::runtime_error {
 public:
  FieldRefused(const std::string& en, const std::string& zh)
      : std::runtime_error(en + "（" + zh + "）"), en_(en), zh_(zh) {}
  const std::string& en() const { return en_; }
  const std::string& zh() const { return zh_; }

 private:
  std::string en_, zh_;
};

// The day (since 1970-01-01) of the YYYY-MM-DD date in `field`; throws FieldRefused naming it.
int32_t dayOf(capnp::Text::Reader date, std::string_view field);

// The calendar year of the YYYY-MM-DD date in `field`; throws FieldRefused naming it.
int yearOfField(capnp::Text::Reader date, std::string_view field);

// The birth date (days since 1970-01-01) of the resident ID in `field`; throws FieldRefused naming
// it.
int32_t birthDayOf(capnp::Text::Reader residentId, std::string_view field);

// The Unix time of the RFC 3339 timestamp in `field`; throws FieldRefused naming it.
int64_t instantOf(capnp::Text::Reader timestamp, std::string_view field);

// The rules' verdict on an event, with a field that does not hold what the bus checked it holds
// as a refusal. A service's EventRules::apply returns `refusingBadFields([&] { … })`: the loop
// drops whatever the rule wrote before it refused.
template <typename Rule>
std::optional<Applied> refusingBadFields(Rule&& rule) {
  try {
    return rule();
  } catch (const FieldRefused& e) {
    return refuse(rules::record::field_readable, e.zh(), e.en());
  }
}

}  // namespace mwp
