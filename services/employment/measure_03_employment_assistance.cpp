// Measure 3 (实施就业援助): employment and unemployment registration — open to migrant workers
// resident in the town for six months — public-welfare jobs, and the placing of registered poor
// workers (建档立卡贫困劳动力).
#include "employment_measures.h"

namespace mwp::employment {

Applied employmentRegistered(Context& c) {
  auto e = c.event.getEmploymentRegistered();
  int year = yearOfField(e.getStartedOn(), "startedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getEmploymentRegistrations,
              &W::adoptEmploymentRegistrations);
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
  return {};
}

}  // namespace mwp::employment
