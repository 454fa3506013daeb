// The employment service's EventRules: each event kind to the rules of its measure
// (measure_NN_*.cpp), and what those rules share.
#include "employment_rules.h"

#include "derived_events.h"
#include "employment_measures.h"
#include "event_kinds.h"

namespace mwp::employment {

std::string Context::workerKey() const {
  return std::string("worker:") + event.getWorkerId().cStr();
}

std::optional<std::string> onceKey(msg::Envelope::Reader event) {
  using E = msg::Envelope;
  switch (event.which()) {
    case E::JOB_FAIR_HELD:
      return std::string("fair:") + event.getJobFairHeld().getFairId().cStr();
    case E::VACANCY_PUBLISHED:
      return std::string("vacancy:") + event.getVacancyPublished().getVacancyId().cStr();
    case E::TRAINING_COMPLETED:  // 措施四: a worker counts once a year, however many courses
      return "trained:" +
             std::to_string(
                 yearOfField(event.getTrainingCompleted().getCompletedOn(), "completedOn")) +
             ":" + event.getWorkerId().cStr();
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

void EmploymentRules::keysToRead(msg::Envelope::Reader event,
                                 std::vector<std::string>& keys) const {
  EventRules::keysToRead(event, keys);
  try {
    if (auto key = onceKey(event)) keys.push_back(std::move(*key));
  } catch (const FieldRefused&) {
    // Only a hint: apply() refuses the event, naming the field.
  }
}

std::optional<Applied> EmploymentRules::apply(msg::Envelope::Reader event, StateTx& state,
                                              int64_t nowSeconds) {
  Context c{event, state, event.getArea().cStr()};
  using E = msg::Envelope;
  return refusingBadFields([&]() -> std::optional<Applied> {
    switch (event.which()) {
      case E::JOB_FAIR_HELD:
        return jobFairHeld(c);
      case E::WORKER_REGISTERED:
        return workerRegistered(c);
      case E::WORKER_UPDATED:
        return workerUpdated(c);
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
      case E::SUBSIDY_GRANTED:
        return subsidyDecided(c, event.getSubsidyGranted().getCertificateNo());
      case E::SUBSIDY_DENIED:
        return subsidyDecided(c, event.getSubsidyDenied().getCertificateNo());
      case E::LABOUR_BRAND_ESTABLISHED:
        return labourBrandEstablished(c);
      case E::SKILL_CERTIFIED:
        return skillCertified(c, subsidy_);
      case E::CERTIFICATE_MAILED:
        return certificateMailed(c);
      case E::SKILL_COMPETITION_ENTERED:
        return skillCompetitionEntered(c);
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
      case E::INSURANCE_ENROLLED:
        return insuranceEnrolled(c);
      case E::POOR_LABOUR_LISTED:
        return poorLabourListed(c);
      default:
        return std::nullopt;  // another service's kind
    }
  });
}

}  // namespace mwp::employment
