#include "employment_queries.h"

#include "employment_rules.h"
#include "ids.h"

namespace mwp::employment {

namespace {
constexpr const char* kService = "employment";
}

std::vector<IndicatorValue> staleRecords(Redis& redis, int64_t nowSeconds) {
  int32_t today = chinaDayOf(nowSeconds);
  int year = yearOf(formatDate(today));
  std::vector<IndicatorValue> out;
  for (const auto& area : Catalogue::builtIn().reportingAreas()) {
    // Stale: the last update lies more than kStaleAfterDays days before today.
    auto n = redis.command({"ZCOUNT", serviceKey(kService, updatedIndex(area)), "-inf",
                            std::to_string(today - kStaleAfterDays - 1)});
    if (n.isError()) throw RedisUnavailable("ZCOUNT failed: " + n.str);
    out.push_back({2, "records_stale", area, year, static_cast<double>(n.integer)});
  }
  return out;
}

}  // namespace mwp::employment
