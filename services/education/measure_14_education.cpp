// Measure 14 (提供平等义务教育): school placements for migrant workers' accompanying children —
// the age that fits the stage, placement near the residence, the days to a decision, and the
// requests left undecided past 30 days.
#include <chrono>
#include <map>

#include "catalogue.h"
#include "education_rules.h"
#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/education.capnp.h"
#include "rule_fields.h"
#include "stored_record.h"

namespace mwp::education {
namespace {

using Record = StoredRecord<msg::EducationRecord>;

std::chrono::year_month_day civil(int32_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
}

// A decision needs the request it decides, by this parent for this child.
Applied noRequestWaiting() {
  return refuse(rules::record::exists_first, "没有该家长为该儿童提出的待决定申请",
                "no request waiting for this child from this parent");
}

std::string undecidedIndex(const std::string& area) {
  return "undecided:" + area;
}

// The placement in `record` for the child, if any.
std::optional<msg::Placement::Builder> placementOf(msg::EducationRecord::Builder record,
                                                   const std::string& masked,
                                                   const std::string& requestedOn) {
  for (auto p : record.getPlacements()) {
    if (masked == p.getChildIdMasked().cStr() && requestedOn == p.getRequestedOn().cStr()) return p;
  }
  return std::nullopt;
}

}  // namespace

int32_t schoolYearStart(int32_t day) {
  using namespace std::chrono;
  auto ymd = civil(day);
  int y = static_cast<int>(ymd.year());
  if (static_cast<unsigned>(ymd.month()) < 3) --y;
  return static_cast<int32_t>(sys_days{year{y} / September / 1}.time_since_epoch().count());
}

int ageOn(int32_t birthDay, int32_t day) {
  auto b = civil(birthDay), d = civil(day);
  int age = static_cast<int>(d.year()) - static_cast<int>(b.year());
  if (std::chrono::month_day{d.month(), d.day()} < std::chrono::month_day{b.month(), b.day()})
    --age;
  return age;
}

std::optional<Applied> EducationRules::apply(msg::Envelope::Reader event, StateTx& state, int64_t) {
  return refusingBadFields([&]() -> std::optional<Applied> {
    if (event.isSchoolPlacementRequested()) return placementRequested(event, state);
    if (event.isSchoolPlacementDecided()) return placementDecided(event, state);
    return std::nullopt;
  });
}

Applied EducationRules::placementRequested(msg::Envelope::Reader event, StateTx& state) const {
  auto e = event.getSchoolPlacementRequested();
  std::string child = e.getChildId().cStr();
  int32_t requested = dayOf(e.getRequestedOn(), "requestedOn");
  int32_t september = schoolYearStart(requested);
  int age = ageOn(birthDayOf(e.getChildId(), "childId"), september);
  bool primary = e.getStage() == msg::SchoolStage::PRIMARY;
  int low = primary ? policy_.primaryMinAge : policy_.juniorMinAge;
  int high = primary ? policy_.primaryMaxAge : policy_.juniorMaxAge;
  if (age < low || age > high) {
    return refuse(rules::education::enrolment::age,
                  "该儿童 " + formatDate(september) + " 为 " + std::to_string(age) + " 周岁；" +
                      enumName(e.getStage()) + " 招收 " + std::to_string(low) + "–" +
                      std::to_string(high) + " 周岁",
                  "the child is " + std::to_string(age) + " on " + formatDate(september) + "; " +
                      enumName(e.getStage()) + " takes ages " + std::to_string(low) + "–" +
                      std::to_string(high));
  }
  if (state.get("request:" + child)) {
    return refuse(rules::education::enrolment::one_request_waiting, "该儿童已有一个待决定的入学申请",
                  "a request for this child is already waiting for a decision");
  }
  state.put("request:" + child, std::string(event.getWorkerId().cStr()) + "|" +
                                    e.getRequestedOn().cStr() + "|" + event.getArea().cStr());
  Record record(state, std::string("worker:") + event.getWorkerId().cStr());
  auto p = record.append(&msg::EducationRecord::Builder::getPlacements,
                         &msg::EducationRecord::Builder::adoptPlacements);
  copySameNamedFields(e, p, {"childId"});  // the full ID stays in the request key: masked here
  p.setChildIdMasked(maskResidentId(child));
  record.save();
  state.index(undecidedIndex(event.getArea().cStr()), "request:" + child, requested);
  countIndicator(state, measure14::kPlacementsRequested, event.getArea().cStr(),
                 yearOfDay(requested));
  return Applied{};
}

Applied EducationRules::placementDecided(msg::Envelope::Reader event, StateTx& state) const {
  auto e = event.getSchoolPlacementDecided();
  std::string child = e.getChildId().cStr();
  auto open = state.get("request:" + child);
  std::string parent = event.getWorkerId().cStr();
  if (!open || open->substr(0, open->find('|')) != parent) {
    return noRequestWaiting();
  }
  std::string requestedOn = open->substr(parent.size() + 1, 10);
  std::string requestArea = open->substr(parent.size() + 12);
  Record record(state, "worker:" + parent);
  auto p = placementOf(record.get(), maskResidentId(child), requestedOn);
  if (!p) return noRequestWaiting();
  int32_t decided = dayOf(e.getDecidedOn(), "decidedOn");
  // The request's day, as this service stored it when it applied the request.
  int32_t requestedDay =
      dayOf(capnp::Text::Reader(requestedOn.c_str(), requestedOn.size()), "requestedOn");
  if (decided < requestedDay) {
    return refuse(rules::record::dates_in_order, "决定日期早于申请日期",
                  "decided before it was requested");
  }
  // Indicators count where and when the request was made, so rates compare like with like.
  int requestYear = yearOfDay(requestedDay);
  auto countAtRequest = [&](Indicator indicator) {
    countIndicator(state, indicator, requestArea, requestYear);
  };
  if (e.getPlaced()) {
    p->getDecision().setPlaced(e.getSchool());
    countAtRequest(measure14::kPlaced);
    // 就近入学: placed in the county the family lives in.
    if (e.getSchoolArea() == p->getResidenceArea())
      countAtRequest(measure14::kPlacedInResidenceArea);
  } else {
    p->getDecision().setRefusedBecause(e.getReason().size() ? e.getReason() : "not given");
  }
  p->setSchoolArea(e.getSchoolArea());
  p->setDecidedOn(e.getDecidedOn());
  p->setOverdue(decided - requestedDay > policy_.decisionDays);
  countForMedian(state, measure14::kMedianDaysToDecision, requestArea, requestYear,
                 decided - requestedDay);
  record.save();
  state.erase("request:" + child);
  state.unindex(undecidedIndex(requestArea), "request:" + child);
  return Applied{};
}

std::vector<IndicatorValue> undecidedTooLong(const StateReader& state, const Catalogue& catalogue,
                                             int64_t nowSeconds, int decisionDays) {
  // Made on or before this day and still open: waiting longer than decisionDays.
  int32_t lastDay = chinaDayOf(nowSeconds) - decisionDays - 1;
  std::vector<IndicatorValue> out;
  for (const auto& area : catalogue.reportingAreas()) {
    std::map<int, double> byYear;
    for (const auto& waiting : state.scoredUpTo(undecidedIndex(area), lastDay)) {
      ++byYear[yearOfDay(static_cast<int32_t>(waiting.score))];
    }
    for (const auto& [year, n] : byYear) {
      out.emplace_back(measure14::kUndecidedOver30Days, area, year, n);
    }
  }
  return out;
}

}  // namespace mwp::education
