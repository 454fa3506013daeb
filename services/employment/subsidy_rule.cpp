#include "subsidy_rule.h"

#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"

namespace mwp::employment {

std::variant<Granted, Denied> decideSubsidy(const SubsidyPolicy& policy, const SubsidyClaim& claim,
                                            msg::EmploymentRecord::Reader record) {
  auto amount = policy.amountYuan.find(claim.level);
  if (amount == policy.amountYuan.end()) {
    return Denied{rules::employment::subsidy::levels_covered,
                  "措施四只补贴初级工、中级工、高级工，" + enumName(claim.level) + " 不在其列",
                  "level " + enumName(claim.level) +
                      " is not covered: the measure pays junior, intermediate and senior"};
  }
  auto profile = record.getProfile();
  if (!profile.getRegistered()) {
    return Denied{rules::employment::subsidy::registered, "该农民工未在实名登记库中登记",
                  "not in the real-name registry"};
  }
  std::string hukou = profile.getHukouArea().cStr();
  if (hukou.rfind(policy.homeAreaPrefix, 0) != 0) {
    return Denied{rules::employment::subsidy::mianyang_hukou,
                  "非绵阳籍：户籍地 " + hukou + " 不在 " + policy.homeAreaPrefix + " 之内",
                  "not 绵阳籍: hukou area " + hukou + " is outside " + policy.homeAreaPrefix};
  }
  if (claim.insuredMonths < policy.minInsuredMonths) {
    return Denied{rules::employment::subsidy::insured_months,
                  "失业保险累计缴纳 " + std::to_string(claim.insuredMonths) + " 个月，需满 " +
                      std::to_string(policy.minInsuredMonths) + " 个月",
                  "unemployment insurance paid for " + std::to_string(claim.insuredMonths) +
                      " months; " + std::to_string(policy.minInsuredMonths) + " are required"};
  }
  if (claim.claimedOn > addMonths(claim.issuedOn, policy.claimWindowMonths)) {
    return Denied{rules::employment::subsidy::claim_window,
                  formatDate(claim.claimedOn) + " 申领，距 " + formatDate(claim.issuedOn) +
                      " 取得证书已超过 " + std::to_string(policy.claimWindowMonths) + " 个月",
                  "claimed on " + formatDate(claim.claimedOn) + ", more than " +
                      std::to_string(policy.claimWindowMonths) +
                      " months after the certificate of " + formatDate(claim.issuedOn)};
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
      return Denied{rules::employment::subsidy::once_per_level,
                    "已领取过" + claim.occupation + " " + enumName(claim.level) + " 等级的补贴",
                    "already paid for " + claim.occupation + " at " + enumName(claim.level)};
    }
    if (c.getLevel() > claim.level) {
      return Denied{rules::employment::subsidy::once_per_level,
                    "已领取过" + claim.occupation + "更高等级（" + enumName(c.getLevel()) +
                        "）的补贴",
                    "already paid for " + claim.occupation + " at a higher level (" +
                        enumName(c.getLevel()) + ")"};
    }
  }
  if (paidThisYear >= policy.maxPerYear) {
    return Denied{rules::employment::subsidy::max_per_year,
                  std::to_string(year) + " 年已领取 " + std::to_string(paidThisYear) +
                      " 次技能提升补贴，每人每年至多 " + std::to_string(policy.maxPerYear) + " 次",
                  "already paid " + std::to_string(paidThisYear) + " skill-upgrade subsidies in " +
                      std::to_string(year) + ": at most " + std::to_string(policy.maxPerYear) +
                      " a year per worker"};
  }
  return Granted{amount->second};
}

}  // namespace mwp::employment
