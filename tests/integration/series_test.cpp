// The issue's bound on Prometheus (issue 20, "Periods"): under 10,000 series for 14 areas and 8
// years, counted, not worked out. Every indicator of every measure has a value in every area in
// each year 2019–2026 — written into each service's counts in Redis as its rules keep them
// (common/core/indicator_counts.h), the worst case no real year reaches — and the real bus, the
// six services and the gateway run as processes. The series are what their /metrics give.
//
// Gauges cover this year and the last (MWP_EXPORTED_YEARS, 2): older years are final figures that
// no alert and no dashboard's pace reads, and the API answers them (GET /v1/measures?year=2019,
// /v1/scorecard?year=2019). Beside the default the test counts all eight years exported, as the
// figure the choice is made against.
#include <gtest/gtest.h>
#include <httplib.h>
#include <prometheus/registry.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "api_keys.h"
#include "catalogue.h"
#include "indicator_counts.h"
#include "indicator_exporter.h"
#include "redis.h"
#include "services.h"
#include "state_keys.h"
#include "test_env.h"

namespace mwp {
namespace {

constexpr int kFirstYear = 2019, kLastYear = 2026;
constexpr size_t kBound = 10000;

int portOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}
int freePort() {
  return portOf(test::freeEndpoint());
}

std::string get(int port, const std::string& path, const std::string& key = "") {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10);
  httplib::Headers headers;
  if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
  auto r = client.Get(path, headers);
  return r && r->status == 200 ? r->body : "";
}

// Every service's counts of every indicator of its measures (and of the counters its ratios are
// made of) in every area and year: 1 each.
void countEverythingEverywhere(Redis& redis) {
  const auto& catalogue = Catalogue::builtIn();
  for (const auto& service : kServices) {
    std::string name(service.name);
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      std::vector<RedisCommand> writes;
      writes.push_back({"ZADD", serviceKey(name, indicator_keys::kYears), std::to_string(year),
                        std::to_string(year)});
      RedisCommand hset{"HSET", serviceKey(name, indicator_keys::counts(year))};
      for (auto m : catalogue.data().getMeasures()) {
        if (m.getService() != service.owns) continue;
        for (auto i : m.getIndicators()) {
          std::vector<std::string> counted{i.getName().cStr()};
          if (i.hasRatio()) {
            counted.push_back(i.getRatio().getNumerator().cStr());
            counted.push_back(i.getRatio().getDenominator().cStr());
          }
          for (const auto& area : catalogue.reportingAreas()) {
            for (const auto& c : counted) {
              hset.push_back(indicator_keys::field(m.getNumber(), c, area));
              hset.push_back("1");
            }
          }
        }
      }
      writes.push_back(std::move(hset));
      for (const auto& reply : redis.pipeline(writes)) {
        ASSERT_NE(reply.type, RedisReply::Type::kError) << reply.str;
      }
    }
  }
}

// The series of one /metrics text: the name and labels of each sample line.
std::set<std::string> seriesOf(const std::string& text) {
  std::set<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line.substr(0, line.rfind(' ')));
  }
  return out;
}

std::string familyOf(const std::string& series) {
  return series.substr(0, series.find('{'));
}

class MetricsSeries : public ::testing::Test {
 protected:
  struct Part {
    std::string name;
    int admin = 0;
    std::unique_ptr<test::ChildProcess> process;
  };

