// Measure 1 (组织专场招聘会): job fairs for migrant workers — 100 a year, 50 of them in the spring
// return period (春风行动, 民营企业招聘周) and 50 taking jobs to the countryside (送岗位下乡).
#include "employment_measures.h"

namespace mwp::employment {

Applied jobFairHeld(Context& c) {
  auto e = c.event.getJobFairHeld();
  if (seenBefore(c)) {
    return refuse(rules::record::once, std::string("招聘会 ") + e.getFairId().cStr() + " 已计数",
                  std::string("fair ") + e.getFairId().cStr() + " is already counted");
  }
  int year = yearOfField(e.getHeldOn(), "heldOn");
  c.count(measure1::kFairsHeld, year);
  switch (e.getCampaign()) {
    case msg::JobFairCampaign::SPRING_BREEZE:
    case msg::JobFairCampaign::PRIVATE_ENTERPRISE_WEEK:
      c.count(measure1::kSpringCampaignFairs, year);  // 春风行动, 民营企业招聘周
      break;
    case msg::JobFairCampaign::JOBS_TO_COUNTRYSIDE:
      c.count(measure1::kCountrysideFairs, year);  // 送岗位下乡
      break;
    default:
      break;
  }
  c.count(measure1::kAgreementsSigned, year, e.getAgreementsSigned());
  return {};
}

}  // namespace mwp::employment
