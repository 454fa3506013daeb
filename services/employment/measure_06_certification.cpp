// Measure 6 (优化职业技能鉴定服务): skill certificates issued, each recorded once, and mailed to
// the worker. A certificate may earn measure 4's skill-upgrade subsidy (measure_04_training.cpp).
#include "employment_measures.h"

namespace mwp::employment {

std::optional<msg::Certificate::Builder> findCertificate(msg::EmploymentRecord::Builder w,
                                                         capnp::Text::Reader number) {
  for (auto cert : w.getCertificates()) {
    if (cert.getCertificateNo() == number) return cert;
  }
  return std::nullopt;
}

Applied skillCertified(Context& c, const SubsidyPolicy& policy) {
  auto e = c.event.getSkillCertified();
  std::string number = e.getCertificateNo().cStr();
  if (seenBefore(c)) {
    return refuse(rules::record::once, "证书 " + number + " 已记录",
                  "certificate " + number + " is already recorded");
  }
  int32_t issuedOn = dayOf(e.getIssuedOn(), "issuedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  SubsidyClaim claim{e.getOccupation().cStr(), e.getLevel(), issuedOn,
                     chinaDayOf(instantOf(c.event.getOccurredAt(), "occurredAt")),
                     e.getInsuredMonths()};
  // Decided on the record as it was before this certificate joins it.
  auto decision = decideSubsidy(policy, claim, w.asReader());

  auto cert = record.append(&W::getCertificates, &W::adoptCertificates);
  copySameNamedFields(e, cert);  // all but insuredMonths, which only the subsidy rule reads
  cert.setClaimedOn(formatDate(claim.claimedOn));
  c.count(measure6::kCertificatesIssued, yearOfDay(issuedOn));
  auto applied = recordSubsidy(c, cert, decision);
  record.save();
  return applied;
}

Applied certificateMailed(Context& c) {
  auto e = c.event.getCertificateMailed();
  int year = yearOfField(e.getMailedOn(), "mailedOn");
  Record record(c.state, c.workerKey());
  auto cert = findCertificate(record.get(), e.getCertificateNo());
  if (!cert) {
    return refuse(rules::record::exists_first,
                  std::string("该农民工名下没有证书 ") + e.getCertificateNo().cStr() + " 的记录",
                  std::string("certificate ") + e.getCertificateNo().cStr() +
                      " is not recorded for this worker");
  }
  if (cert->getMailedOn().size() > 0) {
    return refuse(rules::record::once, std::string("证书 ") + e.getCertificateNo().cStr() + " 已寄出",
                  std::string("certificate ") + e.getCertificateNo().cStr() + " is already mailed");
  }
  cert->setMailedOn(e.getMailedOn());
  cert->setTrackingNo(e.getTrackingNo());
  record.save();
  c.count(measure6::kCertificatesMailed, year);
  return {};
}

}  // namespace mwp::employment
