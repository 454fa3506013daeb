// Measure 4 (组织技能培训): skills training — 10,000 workers a year, each counted once a year
// however many courses — and the skill-upgrade subsidy (技能提升补贴) on a certificate, decided by
// subsidy_rule.h. The certificate itself is measure 6's (measure_06_certification.cpp).
#include "derived_events.h"
#include "employment_measures.h"

namespace mwp::employment {

Applied trainingCompleted(Context& c) {
  auto e = c.event.getTrainingCompleted();
  int year = yearOfField(e.getCompletedOn(), "completedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getTrainings, &W::adoptTrainings);
  // 措施四: 每年培训1万人以上 — a worker counts once a year, however many courses.
  if (!seenBefore(c)) c.count(measure4::kTrained, year);
  return {};
}

Applied recordSubsidy(Context& c, msg::Certificate::Builder certificate,
                      const std::variant<Granted, Denied>& decision) {
  auto e = c.event.getSkillCertified();
  int year = yearOfField(e.getIssuedOn(), "issuedOn");
  Applied applied;
  if (auto* granted = std::get_if<Granted>(&decision)) {
    certificate.getSubsidy().setGrantedYuan(granted->amountYuan);
    c.count(measure4::kSubsidiesGranted, year);
    c.count(measure4::kSubsidyYuan, year, granted->amountYuan);
    applied.derived.push_back(deriveEvent(c.event, "subsidy", [&](msg::Envelope::Builder d) {
      auto g = d.initSubsidyGranted();
      g.setCertificateNo(e.getCertificateNo());
      g.setLevel(e.getLevel());
      g.setAmountYuan(granted->amountYuan);
    }));
  } else {
    const auto& denied = std::get<Denied>(decision);
    certificate.getSubsidy().setDeniedBecause(denied.reason);
    c.count(measure4::kSubsidiesDenied, year);
    applied.derived.push_back(deriveEvent(c.event, "subsidy", [&](msg::Envelope::Builder d) {
      auto n = d.initSubsidyDenied();
      n.setCertificateNo(e.getCertificateNo());
      n.setReason(denied.reason);
      n.setRule(denied.rule.id);
      n.setReasonZh(denied.zh);
    }));
  }
  return applied;
}

// subsidyGranted / subsidyDenied come back from the bus: this service decided them when it
// applied the certificate, so they only confirm what the record already says.
Applied subsidyDecided(Context& c, capnp::Text::Reader number) {
  Record record(c.state, c.workerKey());
  auto cert = findCertificate(record.get(), number);
  if (!cert || cert->getSubsidy().isUndecided()) {
    return refuse(rules::employment::subsidy::decided_first,
                  std::string("证书 ") + number.cStr() + " 尚无补贴决定记录",
                  std::string("no subsidy decision recorded for certificate ") + number.cStr());
  }
  return {};
}

}  // namespace mwp::employment
