// Measure 3 (实施就业援助): employment and unemployment registration — open to migrant workers
// resident in the town for six months — public-welfare jobs, and the placing of registered poor
// workers (建档立卡贫困劳动力).
//
// poor_placement_rate = listed poor workers placed ÷ listed poor workers. The denominator is the
// workers listed (poorLabourListed) in the year, in the area of the listing; a listed worker is
// placed by an employment registration or a public-welfare job, before or after the listing
// (one already at work when listed is placed), and counts in the year of the listing.
#include "employment_measures.h"
#include "worklists.h"

namespace mwp::employment {
namespace {

const WorklistInfo& notPlaced() { return *worklistNamed("poorNotPlaced"); }

// The day the worker was first placed, from the record's registrations and jobs; "" if never.
std::string firstPlacement(W w) {
  std::string first;
  auto earlier = [&](capnp::Text::Reader on) {
    if (first.empty() || std::string(on.cStr()) < first) first = on.cStr();
  };
  for (auto r : w.getEmploymentRegistrations()) earlier(r.getStartedOn());
  for (auto j : w.getPublicWelfareJobs()) earlier(j.getStartedOn());
  return first;
}

// A listed poor worker not yet placed is placed now: counted in the year of the listing and off
// the worklist. Nothing for a worker placed before. False for a worker not listed: not in the
// population of the promise.
bool placeIfListed(Context& c) {
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto listing = w.getPoorListing();
  if (listing.getListedOn().size() == 0) return false;
  if (listing.getPlacedOn().size() > 0) return true;
  listing.setPlacedOn(firstPlacement(w));
  record.save();
  int year = yearOfField(listing.getListedOn(), "poorLabourListed.listedOn");
  Context cohort{c.event, c.state, listing.getArea().cStr()};
  cohort.count(measure3::kPoorPlaced, year);
  takeOffWorklist(c.state, notPlaced(), cohort.area,
                  {c.event.getWorkerId().cStr(), year, "",
                   dayOf(listing.getListedOn(), "poorLabourListed.listedOn")});
  return true;
}

// The verdict on a placement (a public-welfare job, or a registration the sender marks as a poor
// worker's) of a worker not on the 建档立卡 list: counted as done, not as coverage of measure 3.
// An ordinary registration claims no placement of a poor worker, so it gets no note.
Applied placementNotListed(const char* whatZh, const char* whatEn) {
  return appliedWithNote(
      rules::employment::assistance::poor_placed,
      std::string("该农民工未列入建档立卡贫困劳动力：") + whatZh +
          "予以记录，但不计入贫困劳动力就业帮扶率，列入后计入",
      std::string("this worker is not listed as poor labour (建档立卡): the ") + whatEn +
          " is recorded but is not coverage until the worker is listed");
}

}  // namespace

Applied poorLabourListed(Context& c) {
  auto e = c.event.getPoorLabourListed();
  int year = yearOfField(e.getListedOn(), "listedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto listing = w.getPoorListing();
  if (listing.getListedOn().size() > 0) {
    std::string listedOn = listing.getListedOn().cStr();
    return refuse(rules::record::once, "已于 " + listedOn + " 列入建档立卡贫困劳动力",
                  "this worker is already listed as poor labour since " + listedOn);
  }
  listing.setListedOn(e.getListedOn());
  listing.setArea(c.area);
  c.count(measure3::kPoorListed, year);
  std::string placedOn = firstPlacement(w);
  if (placedOn.empty()) {
    putOnWorklist(c.state, notPlaced(), c.area,
                  {c.event.getWorkerId().cStr(), year, "", dayOf(e.getListedOn(), "listedOn")});
    record.save();
    return {};
  }
  listing.setPlacedOn(placedOn);
  c.count(measure3::kPoorPlaced, year);
  record.save();
  return appliedWithNote(
      rules::employment::assistance::poor_placed,
      "该农民工已于 " + placedOn + " 就业，列入即计为已安置（" + std::to_string(year) + " 年）",
      "at work since " + placedOn + ": placed on listing, in " + std::to_string(year));
}

Applied employmentRegistered(Context& c) {
  auto e = c.event.getEmploymentRegistered();
  int year = yearOfField(e.getStartedOn(), "startedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getEmploymentRegistrations,
              &W::adoptEmploymentRegistrations);
  c.count(measure3::kEmploymentRegistrations, year);
  if (e.getRegisteredPoor()) c.count(measure3::kPoorWorkersPlaced, year);
  if (!placeIfListed(c) && e.getRegisteredPoor()) {
    return placementNotListed("就业登记", "registration");
  }
  return {};
}

Applied unemploymentRegistered(Context& c) {
  auto e = c.event.getUnemploymentRegistered();
  int32_t since = dayOf(e.getResidentSince(), "residentSince");
  int32_t on = dayOf(e.getRegisteredOn(), "registeredOn");
  // 措施三: 将在城镇居住半年以上的失业农民工纳入失业登记范围.
  if (on < addMonths(since, 6)) {
    return refuse(rules::employment::unemployment::residence_6_months,
                  "自 " + formatDate(since) + " 起在城镇居住；失业登记需在城镇居住满6个月（措施三），" +
                      formatDate(addMonths(since, 6)) + " 满足",
                  "resident in the town since " + formatDate(since) +
                      ": unemployment registration needs 6 months of residence (措施三), reached "
                      "on " +
                      formatDate(addMonths(since, 6)));
  }
  appendEntry(c.state, c.workerKey(), e, &W::getUnemploymentRegistrations,
              &W::adoptUnemploymentRegistrations);
  c.count(measure3::kUnemploymentRegistrations, yearOfDay(on));
  return {};
}

Applied publicWelfareJobAssigned(Context& c) {
  auto e = c.event.getPublicWelfareJobAssigned();
  int year = yearOfField(e.getStartedOn(), "startedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getPublicWelfareJobs, &W::adoptPublicWelfareJobs);
  c.count(measure3::kPublicWelfareJobs, year);
  if (!placeIfListed(c)) return placementNotListed("公益性岗位安置", "public-welfare job");
  return {};
}

}  // namespace mwp::employment
