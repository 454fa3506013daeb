// mwp-outreach: measures 12, 13, 17–19 and 23–30, reported as activities, and measure 23's
// returnees and their family visits. It keeps no worker records: an activity is about a place
// and a day, and a returnee is kept only for the year's coverage.
#include "outreach_queries.h"
#include "outreach_rules.h"
#include "service_main.h"

int main(int argc, char** argv) {
  using namespace mwp;
  ServiceParts parts;
  parts.service = serviceNamed("outreach");
  parts.makeRules = [](Env&) { return std::make_unique<outreach::OutreachRules>(); };
  parts.makeQueries = [] { return std::make_unique<outreach::OutreachQueries>(); };
  parts.computed = outreach::checklists;
  return runService(parts, argc, argv);
}
