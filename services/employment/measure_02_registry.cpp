// Measure 2 (提供用工信息): the real-name registry of migrant workers, kept up to date each quarter
// (按季度更新), and the vacancies published to them. Registering also counts the denominator of
// measure 16's 应发尽发 (every registered worker should hold a social security card).
#include "employment_measures.h"
#include "employment_rules.h"

namespace mwp::employment {
namespace {

void touchRegistry(Context& c, msg::Profile::Builder profile, capnp::Text::Reader on,
                   std::string_view field) {
  int32_t day = dayOf(on, field);
  std::string workerId = c.event.getWorkerId().cStr();
  std::string previousArea = profile.getArea().cStr();
  if (!previousArea.empty() && previousArea != c.area) {
    c.state.unindex(updatedIndex(previousArea), workerId);
  }
  profile.setArea(c.area);
  profile.setUpdatedOn(on);
  for (const auto& area : {c.area, std::string("all")}) {
    c.state.index(updatedIndex(area), workerId, day);
  }
}

}  // namespace

std::string updatedIndex(const std::string& area) {
  return "updated:" + area;
}

Applied workerRegistered(Context& c) {
  auto e = c.event.getWorkerRegistered();
  Record record(c.state, c.workerKey());
  auto profile = record.get().getProfile();
  if (!profile.getRegistered()) {
    // Registering twice updates the record; only the first registration counts.
    int year = yearOfField(e.getRegisteredOn(), "registeredOn");
    c.count(measure2::kWorkersRegistered, year);
    profile.setRegistered(true);
    profile.setRegisteredOn(e.getRegisteredOn());
  }
  // Name, gender, phone, areas and employer; registeredOn is the first registration's (above).
  copySameNamedFields(e, profile, {"registeredOn"});
  touchRegistry(c, profile, e.getRegisteredOn(), "registeredOn");
  record.save();
  return {};
}

Applied workerUpdated(Context& c) {
  auto e = c.event.getWorkerUpdated();
  Record record(c.state, c.workerKey());
  auto profile = record.get().getProfile();
  if (!profile.getRegistered())
    return refuse(rules::employment::registry::registered_first,
                  "该农民工未在实名登记库中登记，请先登记",
                  "worker not in the real-name registry: register first");
  copySameNamedFields(e, profile);  // where the worker lives and works now, and updatedOn
  touchRegistry(c, profile, e.getUpdatedOn(), "updatedOn");
  record.save();
  return {};
}

Applied vacancyPublished(Context& c, int64_t now) {
  auto e = c.event.getVacancyPublished();
  if (seenBefore(c)) {
    return refuse(rules::record::once, std::string("岗位 ") + e.getVacancyId().cStr() + " 已计数",
                  std::string("vacancy ") + e.getVacancyId().cStr() + " is already counted");
  }
  // A vacancy has no date of its own: it counts in the year it was reported.
  c.count(measure2::kVacanciesPublished, yearOfDay(chinaDayOf(now)), e.getPositions());
  return {};
}

std::vector<IndicatorValue> staleRecords(const StateReader& state, const Catalogue& catalogue,
                                         int64_t nowSeconds) {
  int32_t today = chinaDayOf(nowSeconds);
  int year = yearOfDay(today);
  std::vector<IndicatorValue> out;
  for (const auto& area : catalogue.reportingAreas()) {
    // Stale: the last update lies more than kStaleAfterDays days before today.
    auto stale = state.countUpTo(updatedIndex(area), today - kStaleAfterDays - 1);
    out.emplace_back(measure2::kRecordsStale, area, year, static_cast<double>(stale));
  }
  return out;
}

}  // namespace mwp::employment
