// Measure 16 (优化社保服务): social security cards — 应发尽发: every insured worker should hold
// one — insurance transfers and cross-region medical registrations.
//
// card_coverage = insured workers holding a card ÷ insured workers. An insured worker counts
// once, whatever the schemes (pension, unemployment, work injury, medical), in the year and area
// of the earliest enrolment: the cohort of the workers who became insured that year. A card held
// by one of them counts toward that cohort whenever it was issued, so the ratio cannot pass 1. A
// card issued to someone not insured is counted as issued (cards_issued) but is not coverage;
// it becomes coverage when the holder is insured.
#include "employment_measures.h"
#include "worklists.h"

namespace mwp::employment {
namespace {

const WorklistInfo& withoutCard() { return *worklistNamed("insuredWithoutCard"); }

bool holdsCard(W w) { return w.getSocialSecurityCardIssuedOn().size() > 0; }

// Counts the worker into (sign +1) or out of (-1) the cohort of their insurance, with the card
// if held, and keeps the worklist of the insured without a card in step.
void countInsured(Context& c, W w, int sign) {
  auto insurance = w.getInsurance();
  int year = yearOfField(insurance.getInsuredOn(), "insuranceEnrolled.enrolledOn");
  Context cohort{c.event, c.state, insurance.getArea().cStr()};
  cohort.count(measure16::kInsuredWorkers, year, sign);
  if (holdsCard(w)) {
    cohort.count(measure16::kInsuredWithCard, year, sign);
    return;
  }
  WorklistEntry entry{c.event.getWorkerId().cStr(), year, "",
                      dayOf(insurance.getInsuredOn(), "insuranceEnrolled.enrolledOn")};
  if (sign > 0) {
    putOnWorklist(c.state, withoutCard(), cohort.area, entry);
  } else {
    takeOffWorklist(c.state, withoutCard(), cohort.area, entry);
  }
}

}  // namespace

Applied insuranceEnrolled(Context& c) {
  auto e = c.event.getInsuranceEnrolled();
  dayOf(e.getEnrolledOn(), "enrolledOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  copySameNamedFields(e, record.append(&W::getInsuranceEnrolments, &W::adoptInsuranceEnrolments));
  w = record.get();
  auto insurance = w.getInsurance();
  std::string insuredOn = insurance.getInsuredOn().cStr();
  // Insured from the earliest enrolment, whatever order the schemes are reported in: an earlier
  // one moves the worker to its year's cohort (and its office's area).
  if (insuredOn.empty() || std::string(e.getEnrolledOn().cStr()) < insuredOn) {
    if (!insuredOn.empty()) countInsured(c, w, -1);
    insurance.setInsuredOn(e.getEnrolledOn());
    insurance.setArea(c.area);
    countInsured(c, w, +1);
  }
  record.save();
  return {};
}

Applied socialSecurityCardIssued(Context& c) {
  auto e = c.event.getSocialSecurityCardIssued();
  int year = yearOfField(e.getIssuedOn(), "issuedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  if (holdsCard(w)) {
    return refuse(rules::record::once, "已为该农民工发放社会保障卡",
                  "a social security card is already issued to this worker");
  }
  bool insured = w.getInsurance().getInsuredOn().size() > 0;
  if (insured) countInsured(c, w, -1);
  w.setSocialSecurityCardIssuedOn(e.getIssuedOn());
  if (insured) countInsured(c, w, +1);
  record.save();
  c.count(measure16::kCardsIssued, year);
  if (!insured) {
    return appliedNotCoverage(
        "该农民工无参保记录：社会保障卡计为已发放，但不计入应发尽发覆盖率，参保后计入",
        "no insurance enrolment for this worker: the card is counted as issued but is not "
        "coverage until the worker is insured");
  }
  return {};
}

Applied insuranceTransferred(Context& c) {
  auto e = c.event.getInsuranceTransferred();
  int year = yearOfField(e.getTransferredOn(), "transferredOn");
  appendEntry(c.state, c.workerKey(), e, &W::getInsuranceTransfers, &W::adoptInsuranceTransfers);
  c.count(measure16::kInsuranceTransfers, year);
  return {};
}

Applied crossRegionMedicalRegistered(Context& c) {
  auto e = c.event.getCrossRegionMedicalRegistered();
  int year = yearOfField(e.getRegisteredOn(), "registeredOn");
  appendEntry(c.state, c.workerKey(), e, &W::getMedicalRegistrations,
              &W::adoptMedicalRegistrations);
  c.count(measure16::kMedicalRegistrations, year);
  return {};
}

}  // namespace mwp::employment
