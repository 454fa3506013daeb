#include "periods.h"

#include <chrono>

#include "ids.h"

namespace mwp {
namespace {

int32_t dayOfDate(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                      std::chrono::day{static_cast<unsigned>(day)}};
  return static_cast<int32_t>(sys_days{date}.time_since_epoch().count());
}

std::optional<int> wholeYear(std::string_view text) {
  if (text.size() != 4) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int year = std::stoi(std::string(text));
  if (year < 2019 || year > 2100) return std::nullopt;  // the policy's first year on
  return year;
}

std::optional<Period> springPeriod(int year, const Catalogue& catalogue) {
  for (auto s : catalogue.data().getSpringTravel()) {
    if (s.getYear() != year) continue;
    Period p{Period::Kind::kSpring, year, 0, *parseDate(s.getFrom().cStr()),
             *parseDate(s.getTo().cStr())};
    return p;
  }
  return std::nullopt;
}

}  // namespace

std::string Period::name() const {
  switch (kind) {
    case Kind::kYear:
      return std::to_string(year);
    case Kind::kQuarter:
      return std::to_string(year) + "-Q" + std::to_string(quarter);
    case Kind::kSpring:
      return std::to_string(year) + "-spring";
  }
  return {};
}

Period yearPeriod(int year) {
  return {Period::Kind::kYear, year, 0, dayOfDate(year, 1, 1), dayOfDate(year, 12, 31)};
}

Period quarterPeriod(int year, int quarter) {
  int firstMonth = 3 * (quarter - 1) + 1;
  int32_t next = quarter == 4 ? dayOfDate(year + 1, 1, 1) : dayOfDate(year, firstMonth + 3, 1);
  return {Period::Kind::kQuarter, year, quarter, dayOfDate(year, firstMonth, 1), next - 1};
}

Period quarterOf(int32_t day) {
  std::string date = formatDate(day);
  int year = std::stoi(date.substr(0, 4));
  int month = std::stoi(date.substr(5, 2));
  return quarterPeriod(year, (month - 1) / 3 + 1);
}

std::optional<Period> parseQuarter(std::string_view text) {
  if (text.size() != 7 || text.substr(4, 2) != "-Q" || text[6] < '1' || text[6] > '4') {
    return std::nullopt;
  }
  auto year = wholeYear(text.substr(0, 4));
  if (!year) return std::nullopt;
  return quarterPeriod(*year, text[6] - '0');
}

std::optional<Period> parsePeriod(std::string_view text, const Catalogue& catalogue) {
  if (auto year = wholeYear(text)) return yearPeriod(*year);
  if (auto quarter = parseQuarter(text)) return quarter;
  constexpr std::string_view kSpring = "-spring";
  if (text.size() == 4 + kSpring.size() && text.substr(4) == kSpring) {
    if (auto year = wholeYear(text.substr(0, 4))) return springPeriod(*year, catalogue);
  }
  return std::nullopt;
}

std::vector<Period> periodsOf(int32_t day, const Catalogue& catalogue) {
  std::vector<Period> out{quarterOf(day)};
  if (auto spring = springPeriod(out.front().year, catalogue); spring && spring->contains(day)) {
    out.push_back(*spring);
  }
  return out;
}

}  // namespace mwp
