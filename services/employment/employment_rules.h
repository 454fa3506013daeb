// The rules of the employment service (measures 1–10 and 16) as one pure function over its state:
// the real-name registry, job fairs per campaign, employment assistance, training, certificates and
// the skill-upgrade subsidy, competitions, return-home businesses, demonstration sites, guarantee
// loans and social-security services.
//
// State keys: worker:<id> (an EmploymentRecord), natural keys that make a re-sent fact count once
// (fair:<fairId>, vacancy:<id>, certificate:<no>, loan:<applicationNo>, brand:<name>,
// business:<code>, site:<name>:<level>, trained:<year>:<worker>), and the registry's index by
// last update (updated:<area>, scored by day).
#pragma once

#include "catalogue.h"
#include "indicator_counts.h"
#include "rules.h"
#include "subsidy_rule.h"

namespace mwp::employment {

// A record not updated for more than this many days is stale (措施二: 按季度更新).
constexpr int kStaleAfterDays = 92;

class EmploymentRules : public EventRules {
 public:
  explicit EmploymentRules(SubsidyPolicy subsidy) : subsidy_(std::move(subsidy)) {}
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override;
  // The worker's record, and the key of a fact that counts once (a fair, a certificate …).
  void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const override;

 private:
  SubsidyPolicy subsidy_;
};

// The registry index a worker's record is kept under, per area.
std::string updatedIndex(const std::string& area);

// records_stale per area: registered workers not updated for more than kStaleAfterDays days.
std::vector<IndicatorValue> staleRecords(const StateReader& state, const Catalogue& catalogue,
                                         int64_t nowSeconds);

}  // namespace mwp::employment
