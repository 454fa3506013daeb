// The legal deadlines of measures 20–22, as configuration with the law's values as defaults.
#pragma once


namespace mwp::rights {

struct DeadlinePolicy {
  // 劳动保障监察条例 art. 17, 若干规定 art. 18: accept a wage complaint within 5 working days;
  // finish within 60 working days of acceptance, extendable once by at most 30.
  int wageAcceptWorkingDays = 5;
  int wageResolveWorkingDays = 60;
  int wageMaxExtensionWorkingDays = 30;
  // 劳动保障监察条例 art. 20: a violation neither found nor complained of within 2 years of its
  // end is no longer investigated — a complaint of wages owed until longer ago is not accepted.
  int wageClaimLimitYears = 2;
  // 劳动争议调解仲裁法 art. 29: decide on acceptance within 5 days of the application; art. 43:
  // award within 45 days of acceptance, +15 once; the days a case is suspended do not count
  // (劳动人事争议仲裁办案规则 art. 46). Mediation inside arbitration (art. 42) has no deadline.
  int disputeAcceptDays = 5;
  int disputeAwardDays = 45;
  int disputeMaxExtensionDays = 15;
  // Legal aid: decide within 7 working days, the time spent supplying missing material not
  // counted. For requests before 2022-01-01, 办理法律援助案件程序规定 (2012) art. 13; from then,
  // 法律援助法 art. 43, whose text could not be verified here (it may say 7 days, not working
  // days): kept at 7 working days and configurable apart.
  int legalAidDecisionWorkingDaysBefore2022 = 7;
  int legalAidDecisionWorkingDays = 7;
};

}  // namespace mwp::rights
