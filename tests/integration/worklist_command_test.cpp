// `mwpctl worklist` as an office runs it, against a real gateway in front of the employment and
// outreach services on the real bus and Redis: the table and the CSV of two worklists, the IDs as
// the key's role may see them, a worklist longer than the gateway's page of 500 read whole, and a
// gateway that refuses the question.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "bus_client.h"
#include "csv.h"
#include "gateway.h"
#include "rules_harness.h"
#include "service_harness.h"
#include "system_suite.h"

namespace mwp {
namespace {

using test::event;

constexpr const char* kVillage = "510722103201";
constexpr const char* kOtherVillage = "510722103202";
constexpr int kInsuredWithoutCard = 501;  // one more than the gateway's largest page

std::string registered(const std::string& id, const std::string& worker, const std::string& name) {
  return event(id, "workerRegistered",
               R"({"name":")" + name + R"(","gender":")" +
                   (residentIdIsMale(worker) ? "male" : "female") + R"(","phone":"13900000000","hukouArea":"510722","currentArea":"510703","currentCity":"绵阳","registeredOn":"2026-01-05"})",
               worker, "hrss", "510703");
}

std::string returned(const std::string& id, const std::string& worker, const std::string& village,
                     const std::string& on) {
  return event(id, "workerReturned",
               R"({"returnedOn":")" + on + R"(","village":")" + village +
                   R"(","reason":"springFestival"})",
               worker, "areaGovernment", "510722");
}

// Worker n insured n days after 2024-06-01 (so the worklist's order, the longest waiting first,
// is n's), all before the events' occurredAt.
std::string insuredOn(int n) { return formatDate(*parseDate("2024-06-01") + n); }
std::string insured(int n) {
  return event("wl-ins-" + std::to_string(n), "insuranceEnrolled",
               R"({"scheme":"pension","enrolledOn":")" + insuredOn(n) + "\"}",
               test::numberedResidentId(n), "hrss", "510703");
}

// Three returnees of 三台县, two of one village (worker 0 named, worker 1 not in the registry),
// one of another; and 501 insured workers of 涪城区 without a card, worker 0 named 王五.
std::vector<std::string> population() {
  std::vector<std::string> events{
      registered("wl-reg-0", test::numberedResidentId(0), "王五"),
      returned("wl-back-0", test::numberedResidentId(0), kVillage, "2026-01-20"),
      returned("wl-back-1", test::numberedResidentId(1), kVillage, "2026-01-22"),
      returned("wl-back-2", test::numberedResidentId(2), kOtherVillage, "2026-01-24"),
  };
  for (int n = 0; n < kInsuredWithoutCard; ++n) events.push_back(insured(n));
  return events;
}

struct Printed {
  int exitCode;
  std::string out, err;
};

class WorklistCommandTest : public test::SystemSuite<WorklistCommandTest> {
 public:  // what SystemSuite starts and sends, once
  static test::SystemSpec systemSpec() {
    return {{{"employment", MWP_EMPLOYMENT_BINARY}, {"outreach", MWP_OUTREACH_BINARY}},
            test::keyLine("integrator-1", "integrator", "k-int") +
                test::keyLine("caseworker-1", "caseworker", "k-case")};
  }

  static void sendTheScenario() {
    send(population());
    services_["outreach"]->waitForVerdict("wl-back-2");
    services_["employment"]->waitForVerdict("wl-ins-" + std::to_string(kInsuredWithoutCard - 1));
  }

 protected:
  // mwpctl worklist ARGS against the test's gateway with `key`.
  static Printed worklist(const std::string& args, const std::string& key) {
    std::string err = testing::TempDir() + "mwpctl_worklist.err";
    std::string command = std::string(MWP_CTL_BINARY) + " worklist " + args +
                          " --gateway http://127.0.0.1:" + std::to_string(port_) + " --key " +
                          key + " 2>" + err;
    FILE* pipe = popen(command.c_str(), "r");
    Printed run{0, "", ""};
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
    run.exitCode = WEXITSTATUS(pclose(pipe));
    std::ifstream in(err);
    run.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return run;
  }

