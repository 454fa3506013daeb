#include "rule_fields.h"

#include "ids.h"
#include "indicator_counts.h"

namespace mwp {

int32_t dayOf(capnp::Text::Reader date, std::string_view field) {
  if (auto day = parseDate(date.cStr())) return *day;
  throw FieldRefused(std::string(field) + ": not a date in the form YYYY-MM-DD",
                     std::string(field) + " 不是 YYYY-MM-DD 格式的日期");
}

int32_t birthDayOf(capnp::Text::Reader residentId, std::string_view field) {
  if (auto day = residentIdBirthDay(residentId.cStr())) return *day;
  throw FieldRefused(std::string(field) + ": not a resident ID with a birth date",
                     std::string(field) + " 不是含出生日期的身份证号");
}

int64_t instantOf(capnp::Text::Reader timestamp, std::string_view field) {
  if (auto instant = parseRfc3339(timestamp.cStr())) return *instant;
  throw FieldRefused(std::string(field) + ": not an RFC 3339 time with an offset",
                     std::string(field) + " 不是带时区的 RFC 3339 时间");
}

int yearOfField(capnp::Text::Reader date, std::string_view field) {
  return yearOfDay(dayOf(date, field));
}

}  // namespace mwp
