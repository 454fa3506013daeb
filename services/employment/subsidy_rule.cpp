#include "subsidy_rule.h"

#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"

namespace mwp::employment {

std::variant<Granted, Denied> decideSubsidy(const SubsidyPolicy& policy, const SubsidyClaim& claim,
                                            msg::EmploymentRecord::Reader record) {
  auto amount = policy.amountYuan.find(claim.level);
  if (amount == policy.amountYuan.end()) {
    return Denied{"level " + enumName(claim.level) +
                  " is not covered: the measure pays junior, intermediate and senior"};
  }
  auto profile = record.getProfile();
  if (!profile.getRegistered()) return Denied{"not in the real-name registry"};
  std::string hukou = profile.getHukouArea().cStr();
  if (hukou.rfind(policy.homeAreaPrefix, 0) != 0) {
    return Denied{"not 绵阳籍: hukou area " + hukou + " is outside " + policy.homeAreaPrefix};
  }
  if (claim.insuredMonths < policy.minInsuredMonths) {
    return Denied{"unemployment insurance paid for " + std::to_string(claim.insuredMonths) +
                  " months; " + std::to_string(policy.minInsuredMonths) + " are required"};
  }
  if (claim.claimedOn > addMonths(claim.issuedOn, policy.claimWindowMonths)) {
    return Denied{"claimed on " + formatDate(claim.claimedOn) + ", more than " +
                  std::to_string(policy.claimWindowMonths) + " months after the certificate of " +
                  formatDate(claim.issuedOn)};
  }
  int year = yearOfDay(claim.claimedOn);
  uint32_t paidThisYear = 0;
  for (auto c : record.getCertificates()) {
    if (!c.getSubsidy().isGrantedYuan()) continue;
    // A certificate recorded before its claim day was kept: its issue day is the best known.
    auto claimed =
        parseDate(c.getClaimedOn().size() ? c.getClaimedOn().cStr() : c.getIssuedOn().cStr());
    if (claimed && yearOfDay(*claimed) == year) ++paidThisYear;
    if (claim.occupation != c.getOccupation().cStr()) continue;
    if (c.getLevel() == claim.level) {
      return Denied{"already paid for " + claim.occupation + " at " + enumName(claim.level)};
    }
    if (c.getLevel() > claim.level) {
      return Denied{"already paid for " + claim.occupation + " at a higher level (" +
                    enumName(c.getLevel()) + ")"};
    }
  }
  if (paidThisYear >= policy.maxPerYear) {
    return Denied{"already paid " + std::to_string(paidThisYear) + " skill-upgrade subsidies in " +
                  std::to_string(year) + ": at most " + std::to_string(policy.maxPerYear) +
                  " a year per worker"};
  }
  return Granted{amount->second};
}

}  // namespace mwp::employment
