// An error the caller can act on: thrown by a handler, answered as application/problem+json
// (RFC 9457) by the route it came through (router.h).
#pragma once

#include <string>
#include <string_view>

namespace mwp::gateway {

// `detail` is English; a caller whose Accept-Language prefers Chinese gets `detailZh` instead
// where there is one. A problem that is a rule's refusal names the rule, and its body carries
// `rule`, `reason` and `reasonZh` beside `detail`.
struct Problem {
  int status;
  std::string title;
  std::string detail;
  int retryAfter = 0;  // seconds, for a 429
  std::string detailZh = "";
  std::string rule = "";
};

// A path or query parameter that is not as the route declares it: 400, the detail naming the
// parameter and what it must be, in Chinese and English, e.g.
//   "year: 不是 2019–2100 的整数 / not a whole number from 2019 to 2100".
// The value itself is not repeated: it may be a resident ID.
Problem badParameter(std::string_view name, std::string_view zh, std::string_view en);

}  // namespace mwp::gateway
