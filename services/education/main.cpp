// mwp-education: measure 14.
#include "education_rules.h"
#include "mwp/messages/education.capnp.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  auto parts = workerRecordService<education::EducationRules, msg::EducationRecord>("education");
  parts.computed = [](const StateReader& state, const Catalogue& catalogue, int64_t now) {
    return education::undecidedTooLong(state, catalogue, now,
                                       education::StagePolicy{}.decisionDays);
  };
  return runService(parts, argc, argv);
}