  void SetUp() override {
    test::flushRedis();
    Redis redis(test::testRedis());
    countEverythingEverywhere(redis);

    std::string ingest = test::freeEndpoint(), publish = test::freeEndpoint();
    Part bus{"bus", freePort(), nullptr};
    bus.process = std::make_unique<test::ChildProcess>(
        MWP_BUS_BINARY, std::map<std::string, std::string>{
                            {"MWP_BUS_INGEST_BIND", ingest},
                            {"MWP_BUS_PUBLISH_BIND", publish},
                            {"MWP_BUS_ADMIN_PORT", std::to_string(bus.admin)}});
    parts_.push_back(std::move(bus));

    std::string keys = testing::TempDir() + "series-api-keys";
    std::ofstream(keys) << "office integrator " << gateway::hashApiKey(kKey) << "\n";
    gatewayPort_ = freePort();
    Part gateway{"gateway", freePort(), nullptr};
    std::map<std::string, std::string> gatewayEnv{
        {"MWP_API_KEYS_FILE", keys},
        {"MWP_BUS_INGEST", ingest},
        {"MWP_GATEWAY_PORT", std::to_string(gatewayPort_)},
        {"MWP_GATEWAY_ADMIN_PORT", std::to_string(gateway.admin)},
        {"MWP_GATEWAY_DEADLINE_MS", "3000"}};
    const std::map<std::string, const char*> binaries{
        {"employment", MWP_EMPLOYMENT_BINARY}, {"housing", MWP_HOUSING_BINARY},
        {"education", MWP_EDUCATION_BINARY},   {"health", MWP_HEALTH_BINARY},
        {"rights", MWP_RIGHTS_BINARY},         {"outreach", MWP_OUTREACH_BINARY}};
    for (const auto& [name, binary] : binaries) {
      std::string upper = upperName(name), query = test::freeEndpoint();
      Part service{name, freePort(), nullptr};
      service.process = std::make_unique<test::ChildProcess>(
          binary, std::map<std::string, std::string>{
                      {"MWP_BUS_INGEST", ingest},
                      {"MWP_BUS_PUBLISH", publish},
                      {"MWP_" + upper + "_QUERY_BIND", query},
                      {"MWP_" + upper + "_ADMIN_PORT", std::to_string(service.admin)},
                      {"MWP_INDICATOR_REFRESH_MS", "200"}});
      gatewayEnv["MWP_" + upper + "_QUERY"] = query;
      parts_.push_back(std::move(service));
    }
    gateway.process = std::make_unique<test::ChildProcess>(MWP_GATEWAY_BINARY, gatewayEnv);
    parts_.push_back(std::move(gateway));
    for (auto& p : parts_) p.process->start();
    for (const auto& p : parts_) ASSERT_TRUE(ready(p)) << p.name;
  }

