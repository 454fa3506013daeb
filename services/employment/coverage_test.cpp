// The coverage of measures 3 and 16 with no sockets and no Redis: who is in each denominator
// (insured once whatever the schemes, in the year first insured; listed poor in the year listed),
// who in each numerator, and the worklists of who is still to serve.
#include <gtest/gtest.h>

#include "employment_rules.h"
#include "rules_harness.h"

namespace mwp::employment {
namespace {

using test::event;

constexpr const char* kWorker = "510703199005121230";
constexpr const char* kWorkerB = "510722198803040026";
constexpr const char* kEmployer = "91512081MA62K0260E";

std::string enrolled(const std::string& id, const std::string& worker, const std::string& scheme,
                     const std::string& on, const std::string& area = "510703") {
  return event(id, "insuranceEnrolled",
               R"({"scheme":")" + scheme + R"(","employerCode":")" + kEmployer +
                   R"(","enrolledOn":")" + on + "\"}",
               worker, "hrss", area);
}

std::string card(const std::string& id, const std::string& worker, const std::string& on) {
  return event(id, "socialSecurityCardIssued", R"({"issuedOn":")" + on + "\"}", worker);
}

std::string listed(const std::string& id, const std::string& worker, const std::string& on) {
  return event(id, "poorLabourListed", R"({"listedOn":")" + on + "\"}", worker);
}

std::string employed(const std::string& id, const std::string& worker, const std::string& on) {
  return event(id, "employmentRegistered",
               R"({"employerCode":")" + std::string(kEmployer) + R"(","startedOn":")" + on +
                   R"(","registeredPoor":false})",
               worker);
}

std::string welfareJob(const std::string& id, const std::string& worker, const std::string& on) {
  return event(id, "publicWelfareJobAssigned",
               R"({"position":"保洁","startedOn":")" + on + "\"}", worker);
}

class CoverageTest : public ::testing::Test {
 protected:
  std::vector<std::string> worklist(const std::string& name, const std::string& scope = "510703") {
    return h.members("worklist:" + name + ":" + scope);
  }
  EmploymentRules rules{SubsidyPolicy{}};
  test::RulesHarness h{rules};
};

// ---- measure 16: card_coverage = insured holding a card ÷ insured

TEST_F(CoverageTest, AWorkerInsuredUnderSeveralSchemesCountsOnce) {
  EXPECT_EQ(h.apply(enrolled("i1", kWorker, "pension", "2026-01-05")), "applied");
  // The sender is told why a second scheme counts nothing
  // (employment.social_insurance.insured_once).
  const std::string once =
      "applied: insured since 2026-01-05: another scheme is recorded, not counted again";
  EXPECT_EQ(h.apply(enrolled("i2", kWorker, "medical", "2026-01-06")), once);
  EXPECT_EQ(h.apply(enrolled("i3", kWorker, "workInjury", "2026-02-01")), once);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWorkers, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 0);
  EXPECT_EQ(worklist("insuredWithoutCard"),
            std::vector<std::string>{std::string(kWorker) + "|2026|@2026-01-05"});
  EXPECT_EQ(worklist("insuredWithoutCard", "all").size(), 1u);
}

TEST_F(CoverageTest, ACardToAnInsuredWorkerIsCoverageAndTakesThemOffTheWorklist) {
  h.apply(enrolled("i1", kWorker, "pension", "2026-01-05"));
  h.apply(enrolled("i2", kWorkerB, "pension", "2026-01-07"));
  EXPECT_EQ(h.apply(card("c1", kWorker, "2026-03-01")), "applied");
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWorkers, "510703"), 2);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure16::kCardsIssued, "510703"), 1);
  EXPECT_EQ(worklist("insuredWithoutCard"),
            std::vector<std::string>{std::string(kWorkerB) + "|2026|@2026-01-07"});
}

// Not refused: the card was issued (and kWorker was never registered either: no service refuses
// an event for a worker another service knows of). Its verdict says it is not coverage.
TEST_F(CoverageTest, ACardToSomeoneNotInsuredIsIssuedButNotCoverageUntilInsured) {
  EXPECT_EQ(h.apply(card("c1", kWorker, "2026-01-02")),
            "applied: the card counts as issued; the worker is not insured, so it is not coverage "
            "until they are");
  EXPECT_EQ(h.lastRuleAndZh(), "employment.social_insurance.card_not_coverage | "
                               "社会保障卡计入发卡数；该农民工尚未参保，参保后计入覆盖率");
  EXPECT_EQ(h.indicator(2026, measure16::kCardsIssued, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 0);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWorkers, "510703"), 0);
  // Insured later, already holding the card: covered at once, never on the worklist.
  h.apply(enrolled("i1", kWorker, "medical", "2026-02-10"));
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWorkers, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 1);
  EXPECT_TRUE(worklist("insuredWithoutCard").empty());
}

TEST_F(CoverageTest, InsuredCountsInTheYearAndAreaOfTheEarliestEnrolment) {
  // Reported out of order: the 2025 enrolment in 三台 moves the worker out of 2026's 涪城 cohort.
  h.apply(enrolled("i1", kWorker, "medical", "2026-03-01", "510703"));
  h.apply(enrolled("i2", kWorker, "pension", "2025-11-20", "510722"));
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWorkers, "510703"), 0);
  EXPECT_EQ(h.indicator(2025, measure16::kInsuredWorkers, "510722"), 1);
  EXPECT_TRUE(worklist("insuredWithoutCard").empty());
  EXPECT_EQ(worklist("insuredWithoutCard", "510722"),
            std::vector<std::string>{std::string(kWorker) + "|2025|@2025-11-20"});
  // A card in 2026 covers the 2025 cohort: the ratio of a year cannot pass 1.
  h.apply(card("c1", kWorker, "2026-04-01"));
  EXPECT_EQ(h.indicator(2025, measure16::kInsuredWithCard, "510722"), 1);
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 0);
  EXPECT_TRUE(worklist("insuredWithoutCard", "all").empty());
}

