// The rules of every measure reported as activities — measure 12, measure 13, measure 17,
// measure 18, measure 19, measure 23, measure 24, measure 25, measure 26, measure 27, measure 28,
// measure 29 and measure 30 — alike, from the catalogue: what each activity counts toward
// (catalogue_names::kActivityMeasures) and the per-area checklists it ticks (kChecklists).
#include "outreach_rules.h"

#include "derived_events.h"
#include "ids.h"
#include "rule_fields.h"

namespace mwp::outreach {
namespace {

using catalogue_names::kActivityMeasures;
using catalogue_names::kChecklists;

const ActivityMeasure* activityMeasure(int measure) {
  for (const auto& m : kActivityMeasures) {
    if (m.measure == measure) return &m;
  }
  return nullptr;
}

std::string checklistKey(Indicator checklist, const std::string& area) {
  return "checklist:" + std::to_string(checklist.measure) + ":" + area;
}

// Ticks every checklist the activity ticks. A once-done checklist remembers the earliest day it
// was done, whatever order the reports come in; one that holds for the year is the year's count
// of the activity, its own indicator, already counted.
void tickChecklists(StateTx& state, int measure, std::string_view activity, const std::string& area,
                    capnp::Text::Reader heldOn) {
  for (const auto& checklist : kChecklists) {
    if (checklist.indicator.measure != measure || checklist.tickedBy != activity) continue;
    if (checklist.holds != ChecklistHolds::kOnceDone) continue;
    auto key = checklistKey(checklist.indicator, area);
    auto done = state.get(key);
    if (!done || *done > std::string(heldOn.cStr())) state.put(key, heldOn.cStr());
  }
}

}  // namespace

std::optional<Indicator> activityIndicator(int measure, std::string_view activity) {
  if (const auto* m = activityMeasure(measure)) {
    for (const auto& counter : m->byActivity) {
      if (counter.activity == activity) return counter.indicator;
    }
  }
  return std::nullopt;
}

std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t) {
  if (auto returnee = applyReturneeEvent(event, state)) return returnee;
  if (!event.isActivityReported()) return std::nullopt;
  auto e = event.getActivityReported();
  int measure = e.getMeasure();
  std::string activity = e.getActivity().cStr();
  // The bus has checked that the activity is one its measure lists; the rules do not rely on it.
  const auto* m = activityMeasure(measure);
  auto own = activityIndicator(measure, activity);
  if (!m || !own) {
    return refuse(rules::catalogue::activity_listed,
                  "activity " + activity + " 不是措施 " + std::to_string(measure) + " 所列的活动",
                  "activity: " + activity + " is not one measure " + std::to_string(measure) +
                      " lists");
  }
  std::string area = event.getArea().cStr();
  int year = yearOfField(e.getHeldOn(), "heldOn");
  // One visit reported by the trade union and by the county counts once when both name it.
  if (e.getActivityId().size() > 0 &&
      seenBefore(state, std::string("activity:") + e.getActivityId().cStr(), event)) {
    std::string activity = e.getActivityId().cStr();
    return appliedWithNote(rules::outreach::activity::counted_once,
                           "活动 " + activity + " 已报送，只计一次",
                           "activity " + activity + " was reported before: counted once");
  }
  countIndicator(state, m->activities, area, year, e.getCount());
  countIndicator(state, *own, area, year, e.getCount());
  countIndicator(state, m->participants, area, year, e.getParticipants());
  countIndicator(state, m->fundsYuan, area, year, e.getFundsYuan());
  tickChecklists(state, measure, activity, area, e.getHeldOn());
  return Applied{};
}

std::vector<IndicatorValue> checklists(const StateReader& state, const Catalogue& catalogue,
                                       int64_t nowSeconds) {
  std::string today = formatDate(chinaDayOf(nowSeconds));
  int year = yearOf(today);
  const auto& areas = catalogue.reportingAreas();
  std::vector<IndicatorValue> out;
  for (const auto& checklist : kChecklists) {
    if (checklist.holds != ChecklistHolds::kOnceDone) continue;
    std::vector<std::string> keys;
    for (const auto& area : areas) keys.push_back(checklistKey(checklist.indicator, area));
    auto doneOn = state.getMany(keys);
    for (size_t i = 0; i < areas.size(); ++i) {
      bool done = doneOn[i] && *doneOn[i] <= today;
      out.emplace_back(checklist.indicator, areas[i], year, done ? 1.0 : 0.0);
    }
  }
  return out;
}

}  // namespace mwp::outreach