  // A table's lines, each as its words (the columns are padded with spaces).
  static std::vector<std::vector<std::string>> words(const std::string& table) {
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(table);
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      lines.emplace_back(std::istream_iterator<std::string>(fields),
                         std::istream_iterator<std::string>());
    }
    return lines;
  }

  // The CSV's records, after its byte-order mark.
  static std::vector<std::vector<std::string>> records(const std::string& csv) {
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "a BOM, for Excel on a Chinese system";
    auto parsed = std::get<std::vector<csv::Record>>(csv::parse(csv.substr(3)));
    std::vector<std::vector<std::string>> out;
    for (const auto& r : parsed) out.push_back(r.fields);
    return out;
  }
};

TEST_F(WorklistCommandTest, TheTableShowsTheIntegratorMaskedIdsLongestWaitingFirst) {
  auto run = worklist("returneesNotVisited --area 510722", "k-int");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  using Line = std::vector<std::string>;
  EXPECT_EQ(words(run.out),
            (std::vector<Line>{
                {"workerId", "name", "姓名", "village", "村", "year", "since"},
                {maskResidentId(test::numberedResidentId(0)), "王五", kVillage, "2026", "2026-01-20"},
                {maskResidentId(test::numberedResidentId(1)), "–", kVillage, "2026", "2026-01-22"},
                {maskResidentId(test::numberedResidentId(2)), "–", kOtherVillage, "2026",
                 "2026-01-24"},
            }))
      << run.out;
  EXPECT_EQ(run.out.find(test::numberedResidentId(0)), std::string::npos) << "masked";
}

TEST_F(WorklistCommandTest, TheCsvOfAVillageShowsTheCaseworkerFullIds) {
  std::string args = std::string("returneesNotVisited --village ") + kVillage + " --csv";
  auto run = worklist(args, "k-case");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(records(run.out),
            (std::vector<std::vector<std::string>>{
                {"workerId", "name", "village", "year", "since"},
                {test::numberedResidentId(0), "王五", kVillage, "2026", "2026-01-20"},
                {test::numberedResidentId(1), "", kVillage, "2026", "2026-01-22"},
            }))
      << run.out;
  // The same list for the integrator: masked there too.
  auto masked = records(worklist(args, "k-int").out);
  ASSERT_EQ(masked.size(), 3u);
  EXPECT_EQ(masked[1][0], maskResidentId(test::numberedResidentId(0)));
}

// 501 people: two pages of the gateway's, read whole, each person once, in order.
TEST_F(WorklistCommandTest, AWorklistLongerThanAPageIsPrintedWhole) {
  auto run = worklist("insuredWithoutCard --area 510703 --csv", "k-case");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  auto rows = records(run.out);
  ASSERT_EQ(rows.size(), 1u + kInsuredWithoutCard);
  std::set<std::string> seen;
  for (int n = 0; n < kInsuredWithoutCard; ++n) {
    const auto& row = rows[1 + n];
    EXPECT_EQ(row.at(0), test::numberedResidentId(n)) << "row " << n + 1;
    EXPECT_EQ(row.at(4), insuredOn(n)) << "row " << n + 1;
    seen.insert(row.at(0));
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kInsuredWithoutCard));
  EXPECT_EQ(rows[1][1], "王五");
  EXPECT_EQ(words(worklist("insuredWithoutCard --area 510703", "k-int").out).size(),
            1u + kInsuredWithoutCard)
      << "the table too";
}

// The gateway's refusal on stderr, exit 69, and nothing on stdout but the header.
TEST_F(WorklistCommandTest, AQuestionTheGatewayRefusesExits69WithItsAnswer) {
  auto run = worklist(std::string("insuredWithoutCard --village ") + kVillage, "k-case");
  EXPECT_EQ(run.exitCode, 69);
  EXPECT_NE(run.err.find("answered 400"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("village"), std::string::npos) << run.err;
  EXPECT_EQ(words(run.out).size(), 1u) << run.out;
  EXPECT_EQ(worklist("insuredWithoutCard", "k-nobody").exitCode, 69);
}

}  // namespace
}  // namespace mwp
