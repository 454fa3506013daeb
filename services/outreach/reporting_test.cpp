// Reporting completeness and timeliness (common/core/reporting.h) over the outreach rules: a
// quarter reported by an activity alone, by a periodReported alone, on time up to the 10th day
// after the quarter and late from the 11th.
#include "reporting.h"

#include <gtest/gtest.h>

#include "outreach_rules.h"
#include "rules_harness.h"

// The built-in catalogue's text (catalogue_data.cpp, generated from common/core/catalogue.json).
extern const char kMwpCatalogueJson[];

namespace mwp::outreach {
namespace {

using test::event;

constexpr int kOnTimeDays = 10;
// 2026-12-01 in China: every quarter of 2026 but the last has ended.
constexpr int64_t kDecember = 1796054400;
// 2026-04-01 00:00 in China: the first day of Q2.
constexpr int64_t kAprilFirst = 1774972800;

std::string visit(const std::string& id, const std::string& area, const std::string& heldOn,
                  const std::string& occurredAt) {
  return event(id, "activityReported",
               R"({"measure":23,"activity":"condolenceVisitOutside","heldOn":")" + heldOn +
                   R"(","count":1,"participants":20,"fundsYuan":0})",
               "", "areaGovernment", area, occurredAt);
}

std::string periodReported(const std::string& id, const std::string& area, int measure,
                           const std::string& period, bool nothing, const std::string& occurredAt) {
  return event(id, "periodReported",
               R"({"measure":)" + std::to_string(measure) + R"(,"period":")" + period +
                   R"(","nothingToReport":)" + (nothing ? "true" : "false") + "}",
               "", "areaGovernment", area, occurredAt);
}

class ReportingTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventRules> rules = withReporting(std::make_unique<OutreachRules>(),
                                                    msg::Service::OUTREACH, Catalogue::builtIn());
  test::RulesHarness h{*rules, kDecember};

  const AreaReporting& of(int measure, int quarter, const std::string& area) {
    all = reportingOf(h.state, Catalogue::builtIn(), msg::Service::OUTREACH, 2026, kOnTimeDays,
                      kDecember);
    for (const auto& r : all) {
      if (r.measure == measure && r.quarter.quarter == quarter && r.area == area) return r;
    }
    throw std::logic_error("no such reporting");
  }
  std::vector<AreaReporting> all;
};

TEST_F(ReportingTest, AReportOnTheTenthDayAfterTheQuarterIsOnTimeAndOnTheEleventhLate) {
  // Q1 ends on 31 March: 10 April is the 10th day after it, 11 April the 11th (China time).
  EXPECT_EQ(
      h.apply(periodReported("p1", "510722", 23, "2026-Q1", true, "2026-04-10T23:59:00+08:00")),
      "applied");
  EXPECT_EQ(
      h.apply(periodReported("p2", "510723", 23, "2026-Q1", true, "2026-04-11T00:00:00+08:00")),
      "applied");
  EXPECT_TRUE(of(23, 1, "510722").reported);
  EXPECT_TRUE(of(23, 1, "510722").onTime);
  EXPECT_TRUE(of(23, 1, "510723").reported);
  EXPECT_FALSE(of(23, 1, "510723").onTime);
  EXPECT_FALSE(of(23, 1, "510725").reported) << "an area that sent nothing has not reported";
}

TEST_F(ReportingTest, AQuarterWithOnlyANothingToReportIsReportedWithNothingDone) {
  EXPECT_EQ(
      h.apply(periodReported("p1", "510722", 23, "2026-Q2", true, "2026-07-01T09:00:00+08:00")),
      "applied");
  const auto& r = of(23, 2, "510722");
  EXPECT_TRUE(r.reported);
  EXPECT_TRUE(r.onTime);
  EXPECT_TRUE(r.nothingToReport);
  EXPECT_EQ(h.indicator(2026, measure23::kCondolenceVisitOutside, "510722"), 0)
      << "nothing to report counts nothing done";
  EXPECT_FALSE(of(24, 2, "510722").reported) << "a report of measure 23 is not one of 24";
}

TEST_F(ReportingTest, AQuarterWithOnlyEventsIsReportedByTheirBusinessDateNotTheDayTheyCame) {
  // Held in March, sent in May: a report of Q1, late; nothing of Q2.
  EXPECT_EQ(h.apply(visit("v1", "510722", "2026-03-20", "2026-05-02T09:00:00+08:00")), "applied");
  // Held in April, sent the same day: Q2, on time.
  EXPECT_EQ(h.apply(visit("v2", "510703", "2026-04-20", "2026-04-20T18:00:00+08:00")), "applied");
  EXPECT_TRUE(of(23, 1, "510722").reported);
  EXPECT_FALSE(of(23, 1, "510722").onTime);
  EXPECT_FALSE(of(23, 1, "510722").nothingToReport);
  EXPECT_FALSE(of(23, 2, "510722").reported);
  EXPECT_TRUE(of(23, 2, "510703").reported);
  EXPECT_TRUE(of(23, 2, "510703").onTime);
}

