// Measure 20 (保障工资支付), wage payment at the source: what the monitoring dashboard and the
// alerts read (wage_monitoring.h) — open warnings by area and rule, and government-invested
// projects with a red warning open.
#include <limits>
#include <map>
#include <set>

#include "event_kinds.h"
#include "frames.h"
#include "wage_monitoring.h"

namespace mwp::rights {
namespace {

struct RuleIndicator {
  WarningRule rule;
  Indicator open;
  bool canBeRed;  // MEASURES.md: workerUnpaid rises to red, manyUnpaid and leftUnpaid are red
};

constexpr RuleIndicator kRules[] = {
    {WarningRule::NO_WAGE_ACCOUNT, measure20::kWarningsOpenNoWageAccount, false},
    {WarningRule::NO_WAGE_DEPOSIT, measure20::kWarningsOpenNoWageDeposit, false},
    {WarningRule::LABOUR_COST_LATE, measure20::kWarningsOpenLabourCostLate, false},
    {WarningRule::WORKER_UNPAID, measure20::kWarningsOpenWorkerUnpaid, true},
    {WarningRule::MANY_UNPAID, measure20::kWarningsOpenManyUnpaid, true},
    {WarningRule::PAID_OUTSIDE_ACCOUNT, measure20::kWarningsOpenPaidOutsideAccount, false},
    {WarningRule::LEFT_UNPAID, measure20::kWarningsOpenLeftUnpaid, true},
    {WarningRule::BELOW_MINIMUM_WAGE, measure20::kWarningsOpenBelowMinimumWage, false},
};

const RuleIndicator* indicatorOf(WarningRule rule) {
  for (const auto& r : kRules) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

// An open warning that is, or may be, red: whether it is decides whether its project counts.
struct PossiblyRed {
  std::string area, recordKey, warningId, projectKey;
  int year;
  bool red;  // known red from its rule; otherwise the record says
};

bool isRedIn(const std::optional<std::string>& enrolment, const std::string& warningId) {
  if (!enrolment) return false;
  FrameReader reader(*enrolment);
  for (auto w : reader.root<msg::ProjectWorker>().getWarnings()) {
    if (warningId == w.getWarningId().cStr()) return w.getLevel() == Level::RED;
  }
  return false;
}

bool governmentInvested(const std::optional<std::string>& project) {
  if (!project) return false;
  FrameReader reader(*project);
  return reader.root<msg::WageProject>().getGovernmentInvested();
}

}  // namespace

std::optional<WarningRule> ruleOfWarningId(std::string_view warningId) {
  std::optional<WarningRule> found;
  size_t from = 0;
  while (from <= warningId.size()) {
    size_t colon = std::min(warningId.find(':', from), warningId.size());
    std::string_view part = warningId.substr(from, colon - from);
    for (const auto& r : kRules) {
      if (part == enumName(r.rule)) found = r.rule;
    }
    from = colon + 1;
  }
  return found;
}

std::vector<IndicatorValue> openWageWarnings(const StateReader& state, const Catalogue& catalogue,
                                             int64_t) {
  std::vector<IndicatorValue> out;
  std::vector<PossiblyRed> possiblyRed;
  for (const auto& area : catalogue.reportingAreas()) {
    std::map<std::pair<int, WarningRule>, int> open;
    // Members "<record key>#<warningId>", scored by the day raised.
    for (const auto& m :
         state.scoredUpTo(warningIndex("open", area), std::numeric_limits<double>::infinity())) {
      size_t hash = m.member.rfind('#');
      if (hash == std::string::npos) continue;
      std::string recordKey = m.member.substr(0, hash), warningId = m.member.substr(hash + 1);
      auto rule = ruleOfWarningId(warningId);
      if (!rule) continue;
      int year = yearOfDay(static_cast<int32_t>(m.score));
      ++open[{year, *rule}];
      if (indicatorOf(*rule)->canBeRed) {
        possiblyRed.push_back({area, recordKey, warningId,
                               recordKey.substr(0, recordKey.find(":worker:")), year,
                               *rule != WarningRule::WORKER_UNPAID});
      }
    }
    for (const auto& [key, n] : open)
      out.emplace_back(indicatorOf(key.second)->open, area, key.first, n);
  }

  // One read for all: the enrolments whose workerUnpaid may have turned red, and the projects.
  std::vector<std::string> keys;
  for (const auto& w : possiblyRed) {
    keys.push_back(w.projectKey);
    keys.push_back(w.red ? w.projectKey : w.recordKey);
  }
  auto values = state.getMany(keys);
  std::set<std::pair<std::string, int>> counted;  // project key, year
  for (size_t i = 0; i < possiblyRed.size(); ++i) {
    const auto& w = possiblyRed[i];
    bool red = w.red || isRedIn(values[2 * i + 1], w.warningId);
    if (!red || !governmentInvested(values[2 * i]) ||
        !counted.insert({w.projectKey, w.year}).second)
      continue;
    out.emplace_back(measure20::kGovernmentProjectsRedOpen, w.area, w.year, 1);
  }
  return out;
}

}  // namespace mwp::rights
