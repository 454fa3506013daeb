// mwp-outreach: measures 12, 13, 17–19 and 23–30, reported as activities. It keeps no worker
// records: an activity is about a place and a day, not a person.
#include "outreach_rules.h"
#include "service_main.h"

namespace {
class NoWorkerSection : public mwp::QueryHandler {
 public:
  mwp::WorkerSection workerSection(mwp::Redis&, const std::string&) override { return {}; }
};
}  // namespace

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("outreach");
  parts.makeRules = [](Env&) { return std::make_unique<outreach::OutreachRules>(); };
  parts.makeQueries = [] { return std::make_unique<NoWorkerSection>(); };
  parts.computed = outreach::checklists;
  return runService(parts, argc, argv);
}