TEST_F(ReportingTest, TheFirstReportDecidesTimelinessWhateverOrderTheyAreApplied) {
  EXPECT_EQ(h.apply(visit("v1", "510722", "2026-03-20", "2026-05-02T09:00:00+08:00")), "applied");
  EXPECT_FALSE(of(23, 1, "510722").onTime);
  EXPECT_EQ(
      h.apply(periodReported("p1", "510722", 23, "2026-Q1", false, "2026-04-02T09:00:00+08:00")),
      "applied");
  EXPECT_TRUE(of(23, 1, "510722").onTime);
}

TEST_F(ReportingTest, EveryAreaOwesEachQuarterThatHasBegun) {
  all = reportingOf(h.state, Catalogue::builtIn(), msg::Service::OUTREACH, 2026, kOnTimeDays,
                    kAprilFirst);
  size_t outreachMeasures = 13, areas = 14, quarters = 2;
  EXPECT_EQ(all.size(), outreachMeasures * areas * quarters);
}

// The built-in catalogue with measure 23 owed by two areas only (`reportedBy`): what a measure
// that binds some counties and parks and not others declares.
Catalogue catalogueWithMeasure23OwedBy(const std::string& codes) {
  std::string json = kMwpCatalogueJson;
  const std::string measure = R"({"number": 23, )";
  auto at = json.find(measure);
  if (at == std::string::npos) throw std::logic_error("measure 23 not found in the catalogue");
  json.insert(at + measure.size(), R"("reportedBy": [)" + codes + "], ");
  return Catalogue(json);
}

TEST(Reporting, AMeasureReportedByFewerAreasIsOwedByThemOnly) {
  const Catalogue catalogue = catalogueWithMeasure23OwedBy(R"("510722", "510781")");
  auto rules = withReporting(std::make_unique<OutreachRules>(), msg::Service::OUTREACH, catalogue);
  test::RulesHarness h{*rules, kDecember};
  EXPECT_EQ(h.apply(visit("v1", "510722", "2026-01-20", "2026-01-21T10:00:00+08:00")), "applied");
  EXPECT_EQ(h.apply(visit("v2", "510703", "2026-01-20", "2026-01-21T10:00:00+08:00")), "applied")
      << "an area that does not owe the measure may still do it: counted, not owed";

  auto all = reportingOf(h.state, catalogue, msg::Service::OUTREACH, 2026, kOnTimeDays,
                         kAprilFirst);
  std::vector<std::string> owing;
  size_t others = 0;
  for (const auto& r : all) {
    if (r.measure != 23) {
      ++others;
    } else if (r.quarter.quarter == 1) {
      owing.push_back(r.area + (r.reported ? " reported" : " not reported"));
    }
  }
  EXPECT_EQ(owing, (std::vector<std::string>{"510722 reported", "510781 not reported"}))
      << "expected counts the two areas that owe it, and 510703 is not among them";
  size_t outreachMeasures = 13, areas = 14, quarters = 2;
  EXPECT_EQ(others, (outreachMeasures - 1) * areas * quarters) << "the other measures: all 14";
  EXPECT_EQ(h.indicator(2026, measure23::kCondolenceVisitOutside, "510703"), 1);
}

TEST_F(ReportingTest, ActivitiesAreCountedByQuarterAndBySpringTravelBesideTheYear) {
  // 2026's 春运: 2 February – 13 March (春节 17 February).
  EXPECT_EQ(h.apply(visit("v1", "510722", "2026-02-01", "2026-02-01T18:00:00+08:00")), "applied");
  EXPECT_EQ(h.apply(visit("v2", "510722", "2026-02-02", "2026-02-02T18:00:00+08:00")), "applied");
  EXPECT_EQ(h.apply(visit("v3", "510722", "2026-03-13", "2026-03-13T18:00:00+08:00")), "applied");
  EXPECT_EQ(h.apply(visit("v4", "510722", "2026-03-14", "2026-03-14T18:00:00+08:00")), "applied");
  EXPECT_EQ(h.apply(visit("v5", "510722", "2026-04-01", "2026-04-01T18:00:00+08:00")), "applied");
  auto counted = [&](const std::string& period) {
    auto field = indicator_keys::field(23, measure23::kCondolenceVisitOutside.name, "510722");
    return h.state.counters[indicator_keys::periodCounts(period)][field];
  };
  EXPECT_EQ(h.indicator(2026, measure23::kCondolenceVisitOutside, "510722"), 5);
  EXPECT_EQ(counted("2026-Q1"), 4);
  EXPECT_EQ(counted("2026-Q2"), 1);
  EXPECT_EQ(counted("2026-spring"), 2);
}

TEST_F(ReportingTest, AnotherServicesMeasureIsLeftToItsService) {
  EXPECT_EQ(
      h.apply(periodReported("p1", "510722", 1, "2026-Q1", true, "2026-04-02T09:00:00+08:00")),
      "ignored");
}

}  // namespace
}  // namespace mwp::outreach