TEST_F(CoverageTest, ASecondCardIsRefusedAndCountsNothing) {
  h.apply(enrolled("i1", kWorker, "pension", "2026-01-05"));
  h.apply(card("c1", kWorker, "2026-02-01"));
  EXPECT_EQ(h.apply(card("c2", kWorker, "2026-03-01")),
            "refused: a social security card is already issued to this worker");
  EXPECT_EQ(h.indicator(2026, measure16::kInsuredWithCard, "510703"), 1);
}

// ---- measure 3: poor_placement_rate = listed poor placed ÷ listed poor

TEST_F(CoverageTest, AListedPoorWorkerIsPlacedByAnEmploymentRegistration) {
  EXPECT_EQ(h.apply(listed("p1", kWorker, "2026-01-15")), "applied");
  EXPECT_EQ(h.indicator(2026, measure3::kPoorListed, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 0);
  EXPECT_EQ(worklist("poorNotPlaced"),
            std::vector<std::string>{std::string(kWorker) + "|2026|@2026-01-15"});
  h.apply(employed("e1", kWorker, "2026-02-01"));
  h.apply(employed("e2", kWorker, "2026-05-01"));  // placed once
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 1);
  EXPECT_TRUE(worklist("poorNotPlaced").empty());
}

TEST_F(CoverageTest, APublicWelfareJobPlacesAListedPoorWorker) {
  h.apply(listed("p1", kWorker, "2026-01-15"));
  h.apply(welfareJob("w1", kWorker, "2026-03-01"));
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 1);
  EXPECT_TRUE(worklist("poorNotPlaced", "all").empty());
}

TEST_F(CoverageTest, AWorkerAlreadyAtWorkWhenListedIsPlaced) {
  h.apply(employed("e1", kWorker, "2025-09-01"));
  EXPECT_EQ(h.apply(listed("p1", kWorker, "2026-01-15")),
            "applied: at work since 2025-09-01: placed on listing, in 2026");
  EXPECT_EQ(h.indicator(2026, measure3::kPoorListed, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 1);
  EXPECT_TRUE(worklist("poorNotPlaced").empty());
}

TEST_F(CoverageTest, AWorkerNotListedIsNeitherListedNorPlaced) {
  // An ordinary registration claims no placement of a poor worker: applied, without a note.
  EXPECT_EQ(h.apply(employed("e1", kWorker, "2026-02-01")), "applied");
  EXPECT_EQ(h.indicator(2026, measure3::kPoorListed, "510703"), 0);
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 0);
}

// A placement of a worker not on the 建档立卡 list (here never registered either) is applied and
// counted as done, and its verdict says it is not coverage; once listed, the worker is placed.
TEST_F(CoverageTest, APlacementOfAWorkerNotListedIsAppliedButNotCoverage) {
  EXPECT_EQ(h.apply(welfareJob("w1", kWorker, "2026-03-01")),
            "applied: this worker is not listed as poor labour (建档立卡): the public-welfare job "
            "is recorded but is not coverage until the worker is listed");
  EXPECT_EQ(h.lastRuleAndZh(),
            "employment.assistance.poor_placed | 该农民工未列入建档立卡贫困劳动力：公益性岗位安置予以记录，但不计入贫困劳动力就业帮扶率，"
            "列入后计入");
  EXPECT_EQ(h.apply(event("e1", "employmentRegistered",
                          R"({"employerCode":")" + std::string(kEmployer) +
                              R"(","startedOn":"2026-03-05","registeredPoor":true})",
                          kWorkerB)),
            "applied: this worker is not listed as poor labour (建档立卡): the registration is "
            "recorded but is not coverage until the worker is listed");
  EXPECT_EQ(h.indicator(2026, measure3::kPublicWelfareJobs, "510703"), 1);
  EXPECT_EQ(h.indicator(2026, measure3::kPoorWorkersPlaced, "510703"), 1) << "as declared";
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 0);
  h.apply(listed("p1", kWorker, "2026-04-01"));
  EXPECT_EQ(h.indicator(2026, measure3::kPoorPlaced, "510703"), 1);
  // A listed worker's placement is coverage: no note.
  h.apply(listed("p2", kWorkerB, "2026-04-01"));
  EXPECT_EQ(h.apply(welfareJob("w2", kWorkerB, "2026-05-01")), "applied");
}

TEST_F(CoverageTest, ListingTwiceIsRefused) {
  h.apply(listed("p1", kWorker, "2026-01-15"));
  EXPECT_EQ(h.apply(listed("p2", kWorker, "2026-04-01")),
            "refused: this worker is already listed as poor labour since 2026-01-15");
  EXPECT_EQ(h.lastRuleAndZh(), "record.once | 已于 2026-01-15 列入建档立卡贫困劳动力");
  EXPECT_EQ(h.indicator(2026, measure3::kPoorListed, "510703"), 1);
}

}  // namespace
}  // namespace mwp::employment
