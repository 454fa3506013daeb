#include "outreach_rules.h"

#include <cctype>

#include "ids.h"

namespace mwp::outreach {
namespace {

// Checklist measures: the activity that ticks the box, and the indicator it sets.
struct Checklist {
  int measure;
  const char* activity;
  const char* indicator;
};
constexpr Checklist kChecklists[] = {
    {29, "serviceOrganisationEstablished", "areas_with_service_organisation"},
    {30, "budgetLineEstablished", "areas_with_budget_line"},
};

std::string checklistKey(int measure, const std::string& area) {
  return "checklist:" + std::to_string(measure) + ":" + area;
}

}  // namespace

std::string activityIndicator(const std::string& activity) {
  std::string out;
  for (char c : activity) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<Applied> OutreachRules::apply(msg::Envelope::Reader event, StateTx& state, int64_t) {
  if (!event.isActivityReported()) return std::nullopt;
  // The bus has checked that the activity is one its measure lists.
  auto e = event.getActivityReported();
  int measure = e.getMeasure();
  std::string area = event.getArea().cStr();
  std::string activity = e.getActivity().cStr();
  int year = yearOf(e.getHeldOn().cStr());
  countIndicator(state, measure, "activities", area, year, e.getCount());
  countIndicator(state, measure, activityIndicator(activity), area, year, e.getCount());
  countIndicator(state, measure, "participants", area, year, e.getParticipants());
  countIndicator(state, measure, "funds_yuan", area, year, e.getFundsYuan());
  for (const auto& checklist : kChecklists) {
    if (checklist.measure != measure || activity != checklist.activity) continue;
    auto key = checklistKey(measure, area);
    auto done = state.get(key);
    if (!done || *done > std::string(e.getHeldOn().cStr())) state.put(key, e.getHeldOn().cStr());
  }
  return Applied{};
}

std::vector<IndicatorValue> checklists(const StateReader& state, const Catalogue& catalogue,
                                      int64_t nowSeconds) {
  std::string today = formatDate(chinaDayOf(nowSeconds));
  int year = yearOf(today);
  const auto& areas = catalogue.reportingAreas();
  std::vector<IndicatorValue> out;
  for (const auto& checklist : kChecklists) {
    std::vector<std::string> keys;
    for (const auto& area : areas) keys.push_back(checklistKey(checklist.measure, area));
    auto doneOn = state.getMany(keys);
    for (size_t i = 0; i < areas.size(); ++i) {
      bool done = doneOn[i] && *doneOn[i] <= today;
      out.push_back({checklist.measure, checklist.indicator, areas[i], year, done ? 1.0 : 0.0});
    }
  }
  return out;
}

}  // namespace mwp::outreach
