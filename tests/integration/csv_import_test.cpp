// A county office's spreadsheet, saved by Excel on a Chinese system (GB18030), imported as a
// clerk would: through `mwpctl import` and through POST /v1/events, over the real bus, the real
// service and the gateway. Each case is one kind; a kind added later is one more entry of kCases.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "audit_log.h"
#include "csv.h"
#include "event_log.h"
#include "gateway.h"
#include "rules_harness.h"
#include "service_harness.h"

namespace mwp {
namespace {

constexpr const char* kWorker = "510722198803040026";
constexpr const char* kOtherWorker = "510703199005121230";

// One kind imported from a GB18030 file whose line 3 the bus refuses; the good rows move one
// indicator of 三台县 (510722) in 2026. "{via}" in the text is replaced by "mwpctl" or "http", so
// that the two imports are different events.
struct ImportCase {
  std::string kind;
  std::string service;                   // the service that applies it, and shows the indicator
  std::string measure, indicator;        // what the good rows move …
  double expected;                       // … to this value
  std::string refused;                   // the column line 3's answer.reason names first …
  std::string rule;                      // … and the rule its answer.rule names
  std::string csv;                       // UTF-8 here, saved as GB18030 by the test
  std::vector<std::string> before = {};  // JSON events the rows build on (the worker registered…)
  // Where the rows move a coverage promise: its ratio in GET /v1/measures/{measure}?area=510722,
  // and the worklist of those still to serve, which must name `listed` and no longer `served`.
  struct Coverage {
    std::string indicator;
    double value;
    std::string worklist, listed, served;
  };
  std::optional<Coverage> coverage = std::nullopt;
};

const std::string kRegistered = test::event(
    "{via}-reg", "workerRegistered",
    R"({"name":"李四","gender":"female","phone":"13900000000","hukouArea":"510722","currentArea":"510722","currentCity":"三台","registeredOn":"2026-01-05"})",
    kWorker, "hrss", "510722");

const std::string kOtherRegistered = test::event(
    "{via}-reg-2", "workerRegistered",
    R"({"name":"王五","gender":"male","phone":"13900000001","hukouArea":"510722","currentArea":"510722","currentCity":"三台","registeredOn":"2026-01-05"})",
    kOtherWorker, "hrss", "510722");

// Two workers back in the same village of 三台县 for the Spring Festival: the village must visit both families.
std::string returned(const std::string& id, const char* worker) {
  return test::event(id, "workerReturned",
                     R"({"returnedOn":"2026-01-25","village":"510722103201","reason":"springFestival"})",
                     worker, "areaGovernment", "510722");
}

// clang-format off
const std::vector<ImportCase> kCases = {
    {"activityReported", "outreach", "23", "activities", 7, "area", "bus.event.area",
     "eventId,occurredAt,source,area,measure,activity,heldOn,count,participants,fundsYuan,note\r\n"
     "{via}-1,2026-02-01T09:00:00+08:00,areaGovernment,510722,23,familyVisit,2026-01-20,3,30,6000,\"走访返乡农民工家庭，送去米、油\"\r\n"
     "{via}-2,2026-02-01T09:00:00+08:00,areaGovernment,440300,23,familyVisit,2026-01-21,5,50,9000,深圳不是绵阳的县\r\n"
     "{via}-3,2026-02-01T09:00:00+08:00,areaGovernment,510722,23,familyVisit,2026-01-22,4,40,8000,\"村委会说：\"\"家家都到了\"\"\"\r\n"},
    {"socialSecurityCardIssued", "employment", "16", "cards_issued", 1,
     "issuedOn", "bus.event.fields",
     "workerId,issuedOn,eventId,source,area,occurredAt\r\n"
     "510722198803040026,2026-03-01,{via}-card,hrss,510722,2026-03-02T09:00:00+08:00\r\n"
     "510722198803040026,2026年3月1日,{via}-card-2,hrss,510722,2026-03-02T09:00:00+08:00\r\n",
     {kRegistered}},
    // The village's visit list: 李四's family visited; 王五's row has an 11-digit village code, so
    // his family is still to visit — half the returnees covered, and he stays on the worklist.
    {"familyVisited", "outreach", "23", "returnees_visited", 1, "village", "bus.event.village",
     "workerId,visitedOn,village,form,note,eventId,source,area,occurredAt\r\n"
     "510722198803040026,2026-01-28,510722103201,inPerson,\"送去米、油，老人身体好\",{via}-visit-1,areaGovernment,510722,2026-01-29T09:00:00+08:00\r\n"
     "510703199005121230,2026-01-28,51072210320,phone,电话走访,{via}-visit-2,areaGovernment,510722,2026-01-29T09:00:00+08:00\r\n",
     {kRegistered, kOtherRegistered, returned("{via}-back-1", kWorker),
      returned("{via}-back-2", kOtherWorker)},
     ImportCase::Coverage{"family_visit_coverage", 0.5, "returneesNotVisited", kOtherWorker, kWorker}},
};
// clang-format on

// The case's kind in test names and messages, not its bytes.
void PrintTo(const ImportCase& c, std::ostream* os) {
  *os << c.kind;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string binaryOf(const std::string& service) {
  if (service == "employment") return MWP_EMPLOYMENT_BINARY;
  if (service == "outreach") return MWP_OUTREACH_BINARY;
  if (service == "rights") return MWP_RIGHTS_BINARY;
  if (service == "housing") return MWP_HOUSING_BINARY;
  if (service == "education") return MWP_EDUCATION_BINARY;
  return MWP_HEALTH_BINARY;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string writeTemp(const std::string& name, const std::string& bytes) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct Run {
  int exitCode;
  std::string out, err;
};

// `locale`: the locale variables it runs with, e.g. "LANG=zh_CN.UTF-8" (English without).
Run mwpctl(const std::string& args, const std::string& locale = "LANG=C") {
  std::string err = testing::TempDir() + "mwpctl_import.err";
  FILE* pipe = popen(
      ("env -u LC_ALL -u LC_MESSAGES " + locale + " " + MWP_CTL_BINARY + " " + args + " 2>" + err)
          .c_str(),
      "r");
  Run run{0, "", ""};
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  run.exitCode = WEXITSTATUS(pclose(pipe));
  run.err = readFile(err);
  return run;
}

// The answer CSV's rows as answer.row → {answer.result, answer.reason, answer.rule}.
std::map<std::string, std::vector<std::string>> answersOf(const std::string& bytes) {
  auto text = std::get<csv::Text>(csv::decode(bytes));
  EXPECT_EQ(text.encoding, csv::Encoding::kGb18030) << "answered in the file's encoding";
  auto records = std::get<std::vector<csv::Record>>(csv::parse(text.utf8));
  std::map<std::string, std::vector<std::string>> answers;
  EXPECT_EQ(records.at(0).fields.at(0), "answer.row");
  EXPECT_EQ(records.at(0).fields.at(3), "answer.rule");
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& f = records[r].fields;
    answers[f.at(0)] = {f.at(1), f.at(2), f.at(3)};
  }
  return answers;
}

// A bus, one service and a gateway, on a fresh Redis; with `withNames`, the employment service
// too, whose registry gives a worklist its names.
class CsvImportSystem : public ::testing::Test {
 protected:
  void start(const std::string& service, const std::vector<std::string>& before = {},
             bool withNames = false) {
    test::flushRedis();
    bus_ = std::make_unique<test::BusThread>(4);
    service_ = std::make_unique<test::RunningService>(binaryOf(service), service, *bus_);
    gateway::GatewayOptions options;
    options.redis = test::testRedisAs("gateway");
    options.busIngest = bus_->ingest;
    options.services.push_back({service, service_->queryEndpoint()});
    if (withNames && service != "employment") {
      names_ = std::make_unique<test::RunningService>(MWP_EMPLOYMENT_BINARY, "employment", *bus_);
      options.services.push_back({"employment", names_->queryEndpoint()});
    }
    options.requestsPerSecond = 1000;
    gateway_ = std::make_unique<gateway::Gateway>(
        options,
        gateway::ApiKeys::parse("admin-1 admin " + gateway::hashApiKey("k-admin") + "\n" +
                                "hrss-system department " + gateway::hashApiKey("k-hrss") +
                                " hrss\n"),
        Catalogue::builtIn(), context_, registry_);
    port_ = gateway_->start("127.0.0.1", 0);
    if (before.empty()) return;
    zmq::context_t context;
    Publisher publisher(context, bus_->ingest);
    std::vector<std::string> frames;
    for (const auto& e : before) frames.push_back(test::frameOf(e));
    for (const auto& r : publisher.publish(frames)) EXPECT_EQ(r.reason, "");
  }

  httplib::Result post(const std::string& key, const std::string& body,
                       const std::string& contentType) {
    httplib::Client client("127.0.0.1", port_);
    return client.Post("/v1/events", {{"Authorization", "Bearer " + key}}, body, contentType);
  }

  // Whether the bus stored an event of this id.
  bool stored(const std::string& eventId) {
    Redis redis(test::testRedis());
    return findStored(redis, DedupWindow{}, eventId, systemClock()).has_value();
  }

  std::unique_ptr<test::BusThread> bus_;
  std::unique_ptr<test::RunningService> service_, names_;
  zmq::context_t context_;
  prometheus::Registry registry_;
  std::unique_ptr<gateway::Gateway> gateway_;
  int port_ = 0;
};

class CsvImportTest : public CsvImportSystem,
                      public ::testing::WithParamInterface<std::tuple<ImportCase, std::string>> {
 protected:
  void SetUp() override {
    const auto& c = std::get<0>(GetParam());
    via_ = std::get<1>(GetParam());
    std::vector<std::string> before;
    for (const auto& e : c.before) before.push_back(replaced(e, "{via}", via_));
    start(c.service, before, c.coverage.has_value());
  }

  std::string via_;
};

TEST_P(CsvImportTest, AGb18030FileWithABadRowStoresItsGoodRowsAndAnswersEachRow) {
  const auto& c = std::get<0>(GetParam());
  std::string file = csv::encode(replaced(c.csv, "{via}", via_), csv::Encoding::kGb18030);
  std::string answer;
  if (via_ == "mwpctl") {
    std::string path = writeTemp("import.csv", file), out = testing::TempDir() + "answers.csv";
    auto run = mwpctl("import --bus " + bus_->ingest + " --out " + out + " " + c.kind + " " + path);
    EXPECT_EQ(run.exitCode, 65) << run.err;
    EXPECT_EQ(run.out, "encoding: GB18030\n");
    answer = readFile(out);
  } else {
    auto r = post("k-admin", file, "text/csv; kind=" + c.kind);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Mwp-Detected-Encoding"), "GB18030");
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=GB18030; header=present");
    answer = r->body;
  }
  auto answers = answersOf(answer);
  ASSERT_EQ(answers.count("3"), 1u) << answer;
  EXPECT_EQ(answers["3"][0], "NACK");
  // The bus's reason, Chinese then English, each naming the column as the file does.
  const std::string& reason = answers["3"][1];
  EXPECT_EQ(reason.rfind(c.refused + " ", 0), 0u) << reason;
  EXPECT_NE(reason.find(" / " + c.refused + ": "), std::string::npos) << reason;
  EXPECT_EQ(answers["3"][2], c.rule);
  for (const auto& [line, a] : answers) {
    if (line == "3") continue;  // the refused row, checked above
    EXPECT_EQ(a, (std::vector<std::string>{"ACK", "", ""})) << line;
  }
  EXPECT_EQ(service_
                ->waitForMetric("mwp_measure_value",
                                {{"measure", c.measure},
                                 {"indicator", c.indicator},
                                 {"area", "510722"},
                                 {"year", "2026"}},
                                c.expected)
                .value_or(-1),
            c.expected);
  if (!c.coverage) return;

  // What the office looks at next: the promise's ratio for the county, and who is still to serve.
  httplib::Client client("127.0.0.1", port_);
  auto measure = client.Get("/v1/measures/" + c.measure + "?year=2026&area=510722",
                            {{"Authorization", "Bearer k-admin"}});
  ASSERT_EQ(measure->status, 200) << measure->body;
  std::ostringstream ratio;
  ratio << R"("indicator":")" << c.coverage->indicator << R"(","area":"510722","year":2026,"value":)"
        << c.coverage->value << ",";
  EXPECT_NE(measure->body.find(ratio.str()), std::string::npos) << ratio.str() << "\n" << measure->body;
  auto worklist = client.Get("/v1/worklists/" + c.coverage->worklist + "?area=510722",
                             {{"Authorization", "Bearer k-admin"}});
  ASSERT_EQ(worklist->status, 200) << worklist->body;
  EXPECT_NE(worklist->body.find(c.coverage->listed), std::string::npos) << worklist->body;
  EXPECT_EQ(worklist->body.find(c.coverage->served), std::string::npos) << worklist->body;
}

const std::string kActivityHeader =
    "eventId,occurredAt,source,area,measure,activity,heldOn,count,participants,fundsYuan\n";
std::string activityRow(const std::string& id, const std::string& count,
                        const std::string& source = "areaGovernment") {
  return id + ",2026-02-01T09:00:00+08:00," + source + ",510722,23,familyVisit,2026-01-20," +
         count + ",30,6000\n";
}

TEST_F(CsvImportSystem, MwpctlAnswersEachRowOnALineAndSendsNothingOfAMalformedFile) {
  start("outreach");
  std::string path =
      writeTemp("rows.csv", "\xEF\xBB\xBF" + kActivityHeader + activityRow("a-1", "3") +
                                activityRow("a-2", "three"));
  std::string args = "import --bus " + bus_->ingest + " activityReported " + path;
  auto run = mwpctl(args);
  EXPECT_EQ(run.exitCode, 65);
  EXPECT_TRUE(std::regex_match(
      run.out, std::regex("encoding: UTF-8 with BOM\n2 ACK a-1 [0-3]:1\n3 NACK a-2 count: not a "
                          "whole number from 0 to 4294967295 \\[bus\\.event\\.fields\\]\n")))
      << run.out;
  // The reasons in the locale's language, or --lang's, as mwpctl publish gives them.
  const std::string zh = "3 NACK a-2 count: 应为 0–4294967295 的整数 [bus.event.fields]\n";
  const std::string en =
      "3 NACK a-2 count: not a whole number from 0 to 4294967295 [bus.event.fields]\n";
  EXPECT_NE(mwpctl(args, "LANG=zh_CN.UTF-8").out.find(zh), std::string::npos);
  std::string file = " activityReported " + path;
  EXPECT_NE(
      mwpctl("import --lang en --bus " + bus_->ingest + file, "LANG=zh_CN.UTF-8").out.find(en),
      std::string::npos);
  EXPECT_NE(mwpctl("import --lang zh --bus " + bus_->ingest + file).out.find(zh),
            std::string::npos);
  EXPECT_NE(run.err.find("2 rows: 1 stored, 0 already stored, 1 refused"), std::string::npos)
      << run.err;
  EXPECT_NE(mwpctl(args).out.find("\n2 DUP a-1 "), std::string::npos) << "sent again: stored once";

  std::string malformed = writeTemp(
      "malformed.csv", replaced(kActivityHeader, "count", "counts") + activityRow("a-3", "1"));
  run = mwpctl("import --bus " + bus_->ingest + " activityReported " + malformed);
  EXPECT_EQ(run.exitCode, 65);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("line 1: column counts is not a field of activityReported"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("nothing was sent"), std::string::npos);
  EXPECT_FALSE(stored("a-3"));
  EXPECT_EQ(mwpctl("import --bus " + bus_->ingest + " activityReported /nonexistent.csv").exitCode,
            64);
}

// How far an import has come, on stderr: off a terminal (a log, a pipe) a line at each 10,000
// rows and at the end, never a redrawn bar; on a terminal (`script` gives it one) a bar of 40
// redrawn in place with \r, its line ended before the summary.
TEST_F(CsvImportSystem, MwpctlShowsProgressAsLinesInALogAndAsABarOnATerminal) {
  start("outreach");
  std::string rows = kActivityHeader;
  for (int i = 0; i < 300; ++i) rows += activityRow("p-" + std::to_string(i), "1");
  std::string path = writeTemp("progress.csv", rows);
  std::string command =
      std::string(MWP_CTL_BINARY) + " import --bus " + bus_->ingest + " activityReported " + path;
  auto run = mwpctl("import --bus " + bus_->ingest + " activityReported " + path);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.err, "mwpctl: 300/300 rows\n300 rows: 300 stored, 0 already stored, 0 refused\n");

  auto terminal = test::outputLines("script -qec '" + command + " >/dev/null' /dev/null");
  ASSERT_EQ(terminal.exitCode, 0);
  std::string shown;
  for (const auto& line : terminal.lines) shown += line + "\n";
  EXPECT_EQ(shown, "\r[" + std::string(40, '#') + "] 300/300\r\n" +
                       "300 rows: 0 stored, 300 already stored, 0 refused\r\n")
      << shown;
}

// The bus out of reach: exit 69, and the answer names every row unanswered, so the file can be
// sent again as it is.
TEST(CsvImportMwpctl, ABusOutOfReachLeavesEveryRowUnansweredAndExits69) {
  std::string path = writeTemp("unsent.csv", kActivityHeader + activityRow("u-1", "1"));
  std::string out = testing::TempDir() + "unsent-answers.csv";
  auto run = mwpctl("import --timeout 200 --bus " + test::freeEndpoint() + " --out " + out +
                    " activityReported " + path);
  EXPECT_EQ(run.exitCode, 69) << run.err;
  EXPECT_NE(run.err.find("1 rows: 0 stored, 0 already stored, 0 refused, 1 without an answer"),
            std::string::npos)
      << run.err;
  EXPECT_NE(
      readFile(out).find("\r\n2,,无应答：总线不可达，请重新导入 / no answer: the bus could not "
                         "be reached; import the file again,,u-1,"),
      std::string::npos)
      << readFile(out);
}

TEST_F(CsvImportSystem, HttpRefusesAMalformedFileWholeAndADepartmentsRowsOfOthers) {
  start("outreach");
  auto malformed = post("k-admin", kActivityHeader + activityRow("h-1", "1") + "h-2,1,2\n",
                        "text/csv; kind=activityReported");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_NE(malformed->body.find("line 3 has 3 fields, the header 10"), std::string::npos)
      << malformed->body;
  EXPECT_NE(malformed->body.find("nothing was sent"), std::string::npos);
  EXPECT_FALSE(stored("h-1"));
  auto noKind = post("k-admin", kActivityHeader + activityRow("h-1", "1"), "text/csv");
  EXPECT_EQ(noKind->status, 400);
  EXPECT_NE(noKind->body.find("text/csv needs the kind of its rows"), std::string::npos);
  EXPECT_EQ(post("k-admin", kActivityHeader, "text/csv; kind=familyVisits")->status, 400);

  // 人社局's key: its own rows go through, another department's are refused, row by row.
  auto mixed =
      post("k-hrss", kActivityHeader + activityRow("h-3", "1", "hrss") + activityRow("h-4", "1"),
           "Text/CSV; charset=utf-8; Kind=\"activityReported\"");
  ASSERT_EQ(mixed->status, 200) << mixed->body;
  EXPECT_EQ(mixed->get_header_value("Mwp-Detected-Encoding"), "UTF-8");
  EXPECT_EQ(mixed->get_header_value("Content-Type"), "text/csv; charset=utf-8; header=present");
  EXPECT_NE(mixed->body.find("2,ACK,,,h-3,"), std::string::npos) << mixed->body;
  EXPECT_NE(mixed->body.find("3,NACK,source：此密钥只能提交 hrss 的事件 / source: this key may "
                             "submit events of hrss only,bus.event.source,h-4,"),
            std::string::npos)
      << mixed->body;
  EXPECT_TRUE(stored("h-3"));
  EXPECT_FALSE(stored("h-4"));
}

// The answer shows the rows' people as they were sent, so it is audited like any answer that
// shows a person.
TEST_F(CsvImportSystem, AnAnswerNamingWorkersIsAudited) {
  start("employment");
  auto r = post("k-hrss",
                "eventId,occurredAt,source,area,workerId,issuedOn\n"
                "h-card,2026-03-02T09:00:00+08:00,hrss,510722," +
                    std::string(kWorker) + ",2026-03-01\n",
                "text/csv; kind=socialSecurityCardIssued");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find(kWorker), std::string::npos)
      << "shown as sent, to be mended and sent again";
  Redis redis(test::testRedis());
  auto entries = redis.command({"XRANGE", gateway::audit_keys::readsOf(kWorker), "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  std::string entry;
  for (const auto& field : entries.elements[0].elements[1].elements) entry += field.str + " ";
  EXPECT_NE(entry.find("/v1/events"), std::string::npos) << entry;
  EXPECT_NE(entry.find("hrss-system"), std::string::npos) << entry;
}

INSTANTIATE_TEST_SUITE_P(EveryCase, CsvImportTest,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::Values("mwpctl", "http")),
                         [](const auto& info) {
                           return std::get<0>(info.param).kind + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace mwp
