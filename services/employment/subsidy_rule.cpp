#include "subsidy_rule.h"

#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"

namespace mwp::employment {
namespace {

// The months of insurance a claim needs: the version of the rule in force on the claim's date.
// The configured value (MWP_SUBSIDY_MIN_INSURED_MONTHS) overrides the version in force now, the
// latest; an earlier version keeps the figure its source fixed (36 months to 2018-12-31), which
// the register gives with no setting.
// A claim before the first version is judged by the first.
struct InsuredMonths {
  uint32_t months;
  const char* document;
};
InsuredMonths insuredMonthsRequired(const SubsidyPolicy& policy, int32_t claimedOn) {
  auto rule = rules::employment::subsidy::insured_months;
  const RuleVersion* then = ruleInForce(rule, formatDate(claimedOn));
  const RuleVersion* latest = latestVersion(rule);
  if (!then) then = firstVersion(rule);
  if (then == latest) return {policy.minInsuredMonths, then->document};
  return {defaultFigure(*then), then->document};
}

}  // namespace

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
  InsuredMonths required = insuredMonthsRequired(policy, claim.claimedOn);
  if (claim.insuredMonths < required.months) {
    std::string source =
        std::string("（") + required.document + "，" + formatDate(claim.claimedOn) + " 申领）";
    return Denied{rules::employment::subsidy::insured_months,
                  "失业保险累计缴纳 " + std::to_string(claim.insuredMonths) + " 个月，需满 " +
                      std::to_string(required.months) + " 个月" + source,
                  "unemployment insurance paid for " + std::to_string(claim.insuredMonths) +
                      " months; " + std::to_string(required.months) + " are required (" +
                      required.document + ", for a claim of " + formatDate(claim.claimedOn) + ")"};
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
  // In force from 2023-01-01: a claim dated before it is not capped.
  bool capped =
      ruleInForce(rules::employment::subsidy::max_per_year, formatDate(claim.claimedOn)) != nullptr;
  if (capped && paidThisYear >= policy.maxPerYear) {
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
