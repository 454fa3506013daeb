// Measure 8 (鼓励支持返乡创业): businesses started by returning workers, each counted once, and the
// jobs they create.
#include "employment_measures.h"

namespace mwp::employment {

Applied businessStarted(Context& c) {
  auto e = c.event.getBusinessStarted();
  if (seenBefore(c)) {
    return refuse(rules::record::once,
                  std::string("返乡创业企业 ") + e.getBusinessCode().cStr() + " 已计数",
                  std::string("business ") + e.getBusinessCode().cStr() + " is already counted");
  }
  int year = yearOfField(e.getStartedOn(), "startedOn");
  appendEntry(c.state, c.workerKey(), e, &W::getBusinesses, &W::adoptBusinesses);
  c.count(measure8::kBusinessesStarted, year);
  c.count(measure8::kJobsCreated, year, e.getJobsCreated());
  return {};
}

}  // namespace mwp::employment
