#include "subsidy_rule.h"

#include "event_kinds.h"
#include "ids.h"

namespace mwp::employment {

SubsidyPolicy SubsidyPolicy::fromEnv(Env& env) {
  SubsidyPolicy p;
  p.amountYuan[msg::SkillLevel::JUNIOR] = static_cast<uint32_t>(
      env.integer("MWP_SUBSIDY_JUNIOR_YUAN", 1000, 0, 100000, "初级工 skill-upgrade subsidy"));
  p.amountYuan[msg::SkillLevel::INTERMEDIATE] = static_cast<uint32_t>(env.integer(
      "MWP_SUBSIDY_INTERMEDIATE_YUAN", 1500, 0, 100000, "中级工 skill-upgrade subsidy"));
  p.amountYuan[msg::SkillLevel::SENIOR] = static_cast<uint32_t>(
      env.integer("MWP_SUBSIDY_SENIOR_YUAN", 2000, 0, 100000, "高级工 skill-upgrade subsidy"));
  p.minInsuredMonths = static_cast<uint32_t>(env.integer(
      "MWP_SUBSIDY_MIN_INSURED_MONTHS", 12, 0, 120, "months of unemployment insurance required"));
  p.claimWindowMonths = static_cast<int>(env.integer("MWP_SUBSIDY_CLAIM_WINDOW_MONTHS", 12, 1, 120,
                                                     "months after the certificate to claim"));
  p.homeAreaPrefix = env.text("MWP_HOME_AREA_PREFIX", "5107", "hukou prefix of 绵阳籍 workers");
  return p;
}

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
  for (auto c : record.getCertificates()) {
    if (!c.getSubsidy().isGrantedYuan() || claim.occupation != c.getOccupation().cStr()) continue;
    if (c.getLevel() == claim.level) {
      return Denied{"already paid for " + claim.occupation + " at " + enumName(claim.level)};
    }
    if (c.getLevel() > claim.level) {
      return Denied{"already paid for " + claim.occupation + " at a higher level (" +
                    enumName(c.getLevel()) + ")"};
    }
  }
  return Granted{amount->second};
}

}  // namespace mwp::employment
