#include "catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "event_kinds.h"
#include "ids.h"
#include "mwp/catalogue_names.h"
#include "periods.h"

namespace mwp {
namespace {

const Catalogue& catalogue() {
  return Catalogue::builtIn();
}

TEST(Catalogue, HasAllThirtyMeasuresInOrder) {
  auto measures = catalogue().data().getMeasures();
  ASSERT_EQ(measures.size(), 30u);
  for (unsigned i = 0; i < 30; ++i) {
    EXPECT_EQ(measures[i].getNumber(), i + 1);
    EXPECT_GT(measures[i].getTitleZh().size(), 0u);
    EXPECT_GT(measures[i].getTitleEn().size(), 0u);
    EXPECT_GT(measures[i].getLead().size(), 0u) << "measure " << i + 1 << " has no lead";
    EXPECT_GT(measures[i].getIndicators().size(), 0u) << "measure " << i + 1;
  }
}

TEST(Catalogue, CarriesThePolicysTargets) {
  auto fairs = catalogue().measure(1).getIndicators()[0];
  EXPECT_EQ(std::string(fairs.getName().cStr()), "fairs_held");
  EXPECT_EQ(fairs.getTarget().getAtLeast(), 100);
  auto trained = catalogue().measure(4).getIndicators()[0];
  EXPECT_EQ(std::string(trained.getName().cStr()), "trained");
  EXPECT_EQ(trained.getTarget().getAtLeast(), 10000);
  auto visits = catalogue().measure(23).getIndicators()[1];
  EXPECT_EQ(std::string(visits.getName().cStr()), "condolence_visit_outside");
  EXPECT_TRUE(visits.getPerArea()) << "措施二十三: each county and park at least one visit a year";
  EXPECT_EQ(visits.getTarget().getAtLeast(), 1);
}

TEST(Catalogue, EveryKindOfTheSchemaCountsTowardAMeasureAndNoOtherKindIsNamed) {
  std::set<std::string> schemaKinds(allKinds().begin(), allKinds().end());
  std::set<std::string> catalogueKinds(catalogue().kinds().begin(), catalogue().kinds().end());
  EXPECT_EQ(schemaKinds, catalogueKinds);
  EXPECT_EQ(schemaKinds.size(), 68u);
}

// 春运 is 40 days from the 15th day before 春节 (the State Council's and the Ministry of
// Transport's announcement each year); every year from the policy's first on is there.
TEST(Catalogue, SpringTravelIsFortyDaysFromFifteenDaysBeforeTheSpringFestivalEveryYear) {
  std::set<int> years;
  for (auto s : catalogue().data().getSpringTravel()) {
    int32_t festival = *parseDate(s.getSpringFestival().cStr());
    EXPECT_EQ(*parseDate(s.getFrom().cStr()), festival - 15) << s.getYear();
    EXPECT_EQ(*parseDate(s.getTo().cStr()), festival + 24) << s.getYear();
    EXPECT_EQ(std::string(s.getFrom().cStr()).substr(0, 4), std::to_string(s.getYear()));
    years.insert(s.getYear());
  }
  for (int year = 2019; year <= 2026; ++year) EXPECT_TRUE(years.count(year)) << year;
  auto spring = parsePeriod("2026-spring", catalogue());
  ASSERT_TRUE(spring);
  EXPECT_EQ(formatDate(spring->firstDay), "2026-02-02");
  EXPECT_EQ(formatDate(spring->lastDay), "2026-03-13");
  EXPECT_FALSE(parsePeriod("2018-spring", catalogue())) << "no dates: no guess";
  EXPECT_EQ(formatDate(parsePeriod("2026-Q4", catalogue())->lastDay), "2026-12-31");
  EXPECT_EQ(formatDate(parsePeriod("2024-Q1", catalogue())->lastDay), "2024-03-31");
}

TEST(Catalogue, MeasureOneHoldsAFairInEveryAreaEachQuarter) {
  auto fairs = catalogue().measure(1).getIndicators()[0];
  EXPECT_EQ(std::string(fairs.getName().cStr()), "fairs_held");
  EXPECT_EQ(fairs.getAreaTarget().getAtLeast(), 1);
  EXPECT_EQ(fairs.getAreaTarget().getPer(), msg::AreaTarget::Per::QUARTER);
}

TEST(Catalogue, OutreachMeasuresListTheirActivities) {
  for (int n : {12, 13, 17, 18, 19, 23, 24, 25, 26, 27, 28, 29, 30}) {
    EXPECT_EQ(catalogue().measure(n).getService(), msg::Service::OUTREACH) << n;
    EXPECT_GT(catalogue().measure(n).getActivities().size(), 0u) << n;
  }
  EXPECT_TRUE(catalogue().isListedActivity(12, "springTravelBus"));
  EXPECT_FALSE(catalogue().isListedActivity(12, "cultureEvent"));
}

TEST(Catalogue, AreasAreTheNineCountiesAndTheParks) {
  EXPECT_TRUE(catalogue().isReportingArea("510703"));
  EXPECT_TRUE(catalogue().isReportingArea("510781"));
  EXPECT_TRUE(catalogue().isReportingArea("MYGX"));
  EXPECT_FALSE(catalogue().isReportingArea("510700"));  // the city itself reports through a county
  EXPECT_FALSE(catalogue().isReportingArea("440300"));
  EXPECT_EQ(catalogue().reportingAreas().size(), 14u);
}

TEST(Catalogue, LeadAndCooperatingDepartmentsMayReportAndOthersMayNot) {
  using D = msg::Department;
  EXPECT_TRUE(catalogue().mayReport(D::HRSS, "jobFairHeld", 0));
  EXPECT_TRUE(catalogue().mayReport(D::TRADE_UNION, "jobFairHeld", 0));  // cooperating
  EXPECT_FALSE(catalogue().mayReport(D::HEALTH, "jobFairHeld", 0));
  EXPECT_TRUE(catalogue().mayReport(D::COURT, "disputeAccepted", 0));
  EXPECT_TRUE(catalogue().mayReport(D::TRANSPORT, "activityReported", 12));
  EXPECT_FALSE(catalogue().mayReport(D::TRANSPORT, "activityReported", 30));
  EXPECT_TRUE(catalogue().mayReport(D::FINANCE, "activityReported", 30));
}

TEST(Catalogue, EveryKindMayBeReportedByExactlyTheDepartmentsOfTheMeasuresCountingIt) {
  auto departments = capnp::Schema::from<msg::Department>().getEnumerants();
  for (const auto& kind : allKinds()) {
    if (kind == "activityReported" || kind == "periodReported") continue;  // by measure, above
    std::set<uint16_t> expected;
    for (auto m : catalogue().data().getMeasures()) {
      bool counts = false;
      for (auto k : m.getKinds()) counts = counts || kind == k.cStr();
      if (!counts) continue;
      for (auto d : m.getLead()) expected.insert(static_cast<uint16_t>(d));
      for (auto d : m.getCooperating()) expected.insert(static_cast<uint16_t>(d));
    }
    auto which = *kindWhich(kind);
    for (auto e : departments) {
      auto d = static_cast<msg::Department>(e.getOrdinal());
      bool mwpService = d == msg::Department::MWP_SERVICE;
      bool allowed = isDerivedKind(kind) ? mwpService : !mwpService && expected.count(e.getOrdinal());
      EXPECT_EQ(catalogue().mayReport(d, which, 0), allowed) << kind << " from " << e.getProto().getName().cStr();
      EXPECT_EQ(catalogue().mayReport(d, kind, 0), allowed) << kind << " from " << e.getProto().getName().cStr();
    }
  }
}

TEST(Catalogue, DerivedKindsOnlyFromServicesAndServicesOnlyDerivedKinds) {
  using D = msg::Department;
  EXPECT_TRUE(catalogue().mayReport(D::MWP_SERVICE, "subsidyGranted", 0));
  EXPECT_FALSE(catalogue().mayReport(D::HRSS, "subsidyGranted", 0));
  EXPECT_FALSE(catalogue().mayReport(D::MWP_SERVICE, "workerRegistered", 0));
}

// The names a measure's indicators may be counted under: its indicators and its ratios' counters.
std::set<std::string> countedNames(msg::Measure::Reader m) {
  std::set<std::string> names;
  for (auto i : m.getIndicators()) {
    names.insert(i.getName().cStr());
    if (i.hasRatio()) {
      names.insert(i.getRatio().getNumerator().cStr());
      names.insert(i.getRatio().getDenominator().cStr());
    }
  }
  return names;
}

TEST(Catalogue, EveryGeneratedHandleIsANameTheCatalogueDeclaresAndEveryNameHasOne) {
  std::set<std::pair<int, std::string>> declared, handles;
  for (auto m : catalogue().data().getMeasures()) {
    for (const auto& name : countedNames(m)) declared.insert({m.getNumber(), name});
  }
  for (const auto& h : catalogue_names::kAll) {
    EXPECT_TRUE(handles.insert({h.measure, std::string(h.name)}).second) << h.name << " twice";
  }
  EXPECT_EQ(handles, declared);
  EXPECT_EQ(measure4::kTrained, (Indicator{4, "trained"}));
  EXPECT_EQ(measure10::kEligibleLoansApproved.name, "eligible_loans_approved") << "a ratio counter";
}

TEST(Catalogue, ChecklistsAreDeclaredInTheCatalogueAsTheHandlesSay) {
  std::vector<std::tuple<int, std::string, std::string>> declared, generated;
  for (auto m : catalogue().data().getMeasures()) {
    for (auto i : m.getIndicators()) {
      if (!i.hasChecklist()) continue;
      EXPECT_TRUE(i.getPerArea()) << i.getName().cStr();
      EXPECT_TRUE(
          catalogue().isListedActivity(m.getNumber(), i.getChecklist().getTickedBy().cStr()));
      declared.emplace_back(m.getNumber(), i.getName().cStr(),
                            i.getChecklist().getTickedBy().cStr());
    }
  }
  for (const auto& c : catalogue_names::kChecklists) {
    generated.emplace_back(c.indicator.measure, std::string(c.indicator.name),
                           std::string(c.tickedBy));
  }
  EXPECT_EQ(generated, declared);
  // 措施二十三, 二十九, 三十: each county and park has a visit a year, a service organisation, a
  // budget line.
  EXPECT_EQ(declared.size(), 3u);
}

// The source tree: the fixtures sit in tests/fixtures.
std::filesystem::path sourceRoot() {
  return std::filesystem::path(MWP_FIXTURE_DIR).parent_path().parent_path();
}

// Whether `text` names measure `n`: a handle of it (measure4::) or the words "measure 4".
bool mentionsMeasure(const std::string& text, int n) {
  std::string number = std::to_string(n);
  return text.find("measure" + number + "::") != std::string::npos ||
         std::regex_search(text, std::regex("[Mm]easure " + number + "\\b"));
}

TEST(Catalogue, EveryMeasureAndIndicatorIsDecidedInAFileThatExistsAndNamesTheMeasure) {
  for (auto m : catalogue().data().getMeasures()) {
    std::vector<std::string> files{m.getRulesFile().cStr()};
    for (auto i : m.getIndicators()) {
      if (i.getDecidedIn().size() > 0) files.emplace_back(i.getDecidedIn().cStr());
    }
    for (const auto& file : files) {
      SCOPED_TRACE("measure " + std::to_string(m.getNumber()) + ": " + file);
      ASSERT_FALSE(file.empty());
      std::ifstream in(sourceRoot() / file);
      ASSERT_TRUE(in) << "no such file";
      std::stringstream text;
      text << in.rdbuf();
      EXPECT_TRUE(mentionsMeasure(text.str(), m.getNumber())) << "the file does not name it";
    }
  }
}

TEST(Catalogue, RefusesADataFileWithAnUnknownMember) {
  EXPECT_ANY_THROW(Catalogue(R"({"measures": [{"number": 1, "titel": "x"}]})"));
}

}  // namespace
}  // namespace mwp
