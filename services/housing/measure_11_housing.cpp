// Measure 11 (改善居住条件): public rental housing — one unit per worker and one worker per unit
// at a time — dormitory beds, rent subsidies and housing provident fund enrolment.
//
// completed_share_allocated = units of the year's completions let to migrant workers ÷ public
// rental units completed in the year (publicRentalCompleted), per area: the share 措施十一 asks
// to set aside of each year's completions. Both count in the area and year of the completion: a
// unit counts toward its estate's completion (the allocation's estate, by name, city-wide) the
// first time it is let, whenever that is, and once — re-let after vacating, it is the same
// unit. Which phase of an estate a unit is in, the events do not say: the estate's lettings fill
// its phases earliest completion first, each a phase completed by its lease's start, and what no
// phase has room for is in no share. So no year's share can pass 1, and the share does not depend
// on the order in which the estate's completions and other workers' lettings (events of different
// partitions) were applied. units_allocated still counts every allocation in the year of its
// lease. The seed gives no number: the share has no target here.
#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "derived_events.h"
#include "housing_rules.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/housing.capnp.h"
#include "rule_fields.h"
#include "stored_record.h"

namespace mwp::housing {
namespace {

using Record = StoredRecord<msg::HousingRecord>;
using W = msg::HousingRecord::Builder;
using Estate = StoredRecord<msg::EstateRecord>;

std::string workerKey(msg::Envelope::Reader event) {
  return std::string("worker:") + event.getWorkerId().cStr();
}

std::string estateKey(capnp::Text::Reader estate) {
  return std::string("estate:") + estate.cStr();
}

using Phase = msg::EstateRecord::Completion;

// Where a phase sorts among its estate's phases: earliest completion first, then by its units and
// area — a total order on what a phase is, so the record is the same whatever order its phases
// were reported in, and phases that sort alike are alike.
auto phaseOrder(int32_t day, uint32_t units, capnp::Text::Reader area) {
  return std::make_tuple(day, units, std::string_view(area.cStr(), area.size()));
}
auto phaseOrder(Phase::Reader phase) {
  return phaseOrder(phase.getDay(), phase.getUnits(), phase.getArea());
}

// Fills the estate's phases with its units let and counts each phase's change in the area and
// year of its completion, and — through asOfDay — in the completion's quarter, not the quarter of
// the event that changed it. The lettings, earliest lease first, each go to the earliest phase
// completed by the lease's start with a unit still unlet: a unit is not let before it is built,
// and an estate's lettings of before a phase (of an earlier phase, or of before mwp) are not that
// phase's. What no phase has room for is `unattributed`, in no share. A later event can take
// units from a phase (a phase completed earlier but reported late comes first): its counts then
// go down.
void settleLettings(StateTx& state, msg::EstateRecord::Builder estate) {
  auto phases = estate.getCompletions();
  std::vector<uint32_t> let(phases.size(), 0);
  uint32_t unattributed = 0;
  size_t next = 0;  // the earliest phase with a unit unlet; the phases are in completion order
  for (int32_t leaseStart : estate.getLetDays()) {
    while (next < phases.size() && let[next] == phases[next].getUnits()) ++next;
    if (next < phases.size() && phases[next].getDay() <= leaseStart) {
      ++let[next];
    } else {
      ++unattributed;
    }
  }
  for (unsigned i = 0; i < phases.size(); ++i) {
    auto phase = phases[i];
    int64_t change = int64_t{let[i]} - phase.getAllocated();
    if (change == 0) continue;
    phase.setAllocated(let[i]);
    countIndicator(state.asOfDay(phase.getDay()), measure11::kCompletedUnitsAllocated,
                   phase.getArea().cStr(), phase.getYear(), change);
  }
  estate.setUnattributed(unattributed);
}

// A unit of `estate` let for the first time, its lease from `leaseStart`. Its verdict does not say
// whether it is in a share: that depends on the estate's completions, events of another partition,
// which a replay may apply before this letting where the live run applied them after — and a
// verdict must be the same in every replay.
void firstLetting(StateTx& state, capnp::Text::Reader estate, int32_t leaseStart) {
  Estate record(state, estateKey(estate));
  auto r = record.get();
  std::vector<int32_t> days;
  for (int32_t day : r.getLetDays()) days.push_back(day);
  days.insert(std::upper_bound(days.begin(), days.end(), leaseStart), leaseStart);
  auto list = r.initLetDays(static_cast<unsigned>(days.size()));
  for (unsigned i = 0; i < days.size(); ++i) list.set(i, days[i]);
  settleLettings(state, r);
  record.save();
}

// Adds a phase to the estate's phases, in its place among them (phaseOrder).
void addPhase(Estate& record, capnp::Text::Reader area, int32_t day, int year, uint32_t units) {
  auto phases = record.get().getCompletions();
  unsigned at = 0;
  while (at < phases.size() && phaseOrder(phases[at]) <= phaseOrder(day, units, area)) ++at;
  auto phase = record.insert(&msg::EstateRecord::Builder::getCompletions,
                             &msg::EstateRecord::Builder::adoptCompletions, at);
  phase.setArea(area);
  phase.setDay(day);
  phase.setYear(static_cast<uint16_t>(year));
  phase.setUnits(units);
}

// Counts toward a measure 11 indicator in the event's area, in the year of its date `field`.
void count(msg::Envelope::Reader event, StateTx& state, Indicator indicator,
           capnp::Text::Reader date, std::string_view field, int64_t delta = 1) {
  countIndicator(state, indicator, event.getArea().cStr(), yearOfField(date, field), delta);
}

Applied allocated(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalAllocated();
  std::string unit = e.getUnitId().cStr();
  int32_t leaseStart = dayOf(e.getLeaseStart(), "leaseStart");
  if (dayOf(e.getLeaseEnd(), "leaseEnd") <= leaseStart) {
    return refuse(rules::record::dates_in_order, "租期结束日须晚于开始日",
                  "the lease must end after it starts");
  }
  Record record(state, workerKey(event));
  auto held = record.get().getAllocation();
  if (held.getUnitId().size() > 0) {
    return refuse(rules::housing::public_rental::one_unit,
                  std::string("该农民工已承租 ") + held.getUnitId().cStr() + "，须先退租",
                  std::string("this worker already holds unit ") + held.getUnitId().cStr() +
                      ": vacate it first");
  }
  // Never name the other holder: their resident ID is not this department's to see.
  if (state.get("unit:" + unit)) {
    return refuse(rules::housing::public_rental::one_unit, "房源 " + unit + " 已由他人承租",
                  "unit " + unit + " is held by another worker");
  }
  state.put("unit:" + unit, event.getWorkerId().cStr());
  copySameNamedFields(e, held);
  record.save();
  count(event, state, measure11::kUnitsAllocated, e.getLeaseStart(), "leaseStart");
  if (!state.get("let:" + unit)) {
    state.put("let:" + unit, e.getEstate().cStr());
    firstLetting(state, e.getEstate(), leaseStart);
    return appliedUnder(rules::housing::public_rental::completed_share);
  }
  return {};
}

Applied vacated(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalVacated();
  Record record(state, workerKey(event));
  auto w = record.get();
  if (w.getAllocation().getUnitId() != e.getUnitId()) {
    return refuse(rules::record::exists_first,
                  std::string("该农民工未承租 ") + e.getUnitId().cStr(),
                  std::string("this worker does not hold unit ") + e.getUnitId().cStr());
  }
  auto past = record.append(&W::getPastAllocations, &W::adoptPastAllocations);
  copySameNamedFields(w.getAllocation().asReader(), past, {"vacatedOn"});
  past.setVacatedOn(e.getVacatedOn());
  w.initAllocation();
  state.erase(std::string("unit:") + e.getUnitId().cStr());
  record.save();
  count(event, state, measure11::kUnitsVacated, e.getVacatedOn(), "vacatedOn");
  return {};
}

Applied bedsProvided(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getDormitoryBedsProvided();
  count(event, state, measure11::kDormitoryBeds, e.getProvidedOn(), "providedOn", e.getBeds());
  return {};
}

Applied rentSubsidy(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getRentSubsidyGranted();
  appendEntry(state, workerKey(event), e, &W::getRentSubsidies, &W::adoptRentSubsidies);
  count(event, state, measure11::kRentSubsidies, e.getGrantedOn(), "grantedOn");
  count(event, state, measure11::kRentSubsidyYuan, e.getGrantedOn(), "grantedOn",
        int64_t{e.getMonthlyYuan()} * e.getMonths());
  return {};
}

Applied fundEnrolled(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getProvidentFundEnrolled();
  std::string key =
      std::string("fund:") + event.getWorkerId().cStr() + ":" + e.getEmployerCode().cStr();
  if (seenBefore(state, key, event)) {
    return refuse(rules::record::once,
                  std::string("已通过单位 ") + e.getEmployerCode().cStr() + " 缴存住房公积金",
                  std::string("already enrolled in the provident fund through employer ") +
                      e.getEmployerCode().cStr());
  }
  appendEntry(state, workerKey(event), e, &W::getProvidentFund, &W::adoptProvidentFund);
  count(event, state, measure11::kProvidentFundEnrolments, e.getEnrolledOn(), "enrolledOn");
  return {};
}

// A phase of an estate completed: the base of its year's share; the estate's units let fill it
// in its place among the estate's phases.
Applied completed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalCompleted();
  int32_t day = dayOf(e.getCompletedOn(), "completedOn");
  count(event, state, measure11::kUnitsCompleted, e.getCompletedOn(), "completedOn", e.getUnits());
  Estate record(state, estateKey(e.getEstate()));
  addPhase(record, event.getArea(), day, yearOfDay(day), e.getUnits());
  settleLettings(state, record.get());
  record.save();
  return {};
}

}  // namespace

std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t) {
  if (event.isPublicRentalAllocated()) return allocated(event, state);
  if (event.isPublicRentalVacated()) return vacated(event, state);
  if (event.isDormitoryBedsProvided()) return bedsProvided(event, state);
  if (event.isRentSubsidyGranted()) return rentSubsidy(event, state);
  if (event.isProvidentFundEnrolled()) return fundEnrolled(event, state);
  if (event.isPublicRentalCompleted()) return completed(event, state);
  return std::nullopt;
}

}  // namespace mwp::housing
