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
  p.disputeAcceptDays = days("MWP_DISPUTE_ACCEPT_DAYS", 5, "decide on accepting a dispute within");
  p.disputeMediationDays =
      days("MWP_DISPUTE_MEDIATION_DAYS", 15, "mediate a dispute after acceptance within");
  p.disputeAwardDays = days("MWP_DISPUTE_AWARD_DAYS", 45, "award after acceptance within");
  p.disputeMaxExtensionDays =
      days("MWP_DISPUTE_MAX_EXTENSION_DAYS", 15, "longest extension of an arbitration");
  p.legalAidDecisionWorkingDays =
      days("MWP_LEGAL_AID_DECISION_WORKING_DAYS", 7, "decide on legal aid within (working days)");
  return p;
}

}  // namespace mwp::rights
