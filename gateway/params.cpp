#include "params.h"

#include "http.h"

namespace mwp::gateway {

Problem badParameter(std::string_view name, std::string_view zh, std::string_view en) {
  std::string n(name);
  return Problem{400, "Bad " + n, n + ": " + std::string(zh) + " / " + std::string(en)};
}

Problem badResidentId(std::string_view name) {
  return badParameter(name, "不是 18 位、校验码正确的身份证号",
                      "not 18 characters with a valid GB 11643 check character");
}

std::optional<int> wholeNumber(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string villageParam(const HttpRequest& req, const Catalogue& catalogue) {
  std::string village = textParam(req, "village");
  if (!village.empty() && !catalogue.isVillage(village)) {
    throw badParameter("village", "应为12位统计用区划代码，前六位为绵阳市的县（市、区）",
                       "12 digits (统计用区划代码), the first six a Mianyang county");
  }
  return village;
}

std::string textParam(const HttpRequest& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : "";
}

int numberParam(const HttpRequest& req, const char* name, int fallback, int min, int max) {
  if (!req.has_param(name)) return fallback;
  auto n = wholeNumber(req.get_param_value(name));
  if (!n || *n < min || *n > max) {
    std::string range = std::to_string(min) + "–" + std::to_string(max);
    throw badParameter(
        name, "不是 " + range + " 的整数",
        "not a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return *n;
}

std::string choiceParam(const HttpRequest& req, const char* name, const std::string& fallback,
                        const std::vector<std::string>& choices) {
  if (!req.has_param(name)) return fallback;
  std::string value = req.get_param_value(name);
  for (const auto& c : choices) {
    if (value == c) return value;
  }
  std::string listed;
  for (const auto& c : choices) listed += (listed.empty() ? "" : ", ") + c;
  throw badParameter(name, "应为 " + listed + " 之一", "one of " + listed);
}

std::string areaParam(const HttpRequest& req, const Catalogue& catalogue) {
  std::string area = textParam(req, "area");
  if (!area.empty() && area != "all" && !catalogue.isReportingArea(area)) {
    throw badParameter("area", "不是绵阳的县（市、区）代码或园区代码",
                       "not a Mianyang county code or a park of the area table");
  }
  return area;
}

}  // namespace mwp::gateway
