// Measure 10 (加大融资扶持力度): business guarantee loans applied for and decided, and 应贷尽贷 —
// of the eligible applications decided, the share approved (target: all).
#include "employment_measures.h"

namespace mwp::employment {

Applied guaranteeLoanApplied(Context& c) {
  auto e = c.event.getGuaranteeLoanApplied();
  if (seenBefore(c)) {
    return refuse(rules::record::once,
                  std::string("贷款申请 ") + e.getApplicationNo().cStr() + " 已记录",
                  std::string("loan application ") + e.getApplicationNo().cStr() +
                      " is already recorded");
  }
  int year = yearOfField(e.getAppliedOn(), "appliedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getLoans, &W::adoptLoans);
  c.count(measure10::kLoansApplied, year);
  return {};
}

Applied guaranteeLoanDecided(Context& c) {
  auto e = c.event.getGuaranteeLoanDecided();
  int year = yearOfField(e.getDecidedOn(), "decidedOn");
  Record record(c.state, c.workerKey());
  for (auto loan : record.get().getLoans()) {
    if (loan.getApplicationNo() != e.getApplicationNo()) continue;
    if (!loan.getDecision().isPending()) {
      return refuse(rules::record::stage,
                    std::string("贷款申请 ") + e.getApplicationNo().cStr() + " 已有决定",
                    std::string("loan application ") + e.getApplicationNo().cStr() +
                        " is already decided");
    }
    if (e.getApproved()) {
      loan.getDecision().setApprovedYuan(e.getAmountYuan());
      c.count(measure10::kLoansApproved, year);
    } else {
      loan.getDecision().setRefusedBecause(e.getReason().size() ? e.getReason() : "not given");
    }
    loan.setDecidedOn(e.getDecidedOn());
    // 应贷尽贷: of the eligible applications decided, how many were approved.
    if (loan.getEligible()) {
      c.count(measure10::kEligibleLoansDecided, year);
      if (e.getApproved()) c.count(measure10::kEligibleLoansApproved, year);
    }
    record.save();
    return {};
  }
  return refuse(rules::record::exists_first,
                std::string("该农民工没有贷款申请 ") + e.getApplicationNo().cStr(),
                std::string("no loan application ") + e.getApplicationNo().cStr() +
                    " for this worker");
}

}  // namespace mwp::employment