  static bool ready(const Part& p) {
    for (int i = 0; i < 200; ++i) {
      if (!get(p.admin, "/readyz").empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  void TearDown() override {
    for (auto& p : parts_) p.process->terminateWithin(5);
  }

  bool isService(const Part& p) const { return p.name != "bus" && p.name != "gateway"; }

  // Restarts the services with `variable` set to `value`.
  void restartServicesWith(const std::string& variable, const std::string& value) {
    for (auto& p : parts_) {
      if (!isService(p)) continue;
      p.process->terminateWithin(5);
      p.process->setEnv(variable, value);
      p.process->start();
    }
  }

  // Every series of every part, "part|series", once each part is ready and each service has
  // exported the reporting of its measures (the last gauges a refresh sets).
  std::set<std::string> scrapeAll() {
    std::set<std::string> all;
    for (const auto& p : parts_) {
      std::string text;
      EXPECT_TRUE(ready(p)) << p.name;
      for (int i = 0; i < 200; ++i) {
        text = get(p.admin, "/metrics");
        if (!isService(p) || text.find("mwp_measure_area_silent{") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      EXPECT_FALSE(text.empty()) << p.name << " gave no /metrics";
      for (const auto& s : seriesOf(text)) all.insert(p.name + "|" + s);
    }
    return all;
  }

  // The count in all and by metric family, for the README.
  static void print(const std::string& title, const std::set<std::string>& series) {
    std::map<std::string, size_t> byFamily;
    for (const auto& s : series) ++byFamily[familyOf(s.substr(s.find('|') + 1))];
    std::cout << title << ": " << series.size() << " series\n";
    size_t rest = 0, restFamilies = 0;
    for (const auto& [family, n] : byFamily) {
      if (n >= 40) {
        std::cout << "  " << family << " " << n << "\n";
      } else {
        rest += n;
        ++restFamilies;
      }
    }
    std::cout << "  " << restFamilies << " other families " << rest << "\n";
  }

  static size_t count(const std::set<std::string>& series, const std::string& needle) {
    size_t n = 0;
    for (const auto& s : series) n += s.find(needle) != std::string::npos;
    return n;
  }

  static constexpr const char* kKey = "k-series";
  std::vector<Part> parts_;
  int gatewayPort_ = 0;
};

TEST_F(MetricsSeries, FourteenAreasAndEightYearsOfEveryIndicatorStayUnderTenThousand) {
  // The gateway's own series follow its traffic: every route a dashboard or a clerk uses, for
  // every year, before the count.
  for (int year = kFirstYear; year <= kLastYear; ++year) {
    std::string y = std::to_string(year);
    EXPECT_NE(get(gatewayPort_, "/v1/measures?year=" + y, kKey), "") << year;
    EXPECT_NE(get(gatewayPort_, "/v1/scorecard?year=" + y, kKey), "") << year;
  }
  auto series = scrapeAll();
  print("default (MWP_EXPORTED_YEARS=2)", series);
  EXPECT_LT(series.size(), kBound);
  size_t indicators = 0;
  for (auto m : Catalogue::builtIn().data().getMeasures()) indicators += m.getIndicators().size();
  EXPECT_EQ(count(series, "mwp_measure_value{"), indicators * 15 * 2)
      << "the worst case: every indicator in every area and the city, this year and the last";
  EXPECT_EQ(count(series, R"(year="2024")"), 0u) << "a year before the last has no series";

  // Older years are answered by the API, from the same counts.
  auto old = get(gatewayPort_, "/v1/measures/1?year=2019&area=510781", kKey);
  EXPECT_NE(old.find(R"("indicator":"fairs_held","area":"510781","year":2019,"value":1,)"),
            std::string::npos)
      << old;

  // The figure the choice is made against: every year exported.
  restartServicesWith("MWP_EXPORTED_YEARS", "8");
  auto everyYear = scrapeAll();
  print("every year exported (MWP_EXPORTED_YEARS=8)", everyYear);
  EXPECT_GT(count(everyYear, R"(year="2019")"), 0u);
}

// A service running over New Year's Day: the year that leaves the exported years loses its
// series (values, targets, reporting) at the next refresh, as a restart would drop them.
TEST(MetricsSeriesWindow, AYearThatLeavesTheExportedYearsLosesItsSeries) {
  test::flushRedis();
  Redis redis(test::testRedis());
  // 措施一's fairs of 江油市 counted in `year`, as its rules count them.
  auto fairHeldIn = [&redis](int year) {
    const auto fairs = measure1::kFairsHeld;
    std::string y = std::to_string(year);
    redis.command({"ZADD", serviceKey("employment", indicator_keys::kYears), y, y});
    redis.command({"HSET", serviceKey("employment", indicator_keys::counts(year)),
                   indicator_keys::field(fairs.measure, fairs.name, "510781"), "1"});
  };
  fairHeldIn(2025);
  fairHeldIn(2026);
  prometheus::Registry registry;
  IndicatorExporter exporter("employment", msg::Service::EMPLOYMENT, Catalogue::builtIn(),
                             registry);
  // family → the years its series carry
  auto exported = [&registry] {
    std::map<std::string, std::set<std::string>> years;
    for (const auto& family : registry.Collect()) {
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "year") years[family.name].insert(label.value);
        }
      }
    }
    return years;
  };
  constexpr int64_t kJuly2026 = 1782864000, kJuly2027 = 1814400000;
  exporter.refresh(redis, kJuly2026);
  const std::set<std::string> first{"2025", "2026"}, second{"2026", "2027"};
  EXPECT_EQ(exported(), (std::map<std::string, std::set<std::string>>{
                            {"mwp_measure_value", first},
                            {"mwp_measure_target", first},
                            {"mwp_measure_reporting", first}}));
  fairHeldIn(2027);
  exporter.refresh(redis, kJuly2027);
  EXPECT_EQ(exported(), (std::map<std::string, std::set<std::string>>{
                            {"mwp_measure_value", second},
                            {"mwp_measure_target", second},
                            {"mwp_measure_reporting", second}}));
}

}  // namespace
}  // namespace mwp
