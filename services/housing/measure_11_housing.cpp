// Measure 11 (改善居住条件): public rental housing — one unit per worker and one worker per unit
// at a time — dormitory beds, rent subsidies and housing provident fund enrolment.
//
// completed_share_allocated = units allocated to migrant workers in the year ÷ public rental
// units completed in the year (publicRentalCompleted), per area: the share 措施十一 asks to set
// aside of each year's completions. The seed gives no number, so the share has no target here.
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

std::string workerKey(msg::Envelope::Reader event) {
  return std::string("worker:") + event.getWorkerId().cStr();
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
  // Reported in another year than its lease starts in (a December lease reported in January):
  // say which year's completions it is set against.
  int leaseYear = yearOfField(e.getLeaseStart(), "leaseStart");
  if (leaseYear != yearOfDay(chinaDayOf(parseRfc3339(event.getOccurredAt().cStr()).value_or(0)))) {
    return appliedWithNote(rules::housing::public_rental::completed_share,
                           "按租期开始之年计入 " + std::to_string(leaseYear) +
                               " 年的分配数，与该年竣工的公租房套数相比",
                           "counted among the units allocated in " + std::to_string(leaseYear) +
                               ", the year its lease starts, against that year's completions");
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

Applied completed(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getPublicRentalCompleted();
  count(event, state, measure11::kUnitsCompleted, e.getCompletedOn(), "completedOn", e.getUnits());
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
