// Measure 3 (实施就业援助): employment and unemployment registration — open to migrant workers
// resident in the town for six months — public-welfare jobs, and the placing of registered poor
// workers (建档立卡贫困劳动力).
#include "employment_measures.h"

namespace mwp::employment {

Applied employmentRegistered(Context& c) {
  auto e = c.event.getEmploymentRegistered();
  int year = yearOfField(e.getStartedOn(), "startedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto r = appendTo<msg::EmploymentRegistration>(
      record.orphanage(), w.getEmploymentRegistrations(),
      [&](auto o) { w.adoptEmploymentRegistrations(kj::mv(o)); });
  r.setEmployerCode(e.getEmployerCode());
  r.setStartedOn(e.getStartedOn());
  r.setRegisteredPoor(e.getRegisteredPoor());
  record.save();
  c.count(measure3::kEmploymentRegistrations, year);
  if (e.getRegisteredPoor()) c.count(measure3::kPoorWorkersPlaced, year);
  return {};
}

Applied unemploymentRegistered(Context& c) {
  auto e = c.event.getUnemploymentRegistered();
  int32_t since = dayOf(e.getResidentSince(), "residentSince");
  int32_t on = dayOf(e.getRegisteredOn(), "registeredOn");
  // 措施三: 将在城镇居住半年以上的失业农民工纳入失业登记范围.
  if (on < addMonths(since, 6)) {
    return refuse("resident in the town since " + formatDate(since) +
                  ": unemployment registration needs 6 months of residence (措施三), reached on " +
                  formatDate(addMonths(since, 6)));
  }
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto r = appendTo<msg::UnemploymentRegistration>(
      record.orphanage(), w.getUnemploymentRegistrations(),
      [&](auto o) { w.adoptUnemploymentRegistrations(kj::mv(o)); });
  r.setResidentSince(e.getResidentSince());
  r.setRegisteredOn(e.getRegisteredOn());
  record.save();
  c.count(measure3::kUnemploymentRegistrations, yearOfDay(on));
  return {};
}

Applied publicWelfareJobAssigned(Context& c) {
  auto e = c.event.getPublicWelfareJobAssigned();
  int year = yearOfField(e.getStartedOn(), "startedOn");
  Record record(c.state, c.workerKey());
  auto w = record.get();
  auto j = appendTo<msg::PublicWelfareJob>(record.orphanage(), w.getPublicWelfareJobs(),
                                           [&](auto o) { w.adoptPublicWelfareJobs(kj::mv(o)); });
  j.setPosition(e.getPosition());
  j.setStartedOn(e.getStartedOn());
  record.save();
  c.count(measure3::kPublicWelfareJobs, year);
  return {};
}

}  // namespace mwp::employment
