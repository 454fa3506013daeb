// Applies JSON events to a service's rules with no sockets and no Redis, the way the service loop
// does: each event on a copy of the state, kept only if the event is applied.
#pragma once

#include <gtest/gtest.h>

#include <variant>

#include "event_json.h"
#include "event_rules.h"
#include "fixtures.h"
#include "frames.h"
#include "ids.h"
#include "indicator_counts.h"
#include "rules.h"

namespace mwp::test {

class RulesHarness {
 public:
  explicit RulesHarness(EventRules& rules, int64_t now = fixtureNow()) : rules_(rules), now_(now) {}

  // The verdict on one JSON event, which must pass the bus's checks: "applied" (or "applied:
  // <note>"), "refused: …", or "ignored" for a kind the rules do not own.
  std::string apply(const std::string& json) { return apply(json, BusCheck::kMustPass); }

  // The verdict on a JSON event the bus would refuse (a date that is no date, say): what the
  // rules do with content they must not take on trust.
  std::string applyUnchecked(const std::string& json) { return apply(json, BusCheck::kSkipped); }

  // The last verdict in full: its rule and its reason in both languages.
  Verdict last;

  // "<rule> | <reason in Chinese>" of the last verdict: what a test of a refusal's rule reads.
  std::string lastRuleAndZh() const { return last.rule + " | " + last.reasonZh; }

  // The derived events not yet applied, applied as they come back from the bus: their verdicts.
  std::vector<std::string> applyDerived() {
    std::vector<std::string> verdicts;
    while (derivedApplied_ < derived.size()) {
      FrameReader reader(derived[derivedApplied_++]);
      verdicts.push_back(apply(reader.root<msg::Envelope>()));
    }
    return verdicts;
  }

  std::string apply(msg::Envelope::Reader event) {
    MemoryState attempt = state;
    auto result = rules_.apply(event, attempt, now_);
    if (!result) return "ignored";
    last = result->verdict;
    if (!result->verdict.applied) return "refused: " + result->verdict.reason;
    state = std::move(attempt);
    for (auto& d : result->derived) derived.push_back(std::move(d));
    return result->verdict.reason.empty() ? "applied" : "applied: " + result->verdict.reason;
  }

  // The members of a sorted set of the state (a worklist, scored by a day), lowest score first,
  // as "member@YYYY-MM-DD".
  std::vector<std::string> members(const std::string& set) const {
    std::vector<std::string> out;
    for (const auto& s : state.scoredUpTo(set, 1e18)) {
      out.push_back(s.member + "@" + formatDate(static_cast<int32_t>(s.score)));
    }
    return out;
  }

  // The counter of an indicator in the state (0 when never counted), named by its handle
  // (measure4::kTrained) so that a test cannot look for a name the catalogue does not declare.
  int64_t indicator(int year, Indicator indicator, const std::string& area) {
    auto& hash = state.counters[indicator_keys::counts(year)];
    auto it = hash.find(indicator_keys::field(indicator.measure, indicator.name, area));
    return it == hash.end() ? 0 : it->second;
  }

  // A ratio indicator (measure11::kCompletedShareAllocated) as the exporter works it out: the
  // counter the catalogue names as its numerator ÷ the one it names as its denominator, in the
  // state; nullopt without a denominator (the exporter then reports none).
  std::optional<double> ratio(int year, Indicator ratio, const std::string& area) {
    auto counter = [&](capnp::Text::Reader name) -> double {
      auto& hash = state.counters[indicator_keys::counts(year)];
      auto it = hash.find(indicator_keys::field(ratio.measure, name.cStr(), area));
      return it == hash.end() ? 0 : it->second;
    };
    for (auto m : Catalogue::builtIn().data().getMeasures()) {
      if (m.getNumber() != ratio.measure) continue;
      for (auto i : m.getIndicators()) {
        if (std::string_view(i.getName().cStr()) != ratio.name || !i.hasRatio()) continue;
        double d = counter(i.getRatio().getDenominator());
        if (d == 0) return std::nullopt;
        return counter(i.getRatio().getNumerator()) / d;
      }
    }
    ADD_FAILURE() << ratio.name << " is not a ratio of measure " << ratio.measure;
    return std::nullopt;
  }

