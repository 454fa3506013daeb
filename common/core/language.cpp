#include "language.h"

#include <cctype>
#include <algorithm>
#include <cstdlib>
#include <string>

namespace mwp {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool caseless(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// Whether the language range names `language` ("zh" matches "zh" and "zh-…").
bool names(std::string_view range, std::string_view language) {
  return caseless(range.substr(0, language.size()), language) &&
         (range.size() == language.size() || range[language.size()] == '-');
}

// The weight of one "range;q=0.8" element (RFC 9110 §12.4.2: 0 to 1, three decimals at most);
// -1 when it cannot be read, so the element is ignored.
double weightOf(std::string_view params) {
  double q = 1;
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = trimmed(params.substr(0, semi));
    params = semi == std::string_view::npos ? "" : params.substr(semi + 1);
    if (p.size() < 2 || std::tolower(static_cast<unsigned char>(p[0])) != 'q' || p[1] != '=') {
      continue;
    }
    std::string value(p.substr(2));
    if (value.empty() || value.size() > 5 || (value[0] != '0' && value[0] != '1')) return -1;
    char* end = nullptr;
    q = std::strtod(value.c_str(), &end);
    if (*end != '\0' || q < 0 || q > 1) return -1;
  }
  return q;
}

}  // namespace

Language languageOfAcceptLanguage(std::string_view header) {
  // The best q of each language, a range that names it outranking "*" at the same q.
  double zh = -1, en = -1, zhStar = -1, enStar = -1;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    size_t semi = element.find(';');
    std::string_view range = trimmed(element.substr(0, semi));
    double q = weightOf(semi == std::string_view::npos ? "" : element.substr(semi + 1));
    if (q < 0 || range.empty()) continue;
    if (range == "*") {
      zhStar = std::max(zhStar, q);
      enStar = std::max(enStar, q);
    } else if (names(range, "zh")) {
      zh = std::max(zh, q);
    } else if (names(range, "en")) {
      en = std::max(en, q);
    }
  }
  // A language named explicitly takes its own q (even 0: "not this"); else what "*" gives it.
  double zhWeight = zh >= 0 ? zh : zhStar, enWeight = en >= 0 ? en : enStar;
  return zhWeight > 0 && zhWeight > enWeight ? Language::kChinese : Language::kEnglish;
}

Language languageOfLocale(const char* lcAll, const char* lcMessages, const char* lang) {
  for (const char* locale : {lcAll, lcMessages, lang}) {
    if (locale && *locale) {
      return names(std::string_view(locale).substr(0, std::string_view(locale).find_first_of("_.@")),
                   "zh")
                 ? Language::kChinese
                 : Language::kEnglish;
    }
  }
  return Language::kEnglish;
}

}  // namespace mwp
