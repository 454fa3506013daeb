#include "settings.h"

namespace mwp::rights {

DeadlinePolicy deadlinePolicyFromEnv(Env& env) {
  DeadlinePolicy p;
  auto days = [&](const char* name, int fallback, const char* help) {
    return static_cast<int>(env.integer(name, fallback, 1, 365, help));
  };
  p.wageAcceptWorkingDays =
      days("MWP_WAGE_ACCEPT_WORKING_DAYS", 5, "accept a wage claim within (working days)");
  p.wageResolveWorkingDays =
      days("MWP_WAGE_RESOLVE_WORKING_DAYS", 60, "resolve a wage claim after acceptance within");
  p.wageMaxExtensionWorkingDays =
      days("MWP_WAGE_MAX_EXTENSION_WORKING_DAYS", 30, "longest extension of a wage claim");
  p.wageClaimLimitYears = static_cast<int>(
      env.integer("MWP_WAGE_CLAIM_LIMIT_YEARS", 2, 1, 20,
                  "accept no wage claim owed until longer ago than this (years, 监察条例 art. 20)"));
  p.disputeAcceptDays = days("MWP_DISPUTE_ACCEPT_DAYS", 5, "decide on accepting a dispute within");
  p.disputeAwardDays = days("MWP_DISPUTE_AWARD_DAYS", 45, "award after acceptance within");
  p.disputeMaxExtensionDays =
      days("MWP_DISPUTE_MAX_EXTENSION_DAYS", 15, "longest extension of an arbitration");
  p.legalAidDecisionWorkingDaysBefore2022 =
      days("MWP_LEGAL_AID_DECISION_WORKING_DAYS_BEFORE_2022", 7,
           "decide on legal aid requested before 2022 within (working days, 程序规定 2012 art. 13)");
  p.legalAidDecisionWorkingDays =
      days("MWP_LEGAL_AID_DECISION_WORKING_DAYS", 7,
           "decide on legal aid requested from 2022 within (working days, 法律援助法 art. 43)");
  return p;
}

WagePaymentPolicy wagePaymentPolicyFromEnv(Env& env) {
  WagePaymentPolicy p;
  auto number = [&](const char* name, int fallback, int min, int max, const char* help) {
    return static_cast<int>(env.integer(name, fallback, min, max, help));
  };
  p.accountDays =
      number("MWP_WAGE_ACCOUNT_DAYS", 30, 1, 365,
             "noWageAccount: days after startOn to open the wage account (条例 art. 26)");
  p.depositDays = number("MWP_WAGE_DEPOSIT_DAYS", 30, 1, 365,
                         "noWageDeposit: days after startOn to lodge the wage deposit (art. 32)");
  p.labourCostMonths =
      number("MWP_LABOUR_COST_MONTHS", 1, 1, 12,
             "labourCostLate: months after a month's end for its labour cost (art. 24)");
  p.unpaidRedMonths =
      number("MWP_UNPAID_RED_MONTHS", 2, 1, 12,
             "workerUnpaid: red when still unpaid at the end of this month after (arts. 11–12)");
  p.manyUnpaidPercent =
      number("MWP_MANY_UNPAID_PERCENT", 10, 0, 100,
             "manyUnpaid: red above this share of a month's workers unpaid on the payday");
  p.paidOutsideAccount =
      number("MWP_PAID_OUTSIDE_ACCOUNT_WARNING", 1, 0, 1,
             "paidOutsideAccount: 1 warns of wages paid outside the account (art. 31)") == 1;
  p.leftUnpaid = number("MWP_LEFT_UNPAID_WARNING", 1, 0, 1,
                        "leftUnpaid: 1 warns of a worker leaving unpaid (art. 30)") == 1;
  p.minimumMonthlyWageYuan = parseMinimumWages(env.text(
      "MWP_MINIMUM_WAGE", "",
      "belowMinimumWage: monthly minimum wage by area, 510703=2100,…; empty: off (最低工资规定)"));
  return p;
}

std::map<std::string, uint32_t> parseMinimumWages(const std::string& text) {
  std::map<std::string, uint32_t> out;
  size_t from = 0;
  while (from < text.size()) {
    size_t comma = text.find(',', from);
    std::string entry =
        text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    from = comma == std::string::npos ? text.size() : comma + 1;
    auto eq = entry.find('=');
    std::string area = entry.substr(0, eq);
    std::string yuan = eq == std::string::npos ? "" : entry.substr(eq + 1);
    bool digits = !yuan.empty() && yuan.size() <= 6 &&
                  yuan.find_first_not_of("0123456789") == std::string::npos;
    // A county (GB/T 2260) or a park of the area table: what a project's `area` can be.
    bool areaCode =
        !area.empty() && area.size() <= 8 &&
        area.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
    if (!areaCode || !digits || std::stoul(yuan) == 0) {
      throw ConfigError("MWP_MINIMUM_WAGE: \"" + entry +
                        "\" is not <area code>=<yuan a month>, e.g. 510703=2100");
    }
    out[area] = static_cast<uint32_t>(std::stoul(yuan));
  }
  return out;
}

}  // namespace mwp::rights
