// Measure 11 (改善居住条件): public rental housing — one unit per worker and one worker per unit
// at a time — dormitory beds, rent subsidies and housing provident fund enrolment.
//
// completed_share_allocated = units of the year's completions let to migrant workers ÷ public
// rental units completed in the year (publicRentalCompleted), per area: the share 措施十一 asks
// to set aside of each year's completions. Both count in the area and year of the completion: a
// unit counts toward its estate's completion (the allocation's estate, by name, city-wide) the
// first time it is let, whenever that is, and once — re-let after vacating, it is the same
// unit. Which phase of an estate a unit is in, the events do not say: a unit first let goes to
// the earliest phase with a unit still unlet; one let before any such phase is reported goes to
// the next phase reported. So no year's share can pass 1. units_allocated still counts every
// allocation in the year of its lease. The seed gives no number: the share has no target here.
#include <algorithm>
#include <optional>

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

// Counts `units` of a completion as let to migrant workers, in the completion's area and year.
void countLet(StateTx& state, msg::EstateRecord::Completion::Builder phase, uint32_t units) {
  phase.setAllocated(phase.getAllocated() + units);
  countIndicator(state, measure11::kCompletedUnitsAllocated, phase.getArea().cStr(),
                 phase.getYear(), units);
}

// A unit of `estate` let for the first time: to the earliest completed phase with a unit still
// unlet, else kept for the next phase reported. False when the estate has reported completions and
// all their units are let: more lettings than completed units, which its verdict says.
bool firstLetting(StateTx& state, capnp::Text::Reader estate) {
  Estate record(state, estateKey(estate));
  std::optional<msg::EstateRecord::Completion::Builder> earliest;
  for (auto phase : record.get().getCompletions()) {
    if (phase.getAllocated() < phase.getUnits() &&
        (!earliest || phase.getYear() < earliest->getYear())) {
      earliest = phase;
    }
  }
  if (earliest) {
    countLet(state, *earliest, 1);
  } else {
    record.get().setUnattributed(record.get().getUnattributed() + 1);
  }
  bool beyondCompleted = !earliest && record.get().getCompletions().size() > 0;
  record.save();
  return !beyondCompleted;
}

// Counts toward a measure 11 indicator in the event's area, in the year of its date `field`.
void count(msg::Envelope::Reader event, StateTx& state, Indicator indicator,
           capnp::Text::Reader date, std::string_view field, int64_t delta = 1) {
  countIndicator(state, indicator, event.getArea().cStr(), yearOfField(date, field), delta);
}

Applied allocated(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalAllocated();
  std::string unit = e.getUnitId().cStr();
  if (dayOf(e.getLeaseEnd(), "leaseEnd") <= dayOf(e.getLeaseStart(), "leaseStart")) {
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
    if (!firstLetting(state, e.getEstate())) {
      return appliedWithNote(rules::housing::public_rental::completed_share,
                             "该小区已报送竣工的房源均已分配：计入分配套数，"
                             "待报送下一期竣工后计入竣工房源分配占比",
                             "every completed unit this estate has reported is let: counted "
                             "among the units allocated, and in the share of completed units "
                             "once its next completion is reported");
    }
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

// A phase of an estate completed: the base of its year's share, and the units of the estate let
// before it was reported are its own, as many as it has.
Applied completed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalCompleted();
  int year = yearOfField(e.getCompletedOn(), "completedOn");
  count(event, state, measure11::kUnitsCompleted, e.getCompletedOn(), "completedOn", e.getUnits());
  Estate record(state, estateKey(e.getEstate()));
  auto estate = record.get();
  auto phase = record.append(&msg::EstateRecord::Builder::getCompletions,
                             &msg::EstateRecord::Builder::adoptCompletions);
  phase.setArea(event.getArea());
  phase.setYear(static_cast<uint16_t>(year));
  phase.setUnits(e.getUnits());
  estate = record.get();
  uint32_t waiting = std::min(estate.getUnattributed(), e.getUnits());
  if (waiting > 0) {
    countLet(state, phase, waiting);
    estate.setUnattributed(estate.getUnattributed() - waiting);
  }
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
