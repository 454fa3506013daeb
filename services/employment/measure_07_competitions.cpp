// Measure 7 (组织参加技能竞赛活动): migrant workers entering skill competitions.
#include "employment_measures.h"

namespace mwp::employment {

Applied skillCompetitionEntered(Context& c) {
  auto e = c.event.getSkillCompetitionEntered();
  int year = yearOfField(e.getHeldOn(), "heldOn");
  appendEntry(c.state, c.workerKey(), e, &W::getCompetitions, &W::adoptCompetitions);
  c.count(measure7::kEntrants, year);
  return {};
}

}  // namespace mwp::employment
