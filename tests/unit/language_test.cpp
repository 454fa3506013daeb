// Which language a reader asked for: Accept-Language (RFC 9110 §12.5.4) and POSIX locales.
#include "language.h"

#include <gtest/gtest.h>

namespace mwp {
namespace {

TEST(Language, AcceptLanguageChoosesByQValue) {
  auto zh = Language::kChinese, en = Language::kEnglish;
  EXPECT_EQ(languageOfAcceptLanguage("zh-CN"), zh);
  EXPECT_EQ(languageOfAcceptLanguage("zh"), zh);
  EXPECT_EQ(languageOfAcceptLanguage("ZH-hans-CN"), zh) << "ranges are case-insensitive";
  EXPECT_EQ(languageOfAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"), zh);
  EXPECT_EQ(languageOfAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.8"), en);
  EXPECT_EQ(languageOfAcceptLanguage("en;q=0.5, zh-CN;q=0.7"), zh) << "the q, not the order";
  EXPECT_EQ(languageOfAcceptLanguage("zh;q=0"), en) << "q=0 means not this";
  EXPECT_EQ(languageOfAcceptLanguage("*;q=0.5, en;q=0.1"), zh) << "* gives zh 0.5";
  EXPECT_EQ(languageOfAcceptLanguage("zh;q=0.5, en;q=0.5"), en) << "a tie is English";
  EXPECT_EQ(languageOfAcceptLanguage("zhx, zh;q=2, zh;q=abc"), en) << "unreadable elements ignored";
  EXPECT_EQ(languageOfAcceptLanguage("fr-FR"), en);
  EXPECT_EQ(languageOfAcceptLanguage(""), en);
}

TEST(Language, TheLocaleIsLcAllThenLcMessagesThenLang) {
  auto zh = Language::kChinese, en = Language::kEnglish;
  EXPECT_EQ(languageOfLocale(nullptr, nullptr, "zh_CN.UTF-8"), zh);
  EXPECT_EQ(languageOfLocale("", "", "zh_TW"), zh);
  EXPECT_EQ(languageOfLocale("C", nullptr, "zh_CN.UTF-8"), en) << "LC_ALL first";
  EXPECT_EQ(languageOfLocale(nullptr, "zh_CN.UTF-8", "en_US.UTF-8"), zh);
  EXPECT_EQ(languageOfLocale(nullptr, nullptr, nullptr), en);
}

}  // namespace
}  // namespace mwp
