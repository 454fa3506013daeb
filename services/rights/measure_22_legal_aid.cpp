// Measure 22 (加强法律援助服务): legal-aid requests, decided within 7 working days of a complete
// application (法律援助 程序规定 art. 13); granted or refused.
#include "rights_case.h"

namespace mwp::rights {

Applied legalAidRequested(msg::Envelope::Reader event, StateTx& state, const DeadlinePolicy& policy,
                          const WorkingCalendar& calendar) {
  auto e = event.getLegalAidRequested();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (c.exists()) return refuse(c.name() + " is already requested");
  c.open(event, e.getCaseNo(), e.getRequestedOn(), "requestedOn");
  // 法律援助法 art. 42: wage and work-injury claims of migrant workers skip the means test.
  c.get().setDetail(enumName(e.getMatter()));
  c.due(Stage::LEGAL_AID_DECISION, calendar.addWorkingDays(dayOf(e.getRequestedOn(), "requestedOn"),
                                                           policy.legalAidDecisionWorkingDays));
  c.count(measure22::kAidRequested);
  c.save();
  return {};
}

Applied legalAidDecided(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getLegalAidDecided();
  Case c(state, msg::CaseType::LEGAL_AID, e.getCaseNo());
  if (!c.exists()) return refuse(c.name() + " is not requested");
  if (c.get().getStatus() == msg::CaseStatus::CLOSED)
    return refuse(c.name() + " is already decided");
  c.finish(Stage::LEGAL_AID_DECISION, e.getDecidedOn(), "decidedOn");
  c.close(e.getDecidedOn(), "decidedOn", e.getGranted() ? "granted" : "refused");
  c.count(e.getGranted() ? measure22::kAidGranted : measure22::kAidRefused);
  c.save();
  return {};
}

}  // namespace mwp::rights
