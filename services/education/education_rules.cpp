#include "education_rules.h"

#include <chrono>
#include <map>

#include "catalogue.h"
#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/education.capnp.h"
#include "stored_record.h"

namespace mwp::education {
namespace {

using Record = StoredRecord<msg::EducationRecord>;
constexpr int kMeasure = 14;

std::chrono::year_month_day civil(int32_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
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

void count(msg::Envelope::Reader event, StateTx& state, const char* indicator,
           const std::string& date, int64_t delta = 1) {
  countIndicator(state, kMeasure, indicator, event.getArea().cStr(), yearOf(date), delta);
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
  if (event.isSchoolPlacementRequested()) {
    auto e = event.getSchoolPlacementRequested();
    std::string child = e.getChildId().cStr();
    int32_t requested = *parseDate(e.getRequestedOn().cStr());
    int32_t september = schoolYearStart(requested);
    int age = ageOn(residentIdBirthDay(child), september);
    bool primary = e.getStage() == msg::SchoolStage::PRIMARY;
    int low = primary ? policy_.primaryMinAge : policy_.juniorMinAge;
    int high = primary ? policy_.primaryMaxAge : policy_.juniorMaxAge;
    if (age < low || age > high) {
      return refuse("the child is " + std::to_string(age) + " on " + formatDate(september) + "; " +
                    enumName(e.getStage()) + " takes ages " + std::to_string(low) + "–" +
                    std::to_string(high));
    }
    if (state.get("request:" + child)) {
      return refuse("a request for this child is already waiting for a decision");
    }
    state.put("request:" + child, std::string(event.getWorkerId().cStr()) + "|" +
                                      e.getRequestedOn().cStr() + "|" + event.getArea().cStr());
    Record record(state, std::string("worker:") + event.getWorkerId().cStr());
    auto r = record.get();
    auto p = appendTo<msg::Placement>(record.orphanage(), r.getPlacements(),
                                      [&](auto o) { r.adoptPlacements(kj::mv(o)); });
    p.setChildName(e.getChildName());
    p.setChildIdMasked(maskResidentId(child));
    p.setStage(e.getStage());
    p.setResidenceArea(e.getResidenceArea());
    p.setRequestedOn(e.getRequestedOn());
    record.save();
    state.index(undecidedIndex(event.getArea().cStr()), "request:" + child, requested);
    count(event, state, "placements_requested", e.getRequestedOn().cStr());
    return Applied{};
  }
  if (event.isSchoolPlacementDecided()) {
    auto e = event.getSchoolPlacementDecided();
    std::string child = e.getChildId().cStr();
    auto open = state.get("request:" + child);
    std::string parent = event.getWorkerId().cStr();
    if (!open || open->substr(0, open->find('|')) != parent) {
      return refuse("no request waiting for this child from this parent");
    }
    std::string requestedOn = open->substr(parent.size() + 1, 10);
    std::string requestArea = open->substr(parent.size() + 12);
    Record record(state, "worker:" + parent);
    auto p = placementOf(record.get(), maskResidentId(child), requestedOn);
    if (!p) return refuse("no request waiting for this child from this parent");
    int32_t decided = *parseDate(e.getDecidedOn().cStr());
    if (decided < *parseDate(requestedOn)) return refuse("decided before it was requested");
    // Indicators count where and when the request was made, so rates compare like with like.
    auto countAtRequest = [&](const char* indicator, int64_t delta = 1) {
      countIndicator(state, kMeasure, indicator, requestArea, yearOf(requestedOn), delta);
    };
    if (e.getPlaced()) {
      p->getDecision().setPlaced(e.getSchool());
      countAtRequest("placed");
      // 就近入学: placed in the county the family lives in.
      if (e.getSchoolArea() == p->getResidenceArea()) countAtRequest("placed_in_residence_area");
    } else {
      p->getDecision().setRefusedBecause(e.getReason().size() ? e.getReason() : "not given");
    }
    p->setSchoolArea(e.getSchoolArea());
    p->setDecidedOn(e.getDecidedOn());
    p->setOverdue(decided - *parseDate(requestedOn) > policy_.decisionDays);
    countForMedian(state, kMeasure, "median_days_to_decision", requestArea, yearOf(requestedOn),
                   decided - *parseDate(requestedOn));
    record.save();
    state.erase("request:" + child);
    state.unindex(undecidedIndex(requestArea), "request:" + child);
    return Applied{};
  }
  return std::nullopt;
}

std::vector<IndicatorValue> undecidedTooLong(const StateReader& state, const Catalogue& catalogue,
                                            int64_t nowSeconds, int decisionDays) {
  // Made on or before this day and still open: waiting longer than decisionDays.
  int32_t lastDay = chinaDayOf(nowSeconds) - decisionDays - 1;
  std::vector<IndicatorValue> out;
  for (const auto& area : catalogue.reportingAreas()) {
    std::map<int, double> byYear;
    for (const auto& waiting : state.scoredUpTo(undecidedIndex(area), lastDay)) {
      ++byYear[yearOf(formatDate(static_cast<int32_t>(waiting.score)))];
    }
    for (const auto& [year, n] : byYear) {
      out.push_back({kMeasure, "undecided_over_30_days", area, year, n});
    }
  }
  return out;
}

}  // namespace mwp::education
