// Measure 22 (加强法律援助服务): legal-aid requests, decided within 7 working days of a complete
// application — the time spent supplying missing material not counted (办理法律援助案件程序规定
// 2012 art. 13; from 2022-01-01 法律援助法 art. 43) — granted or refused; never refused on the
// means test when a migrant worker claims wages or work-injury damages (法律援助法 art. 42).
#include "ids.h"
#include "rights_case.h"

namespace mwp::rights {
namespace {

// 法律援助法 came into force on 2022-01-01; a request is judged by the rules in force on the day
// it was made: the register's version of the decision period then (程序规定 2012 before it).
bool underTheLegalAidLaw(int32_t requestedDay) {
  const RuleVersion* period =
      ruleInForce(rules::rights::legal_aid::decision_period, formatDate(requestedDay));
  return period && std::string_view(period->document) == "法律援助法";
}

int decisionWorkingDays(const DeadlinePolicy& policy, int32_t requestedDay) {
  return underTheLegalAidLaw(requestedDay) ? policy.legalAidDecisionWorkingDays
                                           : policy.legalAidDecisionWorkingDaysBefore2022;
}

// The period's source as a clerk cites it, in Chinese and in English.
std::string periodSource(int32_t requestedDay, bool zh) {
  if (underTheLegalAidLaw(requestedDay)) return zh ? "法律援助法第四十三条" : "法律援助法 art. 43";
  return zh ? "办理法律援助案件程序规定第十三条" : "办理法律援助案件程序规定 art. 13";
}

}  // namespace

Applied legalAidRequested(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getLegalAidRequested();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (c.exists()) return refuseCase(rules::record::once, c, " 已申请", " is already requested");
  c.open(event, e.getCaseNo(), e.getRequestedOn(), "requestedOn");
  // The matter decides whether the means test applies (legalAidDecided).
  c.get().setDetail(enumName(e.getMatter()));
  int32_t requested = dayOf(e.getRequestedOn(), "requestedOn");
  c.due(rules::rights::legal_aid::decision_period, Stage::LEGAL_AID_DECISION,
        calendar.addWorkingDays(requested, decisionWorkingDays(policy, requested)));
  c.count(measure22::kAidRequested);
  c.save();
  return {};
}

// 程序规定 (2012) art. 13: an incomplete application is answered with a notice to supply the
// material; the time the applicant takes to supply it is not counted.
Applied legalAidMaterialRequested(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getLegalAidMaterialRequested();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未申请", " is not requested");
  auto decision = c.openDeadline(Stage::LEGAL_AID_DECISION);
  if (c.get().getStatus() == msg::CaseStatus::CLOSED || !decision) {
    return refuseCase(rules::rights::legal_aid::material_stops_clock, c,
                      " 已作出决定，不能再要求补充材料", " is already decided: no material can be asked for");
  }
  if (decision->getPausedOn().size() > 0) {
    std::string since = decision->getPausedOn().cStr();
    return refuseCase(rules::rights::legal_aid::material_stops_clock, c,
                      " 已于 " + since + " 通知补充材料，尚未补齐",
                      ": material was asked for on " + since + " and is not supplied yet");
  }
  int32_t on = dayOf(e.getRequestedOn(), "requestedOn");
  int32_t filed = dayOf(c.get().getFiledOn(), "filedOn");
  std::string filedOn = c.get().getFiledOn().cStr(), due = decision->getDueOn().cStr();
  if (on < filed) {
    return refuse(rules::rights::legal_aid::material_stops_clock, "requestedOn 早于申请日 " + filedOn,
                  "requestedOn: before the application of " + filedOn);
  }
  if (on > dayOf(decision->getDueOn(), "dueOn")) {
    return refuse(rules::rights::legal_aid::material_stops_clock,
                  "审查期限已于 " + due + " 届满，补充材料通知不能使其停止计算（" +
                      periodSource(filed, true) + "）",
                  "the decision period ended on " + due +
                      ": a later request for material cannot stop it (" +
                      periodSource(filed, false) + ")");
  }
  c.pause(*decision, e.getRequestedOn());
  c.save();
  return {};
}

Applied legalAidMaterialSupplied(msg::Envelope::Reader event, StateTx& state,
                                 const WorkingCalendar& calendar) {
  auto e = event.getLegalAidMaterialSupplied();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未申请", " is not requested");
  auto decision = c.openDeadline(Stage::LEGAL_AID_DECISION);
  if (c.get().getStatus() == msg::CaseStatus::CLOSED || !decision ||
      decision->getPausedOn().size() == 0) {
    return refuseCase(rules::rights::legal_aid::material_stops_clock, c, " 未通知补充材料",
                      ": no material was asked for");
  }
  std::string asked = decision->getPausedOn().cStr();
  int32_t paused = dayOf(decision->getPausedOn(), "pausedOn");
  int32_t supplied = dayOf(e.getSuppliedOn(), "suppliedOn");
  if (supplied < paused) {
    return refuse(rules::rights::legal_aid::material_stops_clock,
                  "suppliedOn 早于补充材料通知日 " + asked,
                  "suppliedOn: before the material was asked for on " + asked);
  }
  // The working days left when the clock stopped run again from the day the material came.
  int left = calendar.workingDaysAfter(paused, dayOf(decision->getDueOn(), "dueOn"));
  c.resume(*decision, calendar.addWorkingDays(supplied, left));
  c.save();
  return {};
}

Applied legalAidDecided(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getLegalAidDecided();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未申请", " is not requested");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuseCase(rules::record::stage, c, " 已作出决定", " is already decided");
  // 法律援助法 art. 42: a migrant worker asking for aid to claim wages or work-injury damages is
  // exempt from the means test (免予核查经济困难状况); refusing such a request on it is unlawful.
  std::string matter = c.get().getDetail().cStr();
  if (!e.getGranted() && e.getGround() == msg::LegalAidGround::MEANS_TEST &&
      (matter == "wages" || matter == "injury") &&
      underTheLegalAidLaw(dayOf(c.get().getFiledOn(), "filedOn"))) {
    return refuse(rules::rights::legal_aid::means_test_exempt,
                  "农民工请求支付劳动报酬或者工伤事故人身损害赔偿申请法律援助的，免予核查经济困难状况，"
                  "不得以经济困难审查为由不予援助（法律援助法第四十二条）",
                  "a migrant worker claiming wages or work-injury damages is exempt from the means "
                  "test: aid cannot be refused on it (法律援助法 art. 42)");
  }
  c.finish(Stage::LEGAL_AID_DECISION, e.getDecidedOn(), "decidedOn");
  c.close(e.getDecidedOn(), "decidedOn", e.getGranted() ? "granted" : "refused");
  c.count(e.getGranted() ? measure22::kAidGranted : measure22::kAidRefused);
  c.save();
  return {};
}

}  // namespace mwp::rights
