// The skill-upgrade subsidy of measure 4 (技能提升补贴): who gets it and how much. A pure function
// of the policy's settings, the claim, and the worker's record.
//
// 措施四: 对符合享受失业保险技能提升补贴的绵阳籍农民工，按初级工1000元、中级工1500元、高级工2000元
// 的补贴标准发放. The eligibility conditions come from the national and provincial notices the
// measure refers to (MEASURES.md): unemployment insurance paid for a minimum number of months
// (36 in 2017, 12 from 2019), a claim within 12 months of the certificate, one subsidy per
// occupation and level, none for a lower level once a higher one of the same occupation is paid.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "mwp/messages/employment.capnp.h"
#include "mwp/rule_names.h"

namespace mwp::employment {

struct SubsidyPolicy {
  std::map<msg::SkillLevel, uint32_t> amountYuan{{msg::SkillLevel::JUNIOR, 1000},
                                                 {msg::SkillLevel::INTERMEDIATE, 1500},
                                                 {msg::SkillLevel::SENIOR, 2000}};
  // The months the version in force now requires (人社厅发〔2019〕12号, from 2019-01-01); a claim
  // of 2018 or before needs the 36 of the register's earlier version, whatever this says.
  uint32_t minInsuredMonths = 12;
  int claimWindowMonths = 12;
  std::string homeAreaPrefix = "5107";  // 绵阳籍: a hukou in Mianyang
  // MOHRSS and the Ministry of Finance, 2023: a worker is paid the subsidy at most 3 times a year
  // (by the year of the claim), for claims from 2023-01-01.
  uint32_t maxPerYear = 3;
};

struct SubsidyClaim {
  std::string occupation;
  msg::SkillLevel level;
  int32_t issuedOn;   // days since 1970-01-01
  int32_t claimedOn;  // the day the certificate was reported
  uint32_t insuredMonths;
};

struct Granted {
  uint32_t amountYuan;
};
// The rule that denies it, and why in Chinese and English.
struct Denied {
  RuleId rule;
  std::string zh, reason;
};

// `record` is the worker's record before this certificate is added to it.
std::variant<Granted, Denied> decideSubsidy(const SubsidyPolicy& policy, const SubsidyClaim& claim,
                                            msg::EmploymentRecord::Reader record);

}  // namespace mwp::employment
