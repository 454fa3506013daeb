// Measure 5 (打造新型劳务品牌): labour brands established, each counted once.
#include "employment_measures.h"

namespace mwp::employment {

Applied labourBrandEstablished(Context& c) {
  auto e = c.event.getLabourBrandEstablished();
  if (seenBefore(c)) {
    return refuse(rules::record::once, std::string("劳务品牌 ") + e.getBrand().cStr() + " 已计数",
                  std::string("labour brand ") + e.getBrand().cStr() + " is already counted");
  }
  c.count(measure5::kBrandsEstablished, yearOfField(e.getEstablishedOn(), "establishedOn"));
  return {};
}

}  // namespace mwp::employment
