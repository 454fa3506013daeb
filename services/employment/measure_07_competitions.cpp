// Measure 7 (组织参加技能竞赛活动): migrant workers entering skill competitions.
#include "employment_measures.h"

namespace mwp::employment {

Applied skillCompetitionEntered(Context& c) {
  auto e = c.event.getSkillCompetitionEntered();
  int year = yearOfField(e.getHeldOn(), "heldOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto entry = appendTo<msg::Competition>(record.orphanage(), w.getCompetitions(),
                                          [&](auto o) { w.adoptCompetitions(kj::mv(o)); });
  entry.setCompetition(e.getCompetition());
  entry.setHeldOn(e.getHeldOn());
  entry.setAward(e.getAward());
  record.save();
  c.count(measure7::kEntrants, year);
  return {};
}

}  // namespace mwp::employment