  // The derived events so far, read back. The harness holds the readers, so what one reads stays
  // valid as long as the harness: `h.derivedEvents().back()->root<…>()` may be kept.
  const std::vector<std::unique_ptr<FrameReader>>& derivedEvents() {
    while (derivedReaders_.size() < derived.size()) {
      derivedReaders_.push_back(std::make_unique<FrameReader>(derived[derivedReaders_.size()]));
    }
    return derivedReaders_;
  }

  void setNow(int64_t now) { now_ = now; }

  // Fires every timer due at `now`, as the loop does; returns how many fired.
  size_t fireTimers(int64_t now) {
    size_t fired = 0;
    for (bool again = true; again;) {
      again = false;
      for (const auto& [member, fireAt] : state.timers) {
        if (fireAt > now) continue;
        std::string due = member;
        state.clearTimer(due);
        auto result = rules_.onTimer(due, state, now);
        for (auto& d : result.derived) derived.push_back(std::move(d));
        ++fired;
        again = true;
        break;  // the map changed
      }
    }
    return fired;
  }

  MemoryState state;
  std::vector<std::string> derived;

 private:
  std::vector<std::unique_ptr<FrameReader>> derivedReaders_;  // of `derived`, in its order
  enum class BusCheck { kMustPass, kSkipped };
  std::string apply(const std::string& json, BusCheck check) {
    auto decoded = decodeEventJson(json);
    if (auto* e = std::get_if<JsonError>(&decoded)) {
      ADD_FAILURE() << "not a valid event: " << e->reason << "\n" << json;
      return "invalid";
    }
    auto event = std::get<DecodedEvent>(decoded).envelope();
    if (check == BusCheck::kMustPass) {
      if (auto problem = checkEvent(event, Catalogue::builtIn(), now_)) {
        ADD_FAILURE() << "the bus would refuse it: " << problem->en << "\n" << json;
        return "invalid";
      }
    }
    return apply(event);
  }

  EventRules& rules_;
  int64_t now_;
  size_t derivedApplied_ = 0;
};

// The fixture of a rules test: the service's rules, built with their default settings, under a
// harness with an empty state. `using HealthRulesTest = test::RulesTest<HealthRules>;`
template <typename Rules>
class RulesTest : public ::testing::Test {
 protected:
  Rules rules;
  RulesHarness h{rules};
};

// The value a computed indicator reports for an area and year, if it reports one.
inline std::optional<double> computedValue(const std::vector<IndicatorValue>& values,
                                           Indicator indicator, const std::string& area, int year) {
  std::optional<double> found;
  for (const auto& v : values) {
    if (v.measure != indicator.measure || v.indicator != indicator.name || v.area != area ||
        v.year != year) {
      continue;
    }
    EXPECT_FALSE(found) << indicator.name << " reported twice for " << area << " " << year;
    found = v.value;
  }
  return found;
}

// A JSON event built from a kind, its payload and the envelope's other members.
inline std::string event(const std::string& id, const std::string& kind, const std::string& payload,
                         const std::string& workerId = "", const std::string& source = "hrss",
                         const std::string& area = "510703",
                         const std::string& occurredAt = "2026-03-02T09:00:00+08:00") {
  std::string json = "{\"eventId\":\"" + id + "\",\"occurredAt\":\"" + occurredAt +
                     "\",\"source\":\"" + source + "\",\"area\":\"" + area + "\",";
  if (!workerId.empty()) json += "\"workerId\":\"" + workerId + "\",";
  return json + "\"" + kind + "\":" + payload + "}";
}

}  // namespace mwp::test
