// Measure 23 (开展送温暖活动): 乡镇、村全覆盖走访慰问 — every returning worker's family visited.
//
// family_visit_coverage = returnees of the year whose family was visited ÷ returnees of the year.
// A worker is a returnee of the year of returnedOn (once a year, however often they come and go),
// counted in the county of their village (the village code's first six digits), since the
// village and its township are the ones that must visit; and per village. A familyVisited counts
// when a workerReturned of the same year was applied before it: a visit to a worker not known to
// have returned that year is applied, but is not coverage, and its verdict says so.
//
// State keys: returnee:<year>:<workerId> ("<village>|<returnedOn>|<visitedOn>"),
// village-coverage:<year> (counters "<village>|returnees" and "<village>|visited"), and the
// worklist returneesNotVisited (worklists.h).
#include "outreach_rules.h"
#include "ids.h"
#include "rule_fields.h"
#include "worklists.h"

namespace mwp::outreach {
namespace {

const WorklistInfo& notVisited() { return *worklistNamed("returneesNotVisited"); }

struct Returnee {
  std::string village, returnedOn, visitedOn;
  std::string county() const { return village.substr(0, 6); }
};

std::string returneeKey(int year, msg::Envelope::Reader event) {
  return "returnee:" + std::to_string(year) + ":" + event.getWorkerId().cStr();
}

std::optional<Returnee> readReturnee(StateTx& state, const std::string& key) {
  auto stored = state.get(key);
  if (!stored) return std::nullopt;
  auto first = stored->find('|'), second = stored->find('|', first + 1);
  return Returnee{stored->substr(0, first), stored->substr(first + 1, second - first - 1),
                  stored->substr(second + 1)};
}

void writeReturnee(StateTx& state, const std::string& key, const Returnee& r) {
  state.put(key, r.village + "|" + r.returnedOn + "|" + r.visitedOn);
}

WorklistEntry entryOf(msg::Envelope::Reader event, int year, const Returnee& r) {
  return {event.getWorkerId().cStr(), year, r.village, static_cast<int32_t>(*parseDate(r.returnedOn))};
}

Applied workerReturned(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getWorkerReturned();
  int year = yearOfField(e.getReturnedOn(), "returnedOn");
  auto key = returneeKey(year, event);
  if (auto known = readReturnee(state, key)) {
    return appliedWithNote(rules::outreach::returnee::once_a_year,
                           std::to_string(year) + " 年已计为返乡农民工（" + known->returnedOn +
                               " 返乡），每年计一次",
                           "already a returnee of " + std::to_string(year) + " (returned on " +
                               known->returnedOn + "): counted once a year");
  }
  Returnee r{e.getVillage().cStr(), e.getReturnedOn().cStr(), ""};
  writeReturnee(state, key, r);
  countIndicator(state, measure23::kReturnees, r.county(), year);
  state.add(villageCoverageKey(year), r.village + "|returnees", 1);
  putOnWorklist(state, notVisited(), r.county(), entryOf(event, year, r));
  return {};
}

Applied familyVisited(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getFamilyVisited();
  int year = yearOfField(e.getVisitedOn(), "visitedOn");
  auto key = returneeKey(year, event);
  auto r = readReturnee(state, key);
  if (!r) {
    return appliedWithNote(rules::outreach::returnee::family_visit,
                           "该农民工 " + std::to_string(year) + " 年无返乡记录，走访予以记录，但不计入覆盖率",
                           "no workerReturned of " + std::to_string(year) +
                               " for this worker: the visit is recorded but is not coverage");
  }
  if (!r->visitedOn.empty()) {
    return appliedWithNote(rules::outreach::returnee::family_visit,
                           "已于 " + r->visitedOn + " 走访，只计一次",
                           "the family was visited already on " + r->visitedOn + ": counted once");
  }
  r->visitedOn = e.getVisitedOn().cStr();
  writeReturnee(state, key, *r);
  countIndicator(state, measure23::kReturneesVisited, r->county(), year);
  state.add(villageCoverageKey(year), r->village + "|visited", 1);
  takeOffWorklist(state, notVisited(), r->county(), entryOf(event, year, *r));
  return {};
}

}  // namespace

std::string villageCoverageKey(int year) {
  return "village-coverage:" + std::to_string(year);
}

std::optional<Applied> applyReturneeEvent(msg::Envelope::Reader event, StateTx& state) {
  if (event.isWorkerReturned()) return workerReturned(event, state);
  if (event.isFamilyVisited()) return familyVisited(event, state);
  return std::nullopt;
}

}  // namespace mwp::outreach
