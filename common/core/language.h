// Which of mwp's two languages a reader asked for: Chinese (zh) or English, the default. Pure
// functions; thread-safe.
#pragma once

#include <string_view>

namespace mwp {

enum class Language { kEnglish, kChinese };

// The language an HTTP Accept-Language header prefers (RFC 9110 §12.5.4, basic ranges of
// RFC 4647 §2.1): the one of zh and en with the highest q-value, a range naming it ("zh",
// "zh-CN", "zh-Hans-CN") before "*"; English on a tie, an empty header, or nothing it can read.
Language languageOfAcceptLanguage(std::string_view header);

// The language of a POSIX locale, taken the way gettext takes it: LC_ALL, else LC_MESSAGES, else
// LANG, the first one set and not empty ("zh_CN.UTF-8" → Chinese; "C", "en_US" → English).
Language languageOfLocale(const char* lcAll, const char* lcMessages, const char* lang);

}  // namespace mwp
