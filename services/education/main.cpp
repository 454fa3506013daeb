// mwp-education: measure 14.
#include "education_rules.h"
#include "mwp/messages/education.capnp.h"
#include "record_queries.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("education");
  parts.makeRules = [](Env&) { return std::make_unique<education::EducationRules>(); };
  parts.makeQueries = [] {
    return std::make_unique<WorkerRecordQueries<msg::EducationRecord>>("education");
  };
  parts.computed = [](const StateReader& state, const Catalogue& catalogue, int64_t now) {
    return education::undecidedTooLong(state, catalogue, now, education::StagePolicy{}.decisionDays);
  };
  return runService(parts, argc, argv);
}
