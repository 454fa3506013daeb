// Identifiers and codes the policy's records carry: resident IDs, employer codes, area codes,
// dates and times. Pure functions, thread-safe, no allocation beyond their results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mwp {

// GB 11643-1999: 17 digits and a check character over weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// the sum mod 11 indexing "10X98765432"; digits 7–14 a real birth date.
bool isValidResidentId(std::string_view id);

// The 17th digit of a valid resident ID: odd for a man, even for a woman.
bool residentIdIsMale(std::string_view validId);

// Birth date of a resident ID, as days since 1970-01-01; nullopt when digits 7–14 are not a date.
std::optional<int32_t> residentIdBirthDay(std::string_view id);

// For anything shown outside the caseworker's role: `510***********1234`. Never log a full ID.
std::string maskResidentId(std::string_view id);

// GB 32100-2015 unified social credit code: 18 characters over 0-9 A-H J-N P-R T-U W-Y, weights
// 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, check = 31 − (sum mod 31), 31 → 0.
bool isValidCreditCode(std::string_view code);

// A GB/T 2260 county-level code in form: six digits under a real province prefix. Whether it is
// one of Mianyang's is the catalogue's question, not this one's.
bool isAreaCodeForm(std::string_view code);

// `YYYY-MM-DD`, a real calendar day, as days since 1970-01-01.
std::optional<int32_t> parseDate(std::string_view text);
std::string formatDate(int32_t daysSinceEpoch);

// `YYYY-MM`, a real calendar month, as the day (since 1970-01-01) of its first day.
std::optional<int32_t> parseMonth(std::string_view text);

// The same day `months` calendar months later; the month's last day where it is shorter
// (2025-08-31 + 6 months = 2026-02-28).
int32_t addMonths(int32_t daysSinceEpoch, int months);

// The calendar day (in China, UTC+8) of a Unix time.
int32_t chinaDayOf(int64_t unixSeconds);

// RFC 3339 with a mandatory offset (`Z` or ±HH:MM), fractional seconds allowed, as Unix seconds.
std::optional<int64_t> parseRfc3339(std::string_view text);

// FNV-1a, 64 bits: a stable hash for partitioning and content digests (not for security). Of
// bytes that follow others, given the hash of those as `hash`.
constexpr uint64_t kFnv1a64Offset = 1469598103934665603ull;
uint64_t fnv1a64(std::string_view bytes, uint64_t hash = kFnv1a64Offset);
// 16 lower-case hex digits; into `out` without allocating.
std::string hex64(uint64_t value);
void hex64(uint64_t value, char (&out)[16]);

// 1..64 characters of [A-Za-z0-9._:-]: what an eventId may be.
bool isValidEventId(std::string_view id);

}  // namespace mwp
