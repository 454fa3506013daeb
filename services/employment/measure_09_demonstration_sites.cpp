// Measure 9 (开展示范创建): demonstration parks and bases recognised, each once per level, and
// those recognised at provincial level or above.
#include "employment_measures.h"

namespace mwp::employment {

Applied demonstrationSiteRecognized(Context& c) {
  auto e = c.event.getDemonstrationSiteRecognized();
  if (seenBefore(c)) {
    return refuse(rules::record::once,
                  std::string("示范基地 ") + e.getName().cStr() + " 已在该级别认定",
                  std::string("site ") + e.getName().cStr() +
                      " is already recognised at this level");
  }
  int year = yearOfField(e.getRecognizedOn(), "recognizedOn");
  c.count(measure9::kSitesRecognized, year);
  if (e.getLevel() != msg::DemonstrationLevel::MUNICIPAL) c.count(measure9::kProvincialSites, year);
  return {};
}

}  // namespace mwp::employment
