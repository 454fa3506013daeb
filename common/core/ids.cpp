#include "ids.h"

#include <array>
#include <chrono>

namespace mwp {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

bool allDigits(std::string_view s) {
  for (char c : s) {
    if (!isDigit(c)) return false;
  }
  return true;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

std::optional<int32_t> daysFromCivil(int y, int m, int d) {
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count());
}

}  // namespace

bool isValidResidentId(std::string_view id) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  if (id.size() != 18 || !allDigits(id.substr(0, 17))) return false;
  if (!isAreaCodeForm(id.substr(0, 6))) return false;
  if (!daysFromCivil(number(id.substr(6, 4)), number(id.substr(10, 2)), number(id.substr(12, 2))))
    return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  return id[17] == kCheck[sum % 11];
}

bool residentIdIsMale(std::string_view validId) {
  return (validId[16] - '0') % 2 == 1;
}

std::optional<int32_t> residentIdBirthDay(std::string_view id) {
  if (id.size() < 14 || !allDigits(id.substr(6, 8))) return std::nullopt;
  return daysFromCivil(number(id.substr(6, 4)), number(id.substr(10, 2)), number(id.substr(12, 2)));
}

std::string maskResidentId(std::string_view id) {
  if (id.size() < 8) return std::string(id.size(), '*');
  std::string masked(id.substr(0, 3));
  masked.append(id.size() - 7, '*');
  masked.append(id.substr(id.size() - 4));
  return masked;
}

bool isValidCreditCode(std::string_view code) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    auto value = kAlphabet.find(code[i]);
    if (value == std::string_view::npos) return false;
    sum += static_cast<int>(value) * kWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return code[17] == kAlphabet[check];
}

bool isAreaCodeForm(std::string_view code) {
  // GB/T 2260 province-level prefixes.
  static constexpr std::array<int, 34> kProvinces = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                     35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                     53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  if (code.size() != 6 || !allDigits(code)) return false;
  int province = number(code.substr(0, 2));
  for (int p : kProvinces) {
    if (p == province) return true;
  }
  return false;
}

std::optional<int32_t> parseDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  if (!allDigits(t.substr(0, 4)) || !allDigits(t.substr(5, 2)) || !allDigits(t.substr(8, 2)))
    return std::nullopt;
  return daysFromCivil(number(t.substr(0, 4)), number(t.substr(5, 2)), number(t.substr(8, 2)));
}

std::optional<int32_t> parseMonth(std::string_view t) {
  if (t.size() != 7 || t[4] != '-') return std::nullopt;
  if (!allDigits(t.substr(0, 4)) || !allDigits(t.substr(5, 2))) return std::nullopt;
  return daysFromCivil(number(t.substr(0, 4)), number(t.substr(5, 2)), 1);
}

std::string formatDate(int32_t daysSinceEpoch) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{daysSinceEpoch}}};
  char buf[16];
  snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
           static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

int32_t addMonths(int32_t daysSinceEpoch, int months) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{daysSinceEpoch}}};
  year_month_day moved = ymd + std::chrono::months{months};
  if (!moved.ok()) moved = year_month_day_last{moved.year(), month_day_last{moved.month()}};
  return static_cast<int32_t>(sys_days{moved}.time_since_epoch().count());
}

int32_t chinaDayOf(int64_t unixSeconds) {
  int64_t local = unixSeconds + 8 * 3600;
  return static_cast<int32_t>(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

std::optional<int64_t> parseRfc3339(std::string_view t) {
  // 2026-03-01T09:30:00[.123]Z or …+08:00
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't')) return std::nullopt;
  auto day = parseDate(t.substr(0, 10));
  if (!day) return std::nullopt;
  std::string_view clock = t.substr(11, 8);
  if (clock[2] != ':' || clock[5] != ':' || !allDigits(clock.substr(0, 2)) ||
      !allDigits(clock.substr(3, 2)) || !allDigits(clock.substr(6, 2)))
    return std::nullopt;
  int hh = number(clock.substr(0, 2)), mm = number(clock.substr(3, 2)),
      ss = number(clock.substr(6, 2));
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    size_t start = ++pos;
    while (pos < t.size() && isDigit(t[pos])) ++pos;
    if (pos == start) return std::nullopt;
  }
  std::string_view zone = t.substr(pos);
  int offsetSeconds = 0;
  if (zone == "Z" || zone == "z") {
    offsetSeconds = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             allDigits(zone.substr(1, 2)) && allDigits(zone.substr(4, 2))) {
    int oh = number(zone.substr(1, 2)), om = number(zone.substr(4, 2));
    if (oh > 23 || om > 59) return std::nullopt;
    offsetSeconds = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return int64_t{*day} * 86400 + hh * 3600 + mm * 60 + ss - offsetSeconds;
}

uint64_t fnv1a64(std::string_view bytes, uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

void hex64(uint64_t value, char (&out)[16]) {
  // By hand, not snprintf: the bus writes one per event.
  for (int i = 15; i >= 0; --i, value >>= 4) out[i] = "0123456789abcdef"[value & 0xF];
}

std::string hex64(uint64_t value) {
  char digits[16];
  hex64(value, digits);
  return std::string(digits, sizeof digits);
}

bool isValidEventId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
              c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace mwp
