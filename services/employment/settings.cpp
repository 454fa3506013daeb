#include "settings.h"

namespace mwp::employment {

SubsidyPolicy subsidyPolicyFromEnv(Env& env) {
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
  p.maxPerYear = static_cast<uint32_t>(env.integer(
      "MWP_SUBSIDY_MAX_PER_YEAR", 3, 0, 100, "skill-upgrade subsidies a worker is paid a year"));
  p.homeAreaPrefix = env.text("MWP_HOME_AREA_PREFIX", "5107", "hukou prefix of 绵阳籍 workers");
  return p;
}

}  // namespace mwp::employment
