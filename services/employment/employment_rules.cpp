#include "employment_rules.h"

#include "derived_events.h"
#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"
#include "stored_record.h"

namespace mwp::employment {
namespace {

using Record = StoredRecord<msg::EmploymentRecord>;

Applied refuse(std::string reason) {
  return Applied{Verdict{false, std::move(reason)}, {}};
}

std::string workerKey(msg::Envelope::Reader event) {
  return std::string("worker:") + event.getWorkerId().cStr();
}

// The state a rule works on: the event, the state and the counts of one reporting area.
struct Context {
  msg::Envelope::Reader event;
  StateTx& state;
  std::string area;

  void count(int measure, const char* indicator, std::string_view date, int64_t delta = 1) {
    countIndicator(state, measure, indicator, area, yearOf(date), delta);
  }
};

// The key under which a fact that counts once is remembered (seenBefore), for the kinds that
// have one: the rules check it, and the loop reads it ahead with the batch (keysToRead).
std::optional<std::string> onceKey(msg::Envelope::Reader event) {
  using E = msg::Envelope;
  switch (event.which()) {
    case E::JOB_FAIR_HELD:
      return std::string("fair:") + event.getJobFairHeld().getFairId().cStr();
    case E::VACANCY_PUBLISHED:
      return std::string("vacancy:") + event.getVacancyPublished().getVacancyId().cStr();
    case E::TRAINING_COMPLETED:  // 措施四: a worker counts once a year, however many courses
      return "trained:" +
             std::to_string(yearOf(event.getTrainingCompleted().getCompletedOn().cStr())) + ":" +
             event.getWorkerId().cStr();
    case E::SKILL_CERTIFIED:
      return std::string("certificate:") + event.getSkillCertified().getCertificateNo().cStr();
    case E::LABOUR_BRAND_ESTABLISHED:
      return std::string("brand:") + event.getLabourBrandEstablished().getBrand().cStr();
    case E::BUSINESS_STARTED:
      return std::string("business:") + event.getBusinessStarted().getBusinessCode().cStr();
    case E::GUARANTEE_LOAN_APPLIED:
      return std::string("loan:") + event.getGuaranteeLoanApplied().getApplicationNo().cStr();
    case E::DEMONSTRATION_SITE_RECOGNIZED: {
      auto e = event.getDemonstrationSiteRecognized();
      return std::string("site:") + e.getName().cStr() + ":" + enumName(e.getLevel());
    }
    default:
      return std::nullopt;
  }
}

bool seenBefore(Context& c) {
  return mwp::seenBefore(c.state, *onceKey(c.event), c.event);
}

void touchRegistry(Context& c, msg::Profile::Builder profile, std::string_view on) {
  std::string workerId = c.event.getWorkerId().cStr();
  std::string previousArea = profile.getArea().cStr();
  if (!previousArea.empty() && previousArea != c.area) {
    c.state.unindex(updatedIndex(previousArea), workerId);
  }
  profile.setArea(c.area);
  profile.setUpdatedOn(std::string(on));
  for (const auto& area : {c.area, std::string("all")}) {
    c.state.index(updatedIndex(area), workerId, *parseDate(on));
  }
}

Applied workerRegistered(Context& c) {
  auto e = c.event.getWorkerRegistered();
  Record record(c.state, workerKey(c.event));
  auto profile = record.get().getProfile();
  if (!profile.getRegistered()) {
    // Registering twice updates the record; only the first registration counts.
    c.count(2, "workers_registered", e.getRegisteredOn().cStr());
    // The denominator of 应发尽发 (measure 16): every registered worker should hold a card.
    c.count(16, "workers_registered", e.getRegisteredOn().cStr());
    profile.setRegistered(true);
    profile.setRegisteredOn(e.getRegisteredOn());
  }
  profile.setName(e.getName());
  profile.setGender(e.getGender());
  profile.setPhone(e.getPhone());
  profile.setHukouArea(e.getHukouArea());
  profile.setCurrentArea(e.getCurrentArea());
  profile.setCurrentCity(e.getCurrentCity());
  profile.setEmployerCode(e.getEmployerCode());
  touchRegistry(c, profile, e.getRegisteredOn().cStr());
  record.save();
  return {};
}

Applied workerUpdated(Context& c) {
  auto e = c.event.getWorkerUpdated();
  Record record(c.state, workerKey(c.event));
  auto profile = record.get().getProfile();
  if (!profile.getRegistered())
    return refuse("worker not in the real-name registry: register first");
  profile.setCurrentArea(e.getCurrentArea());
  profile.setCurrentCity(e.getCurrentCity());
  profile.setEmployerCode(e.getEmployerCode());
  profile.setEmployed(e.getEmployed());
  touchRegistry(c, profile, e.getUpdatedOn().cStr());
  record.save();
  return {};
}

Applied jobFairHeld(Context& c) {
  auto e = c.event.getJobFairHeld();
  if (seenBefore(c)) {
    return refuse(std::string("fair ") + e.getFairId().cStr() + " is already counted");
  }
  std::string_view on = e.getHeldOn().cStr();
  c.count(1, "fairs_held", on);
  switch (e.getCampaign()) {
    case msg::JobFairCampaign::SPRING_BREEZE:
    case msg::JobFairCampaign::PRIVATE_ENTERPRISE_WEEK:
      c.count(1, "spring_campaign_fairs", on);  // 春风行动, 民营企业招聘周
      break;
    case msg::JobFairCampaign::JOBS_TO_COUNTRYSIDE:
      c.count(1, "countryside_fairs", on);  // 送岗位下乡
      break;
    default:
      break;
  }
  c.count(1, "agreements_signed", on, e.getAgreementsSigned());
  return {};
}

Applied vacancyPublished(Context& c, int64_t now) {
  auto e = c.event.getVacancyPublished();
  if (seenBefore(c)) {
    return refuse(std::string("vacancy ") + e.getVacancyId().cStr() + " is already counted");
  }
  // A vacancy has no date of its own: it counts in the year it was reported.
  c.count(2, "vacancies_published", formatDate(chinaDayOf(now)), e.getPositions());
  return {};
}

Applied employmentRegistered(Context& c) {
  auto e = c.event.getEmploymentRegistered();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto r = appendTo<msg::EmploymentRegistration>(
      record.orphanage(), w.getEmploymentRegistrations(),
      [&](auto o) { w.adoptEmploymentRegistrations(kj::mv(o)); });
  r.setEmployerCode(e.getEmployerCode());
  r.setStartedOn(e.getStartedOn());
  r.setRegisteredPoor(e.getRegisteredPoor());
  record.save();
  c.count(3, "employment_registrations", e.getStartedOn().cStr());
  if (e.getRegisteredPoor()) c.count(3, "poor_workers_placed", e.getStartedOn().cStr());
  return {};
}

Applied unemploymentRegistered(Context& c) {
  auto e = c.event.getUnemploymentRegistered();
  int32_t since = *parseDate(e.getResidentSince().cStr());
  int32_t on = *parseDate(e.getRegisteredOn().cStr());
  // 措施三: 将在城镇居住半年以上的失业农民工纳入失业登记范围.
  if (on < addMonths(since, 6)) {
    return refuse("resident in the town since " + formatDate(since) +
                  ": unemployment registration needs 6 months of residence (措施三), reached on " +
                  formatDate(addMonths(since, 6)));
  }
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto r = appendTo<msg::UnemploymentRegistration>(
      record.orphanage(), w.getUnemploymentRegistrations(),
      [&](auto o) { w.adoptUnemploymentRegistrations(kj::mv(o)); });
  r.setResidentSince(e.getResidentSince());
  r.setRegisteredOn(e.getRegisteredOn());
  record.save();
  c.count(3, "unemployment_registrations", e.getRegisteredOn().cStr());
  return {};
}

Applied publicWelfareJobAssigned(Context& c) {
  auto e = c.event.getPublicWelfareJobAssigned();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto j = appendTo<msg::PublicWelfareJob>(record.orphanage(), w.getPublicWelfareJobs(),
                                           [&](auto o) { w.adoptPublicWelfareJobs(kj::mv(o)); });
  j.setPosition(e.getPosition());
  j.setStartedOn(e.getStartedOn());
  record.save();
  c.count(3, "public_welfare_jobs", e.getStartedOn().cStr());
  return {};
}

Applied trainingCompleted(Context& c) {
  auto e = c.event.getTrainingCompleted();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto t = appendTo<msg::Training>(record.orphanage(), w.getTrainings(),
                                   [&](auto o) { w.adoptTrainings(kj::mv(o)); });
  t.setProgramme(e.getProgramme());
  t.setHours(e.getHours());
  t.setProvider(e.getProvider());
  t.setCompletedOn(e.getCompletedOn());
  record.save();
  // 措施四: 每年培训1万人以上 — a worker counts once a year, however many courses.
  if (!seenBefore(c)) {
    c.count(4, "trained", e.getCompletedOn().cStr());
  }
  return {};
}

Applied skillCertified(Context& c, const SubsidyPolicy& policy) {
  auto e = c.event.getSkillCertified();
  std::string number = e.getCertificateNo().cStr();
  if (seenBefore(c)) {
    return refuse("certificate " + number + " is already recorded");
  }
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  SubsidyClaim claim{e.getOccupation().cStr(), e.getLevel(), *parseDate(e.getIssuedOn().cStr()),
                     chinaDayOf(*parseRfc3339(c.event.getOccurredAt().cStr())),
                     e.getInsuredMonths()};
  auto decision = decideSubsidy(policy, claim, w.asReader());

  auto cert = appendTo<msg::Certificate>(record.orphanage(), w.getCertificates(),
                                         [&](auto o) { w.adoptCertificates(kj::mv(o)); });
  cert.setCertificateNo(number);
  cert.setOccupation(e.getOccupation());
  cert.setLevel(e.getLevel());
  cert.setIssuedOn(e.getIssuedOn());
  std::string_view on = e.getIssuedOn().cStr();
  c.count(6, "certificates_issued", on);

  Applied applied;
  if (auto* granted = std::get_if<Granted>(&decision)) {
    cert.getSubsidy().setGrantedYuan(granted->amountYuan);
    c.count(4, "subsidies_granted", on);
    c.count(4, "subsidy_yuan", on, granted->amountYuan);
    applied.derived.push_back(deriveEvent(c.event, "subsidy", [&](msg::Envelope::Builder d) {
      auto g = d.initSubsidyGranted();
      g.setCertificateNo(number);
      g.setLevel(e.getLevel());
      g.setAmountYuan(granted->amountYuan);
    }));
  } else {
    const auto& reason = std::get<Denied>(decision).reason;
    cert.getSubsidy().setDeniedBecause(reason);
    c.count(4, "subsidies_denied", on);
    applied.derived.push_back(deriveEvent(c.event, "subsidy", [&](msg::Envelope::Builder d) {
      auto n = d.initSubsidyDenied();
      n.setCertificateNo(number);
      n.setReason(reason);
    }));
  }
  record.save();
  return applied;
}

// The certificate of `number` in the worker's record, if it is there.
std::optional<msg::Certificate::Builder> findCertificate(msg::EmploymentRecord::Builder w,
                                                         capnp::Text::Reader number) {
  for (auto cert : w.getCertificates()) {
    if (cert.getCertificateNo() == number) return cert;
  }
  return std::nullopt;
}

Applied certificateMailed(Context& c) {
  auto e = c.event.getCertificateMailed();
  Record record(c.state, workerKey(c.event));
  auto cert = findCertificate(record.get(), e.getCertificateNo());
  if (!cert) {
    return refuse(std::string("certificate ") + e.getCertificateNo().cStr() +
                  " is not recorded for this worker");
  }
  if (cert->getMailedOn().size() > 0) {
    return refuse(std::string("certificate ") + e.getCertificateNo().cStr() + " is already mailed");
  }
  cert->setMailedOn(e.getMailedOn());
  cert->setTrackingNo(e.getTrackingNo());
  record.save();
  c.count(6, "certificates_mailed", e.getMailedOn().cStr());
  return {};
}

// subsidyGranted / subsidyDenied come back from the bus: this service decided them when it
// applied the certificate, so they only confirm what the record already says.
Applied subsidyDecided(Context& c, capnp::Text::Reader number) {
  Record record(c.state, workerKey(c.event));
  auto cert = findCertificate(record.get(), number);
  if (!cert || cert->getSubsidy().isUndecided()) {
    return refuse(std::string("no subsidy decision recorded for certificate ") + number.cStr());
  }
  return {};
}

Applied skillCompetitionEntered(Context& c) {
  auto e = c.event.getSkillCompetitionEntered();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto entry = appendTo<msg::Competition>(record.orphanage(), w.getCompetitions(),
                                          [&](auto o) { w.adoptCompetitions(kj::mv(o)); });
  entry.setCompetition(e.getCompetition());
  entry.setHeldOn(e.getHeldOn());
  entry.setAward(e.getAward());
  record.save();
  c.count(7, "entrants", e.getHeldOn().cStr());
  return {};
}

Applied labourBrandEstablished(Context& c) {
  auto e = c.event.getLabourBrandEstablished();
  if (seenBefore(c)) {
    return refuse(std::string("labour brand ") + e.getBrand().cStr() + " is already counted");
  }
  c.count(5, "brands_established", e.getEstablishedOn().cStr());
  return {};
}

Applied businessStarted(Context& c) {
  auto e = c.event.getBusinessStarted();
  if (seenBefore(c)) {
    return refuse(std::string("business ") + e.getBusinessCode().cStr() + " is already counted");
  }
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto b = appendTo<msg::Business>(record.orphanage(), w.getBusinesses(),
                                   [&](auto o) { w.adoptBusinesses(kj::mv(o)); });
  b.setBusinessCode(e.getBusinessCode());
  b.setSector(e.getSector());
  b.setJobsCreated(e.getJobsCreated());
  b.setStartedOn(e.getStartedOn());
  record.save();
  c.count(8, "businesses_started", e.getStartedOn().cStr());
  c.count(8, "jobs_created", e.getStartedOn().cStr(), e.getJobsCreated());
  return {};
}

Applied demonstrationSiteRecognized(Context& c) {
  auto e = c.event.getDemonstrationSiteRecognized();
  if (seenBefore(c)) {
    return refuse(std::string("site ") + e.getName().cStr() +
                  " is already recognised at this level");
  }
  c.count(9, "sites_recognized", e.getRecognizedOn().cStr());
  if (e.getLevel() != msg::DemonstrationLevel::MUNICIPAL) {
    c.count(9, "provincial_sites", e.getRecognizedOn().cStr());
  }
  return {};
}

Applied guaranteeLoanApplied(Context& c) {
  auto e = c.event.getGuaranteeLoanApplied();
  if (seenBefore(c)) {
    return refuse(std::string("loan application ") + e.getApplicationNo().cStr() +
                  " is already recorded");
  }
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto loan = appendTo<msg::Loan>(record.orphanage(), w.getLoans(),
                                  [&](auto o) { w.adoptLoans(kj::mv(o)); });
  loan.setApplicationNo(e.getApplicationNo());
  loan.setAmountYuan(e.getAmountYuan());
  loan.setEligible(e.getEligible());
  loan.setAppliedOn(e.getAppliedOn());
  record.save();
  c.count(10, "loans_applied", e.getAppliedOn().cStr());
  return {};
}

Applied guaranteeLoanDecided(Context& c) {
  auto e = c.event.getGuaranteeLoanDecided();
  Record record(c.state, workerKey(c.event));
  for (auto loan : record.get().getLoans()) {
    if (loan.getApplicationNo() != e.getApplicationNo()) continue;
    if (!loan.getDecision().isPending()) {
      return refuse(std::string("loan application ") + e.getApplicationNo().cStr() +
                    " is already decided");
    }
    std::string_view on = e.getDecidedOn().cStr();
    if (e.getApproved()) {
      loan.getDecision().setApprovedYuan(e.getAmountYuan());
      c.count(10, "loans_approved", on);
    } else {
      loan.getDecision().setRefusedBecause(e.getReason().size() ? e.getReason() : "not given");
    }
    loan.setDecidedOn(e.getDecidedOn());
    // 应贷尽贷: of the eligible applications decided, how many were approved.
    if (loan.getEligible()) {
      c.count(10, "eligible_loans_decided", on);
      if (e.getApproved()) c.count(10, "eligible_loans_approved", on);
    }
    record.save();
    return {};
  }
  return refuse(std::string("no loan application ") + e.getApplicationNo().cStr() +
                " for this worker");
}

Applied socialSecurityCardIssued(Context& c) {
  auto e = c.event.getSocialSecurityCardIssued();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  if (w.getSocialSecurityCardIssuedOn().size() > 0) {
    return refuse("a social security card is already issued to this worker");
  }
  w.setSocialSecurityCardIssuedOn(e.getIssuedOn());
  record.save();
  c.count(16, "cards_issued", e.getIssuedOn().cStr());
  return {};
}

Applied insuranceTransferred(Context& c) {
  auto e = c.event.getInsuranceTransferred();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto t = appendTo<msg::InsuranceTransfer>(record.orphanage(), w.getInsuranceTransfers(),
                                            [&](auto o) { w.adoptInsuranceTransfers(kj::mv(o)); });
  t.setFromArea(e.getFromArea());
  t.setToArea(e.getToArea());
  t.setTransferredOn(e.getTransferredOn());
  record.save();
  c.count(16, "insurance_transfers", e.getTransferredOn().cStr());
  return {};
}

Applied crossRegionMedicalRegistered(Context& c) {
  auto e = c.event.getCrossRegionMedicalRegistered();
  Record record(c.state, workerKey(c.event));
  auto w = record.get();
  auto m =
      appendTo<msg::MedicalRegistration>(record.orphanage(), w.getMedicalRegistrations(),
                                         [&](auto o) { w.adoptMedicalRegistrations(kj::mv(o)); });
  m.setInsuredArea(e.getInsuredArea());
  m.setRegisteredOn(e.getRegisteredOn());
  record.save();
  c.count(16, "medical_registrations", e.getRegisteredOn().cStr());
  return {};
}

}  // namespace

std::string updatedIndex(const std::string& area) {
  return "updated:" + area;
}

void EmploymentRules::keysToRead(msg::Envelope::Reader event,
                                 std::vector<std::string>& keys) const {
  EventRules::keysToRead(event, keys);
  if (auto key = onceKey(event)) keys.push_back(std::move(*key));
}

std::optional<Applied> EmploymentRules::apply(msg::Envelope::Reader event, StateTx& state,
                                              int64_t nowSeconds) {
  Context c{event, state, event.getArea().cStr()};
  using E = msg::Envelope;
  switch (event.which()) {
    case E::WORKER_REGISTERED:
      return workerRegistered(c);
    case E::WORKER_UPDATED:
      return workerUpdated(c);
    case E::JOB_FAIR_HELD:
      return jobFairHeld(c);
    case E::VACANCY_PUBLISHED:
      return vacancyPublished(c, nowSeconds);
    case E::EMPLOYMENT_REGISTERED:
      return employmentRegistered(c);
    case E::UNEMPLOYMENT_REGISTERED:
      return unemploymentRegistered(c);
    case E::PUBLIC_WELFARE_JOB_ASSIGNED:
      return publicWelfareJobAssigned(c);
    case E::TRAINING_COMPLETED:
      return trainingCompleted(c);
    case E::SKILL_CERTIFIED:
      return skillCertified(c, subsidy_);
    case E::CERTIFICATE_MAILED:
      return certificateMailed(c);
    case E::SUBSIDY_GRANTED:
      return subsidyDecided(c, event.getSubsidyGranted().getCertificateNo());
    case E::SUBSIDY_DENIED:
      return subsidyDecided(c, event.getSubsidyDenied().getCertificateNo());
    case E::SKILL_COMPETITION_ENTERED:
      return skillCompetitionEntered(c);
    case E::LABOUR_BRAND_ESTABLISHED:
      return labourBrandEstablished(c);
    case E::BUSINESS_STARTED:
      return businessStarted(c);
    case E::DEMONSTRATION_SITE_RECOGNIZED:
      return demonstrationSiteRecognized(c);
    case E::GUARANTEE_LOAN_APPLIED:
      return guaranteeLoanApplied(c);
    case E::GUARANTEE_LOAN_DECIDED:
      return guaranteeLoanDecided(c);
    case E::SOCIAL_SECURITY_CARD_ISSUED:
      return socialSecurityCardIssued(c);
    case E::INSURANCE_TRANSFERRED:
      return insuranceTransferred(c);
    case E::CROSS_REGION_MEDICAL_REGISTERED:
      return crossRegionMedicalRegistered(c);
    default:
      return std::nullopt;  // another service's kind
  }
}

std::vector<IndicatorValue> staleRecords(const StateReader& state, const Catalogue& catalogue,
                                         int64_t nowSeconds) {
  int32_t today = chinaDayOf(nowSeconds);
  int year = yearOf(formatDate(today));
  std::vector<IndicatorValue> out;
  for (const auto& area : catalogue.reportingAreas()) {
    // Stale: the last update lies more than kStaleAfterDays days before today.
    auto stale = state.countUpTo(updatedIndex(area), today - kStaleAfterDays - 1);
    out.push_back({2, "records_stale", area, year, static_cast<double>(stale)});
  }
  return out;
}

}  // namespace mwp::employment
