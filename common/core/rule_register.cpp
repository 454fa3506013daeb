#include "rule_register.h"

#include <charconv>
#include <stdexcept>

namespace mwp {

const RuleVersion* ruleInForce(RuleId rule, std::string_view date) {
  for (const auto& v : ruleVersions()) {
    if (std::string_view(v.id) != rule.id) continue;
    // YYYY-MM-DD compares as text.
    bool started = date >= std::string_view(v.inForceFrom);
    bool ended = *v.inForceTo != '\0' && date > std::string_view(v.inForceTo);
    if (started && !ended) return &v;
  }
  return nullptr;
}

const RuleVersion* firstVersion(RuleId rule) {
  for (const auto& v : ruleVersions()) {
    if (std::string_view(v.id) == rule.id) return &v;
  }
  return nullptr;
}

const RuleVersion* latestVersion(RuleId rule) {
  const RuleVersion* latest = nullptr;
  for (const auto& v : ruleVersions()) {
    if (std::string_view(v.id) == rule.id) latest = &v;
  }
  return latest;
}

uint32_t defaultFigure(const RuleVersion& version) {
  uint32_t figure = 0;
  const char* given = version.parameters[0].defaultValue;  // null: the version has no parameter
  std::string_view text = given ? given : "";
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), figure);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw std::logic_error(std::string(version.id) + " (from " + version.inForceFrom +
                           "): no parameter with a whole number as its default");
  }
  return figure;
}

std::string filled(std::string_view text, std::span<const Figure> figures, bool zh,
                   const char* rule) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t open = text.find('{', i);
    out.append(text.substr(i, open - i));
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open);
    // Else close + 1 would wrap to 0 and start the text again (rules_register.py refuses it).
    if (close == std::string_view::npos)
      throw std::logic_error(std::string(rule) + ": a { without its } in a reason template");
    std::string_view name = text.substr(open + 1, close - open - 1);
    const Figure* figure = nullptr;
    for (const auto& f : figures) {
      if (f.name == name) figure = &f;
    }
    if (!figure)
      throw std::logic_error(std::string(rule) + ": no figure {" + std::string(name) + "}");
    out += zh ? figure->zh : figure->en;
    i = close + 1;
  }
  return out;
}

Reason reasonOf(RuleId rule, std::string_view date, std::span<const Figure> figures) {
  const RuleVersion* v = ruleInForce(rule, date);
  if (!v) v = latestVersion(rule);
  if (!v || !*v->reasonZh) throw std::logic_error(std::string(rule.id) + ": no reason template");
  return {rule.id, filled(v->reasonZh, figures, true, rule.id),
          filled(v->reasonEn, figures, false, rule.id)};
}

}  // namespace mwp
