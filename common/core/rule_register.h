// The rules register (rules.json): every rule mwp applies, with its statement in Chinese and
// English, its source, its parameters and the dates it is in force. Code names a rule only through
// the handles generated from the register (mwp/rule_names.h), so a misspelt id fails to compile;
// tests/rules checks that every entry is used by code. Thread-safe: the register is constant.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mwp {

// A rule of the register, e.g. rules::employment::unemployment::residence_6_months.
struct RuleId {
  const char* id;
};

// A configuration key the rule reads ("" when the value is fixed by its source), its default and
// unit as the register states them.
struct RuleParameter {
  const char* key;
  const char* defaultValue;
  const char* unit;
};

// One version of a rule: the text in force from `inForceFrom` to `inForceTo` (YYYY-MM-DD, both
// included; "" for no bound).
struct RuleVersion {
  const char* id;
  const char* inForceFrom;
  const char* inForceTo;
  const char* zh;
  const char* en;
  const char* document;
  const char* article;
  const RuleParameter* parameters;  // ends with {nullptr, …}
  bool verified;
  // The template of a warning's reason, with {figures} to fill ("" when the rule has none): the
  // rule's own statement cannot carry the warning's month, days or share.
  const char* reasonZh;
  const char* reasonEn;
};

// Every version of every rule, in the register's order.
std::span<const RuleVersion> ruleVersions();

// The version of `rule` in force on `date` (YYYY-MM-DD); nullptr when none is (before its first
// version, or after it was repealed).
const RuleVersion* ruleInForce(RuleId rule, std::string_view date);

// The first and the latest version of `rule` (the latest is the one a configured value
// overrides); nullptr for no such rule.
const RuleVersion* firstVersion(RuleId rule);
const RuleVersion* latestVersion(RuleId rule);

// The default of the version's first parameter, as a whole number (36 months); throws
// std::logic_error naming the rule when the version has no parameter or its default is not one.
uint32_t defaultFigure(const RuleVersion& version);

// Why an event is refused: the rule, and the reason as a clerk would write it in each language
// (values filled in, never a resident ID).
struct Reason {
  std::string rule;
  std::string zh;
  std::string en;
};

// A figure of a reason's template: {name} becomes `zh` in the Chinese text, `en` in the English
// (the same but for words: 黄色 / yellow).
struct Figure {
  std::string_view name;
  std::string zh;
  std::string en;
};

// A reason's template, `text`, with its {figures} filled in (each figure's `zh` or `en`). Throws
// std::logic_error naming `rule` when a {figure} is not given or a { has no }.
std::string filled(std::string_view text, std::span<const Figure> figures, bool zh,
                   const char* rule);

// The reason of `rule` as its template in force on `date` (else its latest) says, with `figures`
// filled in. Throws std::logic_error when the rule has no template or a {figure} is not given: a
// fault of the code calling it.
Reason reasonOf(RuleId rule, std::string_view date, std::span<const Figure> figures);

}  // namespace mwp
