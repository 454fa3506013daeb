// mwp-education: measure 14.
#include "education_rules.h"
#include "mwp/messages/education.capnp.h"
#include "record_queries.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.name = "education";
  parts.owns = msg::Service::EDUCATION;
  parts.makeRules = [](Env&) { return std::make_unique<education::EducationRules>(); };
  parts.makeQueries = [] {
    return std::make_unique<WorkerRecordQueries<msg::EducationRecord>>("education");
  };
  parts.computed = [](Redis& redis, int64_t now) {
    return education::undecidedTooLong(redis, now, education::StagePolicy{}.decisionDays);
  };
  parts.queryPort = 7203;
  parts.adminPort = 9203;
  return runService(parts, argc, argv);
}
