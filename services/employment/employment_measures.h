// Inside the employment service: what the rules of each measure share, and each measure's rules,
// one file a measure (measure_NN_*.cpp). EmploymentRules::apply (employment_rules.cpp) dispatches
// each event kind to its function here.
#pragma once

#include <optional>
#include <string>

#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/employment.capnp.h"
#include "rule_fields.h"
#include "rules.h"
#include "stored_record.h"
#include "subsidy_rule.h"

namespace mwp::employment {

using Record = StoredRecord<msg::EmploymentRecord>;
// The worker's record as rules change it: appendEntry(c.state, c.workerKey(), e, &W::getLoans, …).
using W = msg::EmploymentRecord::Builder;

// The event a rule applies, the state it writes, and the reporting area it counts in.
struct Context {
  msg::Envelope::Reader event;
  StateTx& state;
  std::string area;

  void count(Indicator indicator, int year, int64_t delta = 1) {
    countIndicator(state, indicator, area, year, delta);
  }
  // The worker's record key, "worker:<id>".
  std::string workerKey() const;
};

// The key under which a fact that counts once is remembered (seenBefore), for the kinds that
// have one: the rules check it, and the loop reads it ahead with the batch (keysToRead).
std::optional<std::string> onceKey(msg::Envelope::Reader event);

// Whether the event's fact (onceKey) was applied before; remembers it otherwise.
bool seenBefore(Context& c);

// measure_01_job_fairs.cpp
Applied jobFairHeld(Context& c);
// measure_02_registry.cpp
Applied workerRegistered(Context& c);
Applied workerUpdated(Context& c);
Applied vacancyPublished(Context& c, int64_t nowSeconds);
// measure_03_employment_assistance.cpp
Applied employmentRegistered(Context& c);
Applied unemploymentRegistered(Context& c);
Applied publicWelfareJobAssigned(Context& c);
Applied poorLabourListed(Context& c);
// measure_04_training.cpp
Applied trainingCompleted(Context& c);
// The subsidy decided for the certificate of a skillCertified (decideSubsidy): written on the
// certificate, counted, and announced as the derived subsidyGranted or subsidyDenied.
Applied recordSubsidy(Context& c, msg::Certificate::Builder certificate,
                      const std::variant<Granted, Denied>& decision);
Applied subsidyDecided(Context& c, capnp::Text::Reader certificateNo);
// measure_05_labour_brands.cpp
Applied labourBrandEstablished(Context& c);
// measure_06_certification.cpp
Applied skillCertified(Context& c, const SubsidyPolicy& policy);
Applied certificateMailed(Context& c);
// The certificate of `number` in the worker's record, if it is there.
std::optional<msg::Certificate::Builder> findCertificate(msg::EmploymentRecord::Builder w,
                                                         capnp::Text::Reader number);
// measure_07_competitions.cpp
Applied skillCompetitionEntered(Context& c);
// measure_08_return_home_business.cpp
Applied businessStarted(Context& c);
// measure_09_demonstration_sites.cpp
Applied demonstrationSiteRecognized(Context& c);
// measure_10_guarantee_loans.cpp
Applied guaranteeLoanApplied(Context& c);
Applied guaranteeLoanDecided(Context& c);
// measure_16_social_insurance.cpp
Applied socialSecurityCardIssued(Context& c);
Applied insuranceTransferred(Context& c);
Applied crossRegionMedicalRegistered(Context& c);
Applied insuranceEnrolled(Context& c);

}  // namespace mwp::employment
