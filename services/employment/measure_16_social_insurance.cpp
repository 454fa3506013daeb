// Measure 16 (优化社保服务): social security cards — 应发尽发, one for every registered worker (the
// denominator is counted on registration, measure_02_registry.cpp) — insurance transfers and
// cross-region medical registrations.
#include "employment_measures.h"

namespace mwp::employment {

Applied socialSecurityCardIssued(Context& c) {
  auto e = c.event.getSocialSecurityCardIssued();
  int year = yearOfField(e.getIssuedOn(), "issuedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  if (w.getSocialSecurityCardIssuedOn().size() > 0) {
    return refuse(rules::record::once, "已为该农民工发放社会保障卡",
                  "a social security card is already issued to this worker");
  }
  w.setSocialSecurityCardIssuedOn(e.getIssuedOn());
  record.save();
  c.count(measure16::kCardsIssued, year);
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
