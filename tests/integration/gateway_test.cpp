// The gateway as integrators meet it: the real bus, Redis and all six services as processes, the
// gateway serving HTTP on 127.0.0.1, API keys of every role.
#include "gateway.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>
#include <thread>
#include <zmq_addon.hpp>

#include "audit_log.h"
#include "bus_client.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "ids.h"
#include "mwp/messages/query.capnp.h"
#include "rules_harness.h"
#include "service_harness.h"
#include "system_suite.h"
#include "wage_warning_rules.h"

namespace mwp {
namespace {

using test::event;
using test::keyLine;

constexpr const char* kWorker = "510722198803040026";  // a woman of 三台县
constexpr const char* kMasked = "510***********0026";
constexpr const char* kChild = "510703201903010049";

// Events about kWorker in every domain that keeps a section.
std::vector<std::string> everyDomain() {
  return {
      event(
          "g-reg", "workerRegistered",
          R"({"name":"李四","gender":"female","phone":"13900000000","hukouArea":"510722","currentArea":"510722","currentCity":"三台","registeredOn":"2026-01-05"})",
          kWorker, "hrss", "510722"),
      event("g-rent", "rentSubsidyGranted",
            R"({"monthlyYuan":300,"months":6,"grantedOn":"2026-02-01"})", kWorker, "housing",
            "510722"),
      event(
          "g-school", "schoolPlacementRequested",
          std::string(R"({"childId":")") + kChild +
              R"(","childName":"李小花","stage":"primary","residenceArea":"510722","requestedOn":"2026-03-01"})",
          kWorker, "education", "510722"),
      event(
          "g-check", "healthCheckCompleted",
          R"({"checkType":"breastCancer","free":true,"result":"normal","performedOn":"2026-03-01"})",
          kWorker, "health", "510722"),
      event("g-dispute", "disputeFiled",
            R"({"caseNo":"LD-G-1","category":"wages","claimYuan":8000,"filedOn":"2026-03-01"})",
            kWorker, "hrss", "510722"),
  };
}

class GatewayTest : public test::SystemSuite<GatewayTest> {
 public:  // what SystemSuite starts and sends, once
  static test::SystemSpec systemSpec() {
    return {
        test::everyService(),
        keyLine("admin-1", "admin", "k-admin") + keyLine("integrator-1", "integrator", "k-int") +
            keyLine("caseworker-1", "caseworker", "k-case") +
            keyLine("health-1", "health", "k-health") + keyLine("auditor-1", "auditor", "k-audit") +
            keyLine("hrss-system", "department", "k-hrss", "hrss") +
            keyLine("pager", "health", "k-pager") +
            keyLine("lapsed", "integrator", "k-lapsed", "expires=2020-12-31") +
            keyLine("current", "integrator", "k-current", "expires=2999-12-31")};
  }

  static void sendTheScenario() {
    send(everyDomain());
    services_["rights"]->waitForVerdict("g-dispute");
    services_["health"]->waitForVerdict("g-check");
    services_["education"]->waitForVerdict("g-school");
    services_["housing"]->waitForVerdict("g-rent");
    services_["employment"]->waitForVerdict("g-reg");
  }

 protected:
  httplib::Result get(const std::string& path, const std::string& key,
                      httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    return client.Get(path, headers);
  }

  // The audit entries of a query, as the auditor reads them.
  std::string audit(const std::string& query) {
    auto r = get("/v1/audit?" + query, "k-audit");
    EXPECT_EQ(r->status, 200) << r->body;
    return r->body;
  }
};

TEST_F(GatewayTest, AWorkerWithEventsInEveryDomainComesBackWhole) {
  auto r = get(std::string("/v1/workers/") + kWorker, "k-admin");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  for (const char* section : {"employment", "housing", "education", "health", "rights"}) {
    EXPECT_NE(r->body.find(std::string("\"") + section + "\":{\"status\":\"ok\""),
              std::string::npos)
        << section << " in " << r->body;
  }
  EXPECT_NE(r->body.find(R"("unavailable":[])"), std::string::npos);
  EXPECT_NE(r->body.find(R"("caseNo":"LD-G-1")"), std::string::npos);
  EXPECT_NE(r->body.find(R"("stage":"disputeAcceptance","dueOn":"2026-03-06")"), std::string::npos);
  EXPECT_NE(r->body.find(R"("rule":"rights.dispute.accept_5_days")"), std::string::npos)
      << "a deadline names the rule of its period";
}

TEST_F(GatewayTest, TheRoleDecidesWhatIsShown) {
  struct Expect {
    const char* key;
    bool fullIds;
    bool health;
  };
  // The integrator looks the worker up by the workerRef its listing gives.
  auto listing = get("/v1/workers?area=510722", "k-int");
  std::smatch ref;
  ASSERT_TRUE(std::regex_search(listing->body, ref, std::regex(R"re("workerRef":"([^"]+)")re")))
      << listing->body;
  for (const auto& e : {Expect{"k-int", false, false}, Expect{"k-case", true, false},
                        Expect{"k-health", true, true}, Expect{"k-admin", true, true}}) {
    auto r = get("/v1/workers/" + (e.fullIds ? std::string(kWorker) : ref[1].str()), e.key);
    ASSERT_EQ(r->status, 200) << e.key;
    EXPECT_EQ(r->body.find(kWorker) != std::string::npos, e.fullIds) << e.key;
    EXPECT_EQ(r->body.find(kMasked) != std::string::npos, !e.fullIds) << e.key;
    EXPECT_EQ(r->body.find("\"health\":") != std::string::npos, e.health) << e.key;
    EXPECT_EQ(r->body.find("breastCancer") != std::string::npos, e.health) << e.key;
    EXPECT_EQ(r->body.find(kChild), std::string::npos) << "the child's ID is never shown whole";
  }
  EXPECT_EQ(get(std::string("/v1/workers/") + kWorker, "k-audit")->status, 403);
  EXPECT_EQ(get(std::string("/v1/workers/") + kWorker, "k-hrss")->status, 403);
  EXPECT_EQ(get(std::string("/v1/workers/") + kWorker, "")->status, 401);
  EXPECT_EQ(get(std::string("/v1/workers/") + kWorker, "not-a-key")->status, 401);
}

TEST_F(GatewayTest, ErrorsAreProblemsAndCarryTheRequestId) {
  auto r = get("/v1/workers/510722198803040027", "k-admin", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "trace-42");
  EXPECT_EQ(r->body.find("510722198803040027"), std::string::npos) << "a bad ID is not echoed";
  EXPECT_EQ(get("/v1/nothing", "k-admin")->status, 404);
  EXPECT_EQ(get("/v1/workers/11010519491231002X", "k-admin")->status, 404) << "nobody knows them";
}

TEST_F(GatewayTest, AnUnchangedRecordIsNotSentAgain) {
  auto first = get(std::string("/v1/workers/") + kWorker, "k-case");
  std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get(std::string("/v1/workers/") + kWorker, "k-case", {{"If-None-Match", etag}})->status,
            304);
}

TEST_F(GatewayTest, EveryReadIsAudited) {
  std::string path = std::string("/v1/workers/") + kWorker;
  auto before = get(std::string("/v1/audit?page_size=1000&worker=") + kWorker, "k-audit");
  ASSERT_EQ(before->status, 200);
  auto count = [](const std::string& body) {
    size_t n = 0;
    for (size_t at = 0; (at = body.find("\"key\":", at)) != std::string::npos; ++at) ++n;
    return n;
  };
  get(path, "k-case");
  get(path, "k-health");
  auto after = get(std::string("/v1/audit?page_size=1000&worker=") + kWorker, "k-audit");
  EXPECT_EQ(count(after->body), count(before->body) + 2);
  EXPECT_NE(after->body.find(R"("key":"health-1")"), std::string::npos);
  EXPECT_NE(after->body.find(R"("sections":"employment,housing,education,rights")"),
            std::string::npos)
      << "the caseworker's read names the sections it was given";
  EXPECT_EQ(get("/v1/audit", "k-int")->status, 403);
}

TEST_F(GatewayTest, MeasuresShowValuesAndTargets) {
  auto r = get("/v1/measures?year=2026", "k-int");
  ASSERT_EQ(r->status, 200);
  std::regex measure(R"("number":\d+,"titleZh")");
  EXPECT_EQ(std::distance(std::sregex_iterator(r->body.begin(), r->body.end(), measure),
                          std::sregex_iterator()),
            30);
  auto one = get("/v1/measures/2?year=2026&area=510722", "k-int");
  ASSERT_EQ(one->status, 200);
  EXPECT_NE(
      one->body.find(R"("indicator":"workers_registered","area":"510722","year":2026,"value":1)"),
      std::string::npos)
      << one->body;
  EXPECT_EQ(get("/v1/measures/31", "k-int")->status, 404);
  EXPECT_EQ(get("/v1/measures?area=440300", "k-int")->status, 400);
}

TEST_F(GatewayTest, TheRegistryAndTheCasesArePaged) {
  auto workers = get("/v1/workers?area=510722&page_size=10", "k-int");
  ASSERT_EQ(workers->status, 200) << workers->body;
  EXPECT_NE(workers->body.find(kMasked), std::string::npos);
  auto cases = get("/v1/cases?status=open&area=510722", "k-case");
  ASSERT_EQ(cases->status, 200) << cases->body;
  EXPECT_NE(cases->body.find("LD-G-1"), std::string::npos);
  EXPECT_EQ(get("/v1/cases", "k-int")->status, 403);
}

TEST_F(GatewayTest, AnEventSubmittedOverHttpCanBeFollowedToItsVerdict) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Headers auth{{"Authorization", "Bearer k-hrss"}};
  std::string body = event("http-1", "socialSecurityCardIssued", R"({"issuedOn":"2026-03-01"})",
                           kWorker, "hrss", "510722");
  auto posted = client.Post("/v1/events", auth, body, "application/json");
  ASSERT_EQ(posted->status, 202) << posted->body;
  EXPECT_NE(posted->body.find(R"("status":"accepted")"), std::string::npos);
  auto again = client.Post("/v1/events", auth, body, "application/json");
  EXPECT_EQ(again->status, 200);
  EXPECT_NE(again->body.find(R"("status":"duplicate")"), std::string::npos);

  std::string verdict;
  for (int i = 0; i < 100 && verdict.find("applied") == std::string::npos; ++i) {
    auto r = get("/v1/events/http-1", "k-hrss");
    if (r->status == 200) verdict = r->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(verdict.find(R"("employment":"applied")"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find(R"("stored":{"partition")"), std::string::npos) << verdict;

  // A department submits only its own kinds; a bad event is refused with the bus's reason.
  std::string other =
      event("http-2", "healthCheckCompleted",
            R"({"checkType":"general","free":true,"result":"normal","performedOn":"2026-03-01"})",
            kWorker, "health", "510722");
  EXPECT_EQ(client.Post("/v1/events", auth, other, "application/json")->status, 403);
  std::string badArea = event("http-3", "socialSecurityCardIssued", R"({"issuedOn":"2026-03-01"})",
                              kWorker, "hrss", "440300");
  auto refused = client.Post("/v1/events", auth, badArea, "application/json");
  EXPECT_EQ(refused->status, 422);
  EXPECT_NE(refused->body.find("area: not a Mianyang county code"), std::string::npos);
  auto why = get("/v1/events/http-3", "k-hrss");
  ASSERT_EQ(why->status, 200) << why->body;
  EXPECT_NE(why->body.find(R"("refusedByBus":{"rule":"bus.event.area",)"
                           R"("reason":"area: not a Mianyang county code or a park of the area )"
                           R"(table","reasonZh":"area 不是绵阳市的区县代码，也不是地区表中的园区"})"),
            std::string::npos)
      << why->body;
  EXPECT_EQ(get("/v1/events/never-sent", "k-hrss")->status, 404);
  auto lines = client.Post("/v1/events", auth, body + "\nnot json\n", "application/x-ndjson");
  ASSERT_EQ(lines->status, 200);
  EXPECT_NE(lines->body.find(R"("status":"duplicate")"), std::string::npos);
  EXPECT_NE(lines->body.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(
      client.Post("/v1/events", {{"Authorization", "Bearer k-int"}}, body, "application/json")
          ->status,
      403);
}

// A clerk reads why an event was refused in the language their client asks for (Accept-Language,
// q-values weighed), with the rule it breaks; the body carries both reasons either way.
TEST_F(GatewayTest, ARefusedEventIsExplainedInTheCallersLanguageWithItsRule) {
  httplib::Client client("127.0.0.1", port_);
  std::string badArea = event("lang-1", "socialSecurityCardIssued", R"({"issuedOn":"2026-03-01"})",
                              kWorker, "hrss", "440300");
  auto post = [&](const std::string& language) {
    httplib::Headers headers{{"Authorization", "Bearer k-hrss"}};
    if (!language.empty()) headers.emplace("Accept-Language", language);
    return client.Post("/v1/events", headers, badArea, "application/json");
  };
  const std::string zh = "area 不是绵阳市的区县代码，也不是地区表中的园区";
  const std::string en = "area: not a Mianyang county code or a park of the area table";
  auto chinese = post("zh-CN,zh;q=0.9,en;q=0.8");
  ASSERT_EQ(chinese->status, 422) << chinese->body;
  EXPECT_NE(chinese->body.find(R"("detail":")" + zh + "\""), std::string::npos) << chinese->body;
  EXPECT_EQ(chinese->get_header_value("Content-Language"), "zh-CN");
  for (const auto& language : {std::string(""), std::string("en-US,zh;q=0.5"), std::string("fr")}) {
    auto english = post(language);
    ASSERT_EQ(english->status, 422) << english->body;
    EXPECT_NE(english->body.find(R"("detail":")" + en + "\""), std::string::npos)
        << language << ": " << english->body;
    EXPECT_NE(english->body.find(R"("rule":"bus.event.area","reason":")" + en +
                                 R"(","reasonZh":")" + zh + "\""),
              std::string::npos)
        << english->body;
  }
  // A problem of the gateway's own (no line in the body) follows the caller's language too.
  auto empty = client.Post("/v1/events",
                           {{"Authorization", "Bearer k-hrss"}, {"Accept-Language", "zh-CN"}}, "",
                           "application/x-ndjson");
  ASSERT_EQ(empty->status, 400) << empty->body;
  EXPECT_NE(empty->body.find(R"("detail":"请求体是空的：)"), std::string::npos) << empty->body;
  // Each NDJSON line's result carries the rule and both reasons.
  auto lines = client.Post("/v1/events", {{"Authorization", "Bearer k-hrss"}},
                           badArea + "\nnot json\n", "application/x-ndjson");
  ASSERT_EQ(lines->status, 200) << lines->body;
  EXPECT_NE(lines->body.find(R"("status":"refused","rule":"bus.event.area","reason":")" + en +
                             R"(","reasonZh":")" + zh + "\""),
            std::string::npos)
      << lines->body;
  EXPECT_NE(lines->body.find(R"("rule":"bus.event.json","reason":"not valid JSON)"),
            std::string::npos)
      << lines->body;
}

TEST_F(GatewayTest, TheRateLimitAnswers429WithRetryAfter) {
  gateway::GatewayOptions options;
  options.redis = test::testRedisAs("gateway");
  options.busIngest = bus_->ingest;
  options.requestsPerSecond = 2;
  prometheus::Registry registry;
  gateway::Gateway limited(options,
                           gateway::ApiKeys::parse(keyLine("slow", "integrator", "k-slow")),
                           Catalogue::builtIn(), *context_, registry);
  int port = limited.start("127.0.0.1", 0);
  httplib::Client client("127.0.0.1", port);
  int tooMany = 0;
  std::string retryAfter;
  for (int i = 0; i < 6; ++i) {
    auto r = client.Get("/v1/measures/1", {{"Authorization", "Bearer k-slow"}});
    if (r->status == 429) {
      ++tooMany;
      retryAfter = r->get_header_value("Retry-After");
    }
  }
  EXPECT_GE(tooMany, 3);
  EXPECT_EQ(retryAfter, "1");
}

TEST_F(GatewayTest, AReadThatCannotBeAuditedIsNotAnswered) {
  gateway::GatewayOptions options;
  // The audit must reach a replica, and the test Redis has none: the entry cannot be made safe.
  // (With no Redis at all the rate limit would refuse first.)
  options.redis = test::testRedisAs("gateway");
  options.auditReplicas = 1;
  options.auditReplicaWait = std::chrono::milliseconds(100);
  options.busIngest = bus_->ingest;
  for (const auto& [name, service] : services_)
    options.services.push_back({name, service->queryEndpoint()});
  prometheus::Registry registry;
  gateway::Gateway blind(options, gateway::ApiKeys::parse(keyLine("admin-2", "admin", "k-a2")),
                         Catalogue::builtIn(), *context_, registry);
  httplib::Client client("127.0.0.1", blind.start("127.0.0.1", 0));
  auto r = client.Get(std::string("/v1/workers/") + kWorker, {{"Authorization", "Bearer k-a2"}});
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body.find("李四"), std::string::npos) << "nothing of the record goes out";
}

// A valid resident ID, `first17` and its check character, that no event names: its sections
// were never kept.
std::string unreadWorker(const std::string& first17 = "51072219900101003") {
  for (char check : std::string("0123456789X")) {
    if (isValidResidentId(first17 + check)) return first17 + check;
  }
  return "";
}

TEST_F(GatewayTest, AKilledServiceLeavesItsSectionUnavailable) {
  ASSERT_EQ(get(std::string("/v1/workers/") + kWorker, "k-admin")->status, 200);
  services_["housing"]->kill9();
  auto started = std::chrono::steady_clock::now();
  auto r = get("/v1/workers/" + unreadWorker(), "k-admin");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started);
  std::cout << "record with housing down: " << ms.count() << " ms (deadline 500 ms)\n";
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find(R"("housing":{"status":"unavailable"})"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(R"("unavailable":["housing"])"), std::string::npos);
  EXPECT_NE(r->body.find(R"("employment":{"status":"none"})"), std::string::npos) << r->body;

  // What the gateway kept of housing before is still housing's state: no commit since.
  auto kept = get(std::string("/v1/workers/") + kWorker, "k-admin");
  EXPECT_NE(kept->body.find(R"("housing":{"status":"ok")"), std::string::npos) << kept->body;
  EXPECT_NE(kept->body.find(R"("unavailable":[])"), std::string::npos);
  services_["housing"]->start();
}

TEST_F(GatewayTest, ARecordReadAgainShowsWhatWasAppliedSince) {
  std::string path = std::string("/v1/workers/") + kWorker;
  ASSERT_EQ(get(path, "k-admin")->status, 200);
  auto kept = get(path, "k-admin");  // the services' sections are kept now
  ASSERT_EQ(kept->body.find("2026-03-02"), std::string::npos) << kept->body;

  zmq::context_t context;
  Publisher publisher(context, bus_->ingest);
  publisher.publish(
      {test::frameOf(event("g-rent-2", "rentSubsidyGranted",
                           R"({"monthlyYuan":200,"months":3,"grantedOn":"2026-03-02"})", kWorker,
                           "housing", "510722"))});
  services_["housing"]->waitForVerdict("g-rent-2");
  // The commit's announcement reaches the gateway's follower a moment after the verdict is
  // readable (section_cache.h): on a loaded machine that moment can outlast one request, so the
  // record is read again for a while. A kept section never dropped would fail every read.
  const std::string granted = R"({"monthlyYuan":200,"months":3,"grantedOn":"2026-03-02"})";
  auto after = get(path, "k-admin");
  for (int i = 0; i < 40 && after->body.find(granted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = get(path, "k-admin");
  }
  EXPECT_NE(after->body.find(granted), std::string::npos) << after->body;
}

// Bad path and query parameters of every route: a 400 problem naming the parameter in Chinese and
// English, never a 500 (std::stoi on 12 digits threw) and never "no such route".
TEST_F(GatewayTest, EveryBadParameterIsA400NamingIt) {
  struct Bad {
    std::string path;
    std::string parameter;
  };
  std::vector<Bad> bad;
  for (const char* value : {"123456789012", "-1", "abc", ""}) {
    std::string v = value;
    bad.push_back({"/v1/workers/" + v, "workerId"});
    bad.push_back({"/v1/workers?page_size=" + v, "page_size"});
    bad.push_back({"/v1/workers?area=" + v + "x", "area"});
    bad.push_back({"/v1/workers?stale=" + v, "stale"});
    bad.push_back({"/v1/measures?year=" + v, "year"});
    bad.push_back({"/v1/measures/" + v, "number"});
    bad.push_back({"/v1/measures/2?year=" + v, "year"});
    bad.push_back({"/v1/cases?page_size=" + v, "page_size"});
    bad.push_back({"/v1/cases?status=" + v, "status"});
    bad.push_back({"/v1/audit?page_size=" + v, "page_size"});
    bad.push_back({"/v1/audit?page_token=" + v + "x", "page_token"});
    bad.push_back({"/v1/audit?key=" + v + "%20", "key"});
    bad.push_back({"/v1/audit?worker=" + v, "worker"});
  }
  bad.push_back({"/v1/workers?page_token=-1", "page_token"});
  bad.push_back({"/v1/measures/99999999999999999999", "number"});
  bad.push_back({std::string("/v1/audit?key=admin-1&worker=") + kWorker, "key"});
  bad.push_back({"/v1/events/", "eventId"});
  bad.push_back({"/v1/events/a%20b", "eventId"});
  for (const auto& [path, parameter] : bad) {
    auto r = get(path, "k-admin");
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json") << path;
    // "detail":"<parameter>: <中文> / <English>"
    auto at = r->body.find("\"detail\":\"" + parameter + ": ");
    ASSERT_NE(at, std::string::npos) << path << ": " << r->body;
    std::string detail = r->body.substr(at, r->body.find('"', at + 10) - at);
    auto slash = detail.find(" / ");
    ASSERT_NE(slash, std::string::npos) << path << ": " << detail;
    EXPECT_TRUE(std::any_of(detail.begin(), detail.begin() + static_cast<long>(slash),
                            [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        << path << ": no Chinese before the English in " << detail;
  }
  EXPECT_EQ(get("/v1/measures/31", "k-int")->status, 404) << "a whole number, but no measure";
}

// A read of one worker is found in the audit however many reads of others came since: the old
// scan read only the newest 100,000 reads of everyone.
TEST_F(GatewayTest, AWorkersOldReadIsFoundBehindAHundredThousandOthers) {
  ASSERT_EQ(get(std::string("/v1/workers/") + kWorker, "k-case")->status, 200);
  constexpr int kOthers = 100'001;
  const std::string other = unreadWorker();
  Redis redis(test::testRedis());
  std::vector<RedisCommand> others;
  for (int i = 0; i < kOthers; ++i) {
    others.push_back({"XADD", gateway::audit_keys::kReads, "*", "key", "integrator-1", "role",
                      "integrator", "worker", other, "sections", "employment", "at", "1"});
    if (others.size() == 5000 || i + 1 == kOthers) {
      redis.pipeline(others);
      others.clear();
    }
  }
  auto r = get(std::string("/v1/audit?page_size=1000&worker=") + kWorker, "k-audit");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(
      r->body.find(
          R"("key":"caseworker-1","role":"caseworker","route":"/v1/workers/{workerId}","workers":[")" +
          std::string(kWorker)),
      std::string::npos)
      << r->body.substr(0, 400);
  EXPECT_EQ(r->body.find(other), std::string::npos) << "only this worker's reads";
}

// The bus's reason for refusing an event is found however many refusals came since: the old scan
// read only the newest 10,000.
TEST_F(GatewayTest, AnOldRefusalIsFoundBehindTwentyThousandOthers) {
  httplib::Client client("127.0.0.1", port_);
  std::string badArea = event("old-refusal", "socialSecurityCardIssued",
                              R"({"issuedOn":"2026-03-01"})", kWorker, "hrss", "440300");
  ASSERT_EQ(
      client.Post("/v1/events", {{"Authorization", "Bearer k-hrss"}}, badArea, "application/json")
          ->status,
      422);
  Redis redis(test::testRedis());
  std::vector<RedisCommand> others;
  for (int i = 0; i < 20'000; ++i) {
    others.push_back({"XADD", keys::kRejected, "*", "reason", "area: not a Mianyang county code",
                      "eventId", "other-" + std::to_string(i), "source", "HRSS", "frame", "-"});
  }
  redis.pipeline(others);
  auto why = get("/v1/events/old-refusal", "k-hrss");
  ASSERT_EQ(why->status, 200) << why->body;
  EXPECT_NE(why->body.find(R"("refusedByBus":{"rule":"bus.event.area","reason":"area: not a )"
                           R"(Mianyang county code)"),
            std::string::npos)
      << why->body;
}

// An NDJSON batch with an event too large for the bus: every line is answered, by its line, the
// valid events stored; the refused one is not sent again and again (it once was: its answer did
// not match, so the batch was re-sent three times and answered 503).
TEST_F(GatewayTest, ABatchWithAnOversizedEventAnswersEveryLineAndStoresTheValidOnes) {
  httplib::Client client("127.0.0.1", port_);
  auto card = [](const std::string& id, const std::string& issuedOn) {
    return event(id, "socialSecurityCardIssued", R"({"issuedOn":")" + issuedOn + R"("})", kWorker,
                 "hrss", "510722");
  };
  std::string oversized = card("batch-big", std::string(100'000, '9'));
  Redis redis(test::testRedis());
  int64_t rejectedBefore = redis.command({"XLEN", keys::kRejected}).integer;
  auto posted = client.Post("/v1/events", {{"Authorization", "Bearer k-hrss"}},
                            card("batch-1", "2026-03-01") + "\n\n" + oversized + "\n" +
                                card("batch-2", "2026-03-02") + "\n",
                            "application/x-ndjson");
  ASSERT_EQ(posted->status, 200) << posted->body;
  EXPECT_NE(posted->body.find(R"({"line":1,"eventId":"batch-1","status":"accepted")"),
            std::string::npos)
      << posted->body;
  EXPECT_NE(
      posted->body.find(
          R"({"line":3,"eventId":"batch-big","status":"refused","rule":"bus.frame.size","reason":"frame: )"),
      std::string::npos)
      << posted->body;
  EXPECT_NE(posted->body.find("is over the limit of 65536"), std::string::npos);
  EXPECT_NE(posted->body.find(R"({"line":4,"eventId":"batch-2","status":"accepted")"),
            std::string::npos);
  EXPECT_EQ(redis.command({"XLEN", keys::kRejected}).integer, rejectedBefore)
      << "refused before it was sent";
}

// GET /v1/events/{id} shows a service's reason only to roles that see that service's section of a
// worker's record; the others see "refused". A department sees its own events only.
TEST_F(GatewayTest, AVerdictsReasonIsShownOnlyToRolesThatSeeItsSection) {
  constexpr const char* kMan = "510703199005121230";
  zmq::context_t context;
  Publisher publisher(context, bus_->ingest);
  ASSERT_EQ(
      publisher
          .publish(test::frameOf(event(
              "man-check", "healthCheckCompleted",
              R"({"checkType":"breastCancer","free":true,"result":"normal","performedOn":"2026-03-01"})",
              kMan, "health", "510703")))
          .status,
      msg::IngestReply::Status::ACK);
  services_["health"]->waitForVerdict("man-check");

  for (const char* key : {"k-health", "k-admin"}) {
    auto full = get("/v1/events/man-check", key);
    ASSERT_EQ(full->status, 200) << full->body;
    EXPECT_NE(full->body.find(R"("health":{"status":"refused","rule":"health.screening.women_only",)"
                              R"("reason":"breastCancer checks are for women (措施十五); the )"
                              R"(resident ID is a man's","reasonZh":"breastCancer 检查面向女性)"),
              std::string::npos)
        << key << ": " << full->body;
  }
  for (const char* key : {"k-int", "k-case"}) {
    auto bare = get("/v1/events/man-check", key);
    ASSERT_EQ(bare->status, 200) << bare->body;
    EXPECT_NE(bare->body.find(R"("health":"refused")"), std::string::npos) << key << bare->body;
    EXPECT_EQ(bare->body.find("women"), std::string::npos) << key << ": " << bare->body;
  }
  // An event applied with a note (a visit with no return that year: recorded, not coverage) shows
  // the note as a reason is shown, and to the others only that it was applied.
  ASSERT_EQ(publisher
                .publish(test::frameOf(event(
                    "visit-no-return", "familyVisited",
                    R"({"visitedOn":"2026-02-01","village":"510722103201","form":"inPerson"})",
                    "510722198803040026", "hrss", "510722")))
                .status,
            msg::IngestReply::Status::ACK);
  services_["outreach"]->waitForVerdict("visit-no-return");
  auto noted = get("/v1/events/visit-no-return", "k-admin");
  ASSERT_EQ(noted->status, 200) << noted->body;
  EXPECT_NE(noted->body.find(R"("outreach":{"status":"applied","rule":"outreach.returnee.family_visit",)"
                             R"("note":"no workerReturned of 2026 for this worker: )"),
            std::string::npos)
      << noted->body;
  EXPECT_NE(noted->body.find(R"("noteZh":"该农民工 2026 年无返乡记录)"), std::string::npos)
      << noted->body;
  auto bareNote = get("/v1/events/visit-no-return", "k-hrss");  // the sender's own
  ASSERT_EQ(bareNote->status, 200) << bareNote->body;
  EXPECT_NE(bareNote->body.find(R"("outreach":"applied")"), std::string::npos) << bareNote->body;
  // Another department's event, stored or refused, is unknown to hrss's key.
  EXPECT_EQ(get("/v1/events/man-check", "k-hrss")->status, 404);
  std::string badArea =
      event("health-refused", "healthCheckCompleted",
            R"({"checkType":"general","free":true,"result":"normal","performedOn":"2026-03-01"})",
            kMan, "health", "440300");
  ASSERT_EQ(publisher.publish(test::frameOf(badArea)).status, msg::IngestReply::Status::NACK);
  EXPECT_EQ(get("/v1/events/health-refused", "k-hrss")->status, 404);
  EXPECT_EQ(get("/v1/events/health-refused", "k-int")->status, 200);
  // Its own: found, the verdicts without reasons.
  auto own = get("/v1/events/g-reg", "k-hrss");
  ASSERT_EQ(own->status, 200) << own->body;
  EXPECT_NE(own->body.find(R"("employment":"applied")"), std::string::npos) << own->body;
}

TEST_F(GatewayTest, EveryRouteIsInTheOpenApiDocumentAndTheOtherWayRound) {
  std::string doc = gateway::openApiDocument();
  std::set<std::string> documented, served;
  std::regex path(R"re("(/v1/[^"]*)":\s*\{\s*"(get|post)")re");
  for (std::sregex_iterator it(doc.begin(), doc.end(), path), end; it != end; ++it) {
    std::string method = (*it)[2];
    for (auto& c : method) c = static_cast<char>(toupper(c));
    documented.insert(method + " " + (*it)[1].str());
  }
  for (const auto& route : gateway_->routes()) served.insert(route.method + " " + route.path);
  EXPECT_EQ(documented, served);
  auto r = get("/v1/openapi.json", "");
  EXPECT_EQ(r->status, 200) << "the document needs no key";
}

// The document is written by hand: the `rule` filter of /v1/warnings lists exactly what the
// gateway accepts, each warning's kind and its register rule (wage_warning_rules.h).
TEST(OpenApiDocument, TheWarningsRuleFilterListsEveryKindAndEveryRegisterRule) {
  std::string doc = gateway::openApiDocument();
  std::smatch param;
  ASSERT_TRUE(std::regex_search(
      doc, param, std::regex(R"re("name": "rule",[^\]]*"enum": \[([^\]]*)\])re")))
      << "the rule parameter of /v1/warnings with its enum";
  std::set<std::string> documented, accepted;
  std::string listed = param[1];
  std::regex value(R"re("([^"]+)")re");
  for (std::sregex_iterator it(listed.begin(), listed.end(), value), end; it != end; ++it)
    documented.insert((*it)[1]);
  for (const auto& w : wageWarningRules()) {
    accepted.insert(enumName(w.kind));
    accepted.insert(w.rule.id);
  }
  EXPECT_EQ(documented, accepted);
}

size_t entries(const std::string& auditBody) {
  size_t n = 0;
  for (size_t at = 0; (at = auditBody.find("\"key\":", at)) != std::string::npos; ++at) ++n;
  return n;
}

// The masked ID, area and hukou leave a few hundred candidates: a 404 for each wrong one and a
// 200 for the right one would find the ID. So the integrator has no lookup by ID at all.
TEST_F(GatewayTest, AnIntegratorLooksWorkersUpByReferenceNeverByResidentId) {
  auto byId = get(std::string("/v1/workers/") + kWorker, "k-int");
  EXPECT_EQ(byId->status, 403) << byId->body;
  EXPECT_EQ(get("/v1/workers/" + unreadWorker("51072219880304003"), "k-int")->status, 403)
      << "a wrong ID is answered as a right one: nothing to tell them apart";

  auto listing = get("/v1/workers?area=510722", "k-int");
  ASSERT_EQ(listing->status, 200) << listing->body;
  EXPECT_EQ(listing->body.find(kWorker), std::string::npos);
  std::smatch ref;
  ASSERT_TRUE(std::regex_search(
      listing->body, ref,
      std::regex(R"re("workerId":"510\*{11}0026","workerRef":"([A-Za-z0-9_-]+)")re")))
      << listing->body;
  EXPECT_EQ(get("/v1/workers?area=510722", "k-int")->body, listing->body) << "a stable reference";

  auto record = get("/v1/workers/" + ref[1].str(), "k-int");
  ASSERT_EQ(record->status, 200) << record->body;
  EXPECT_NE(record->body.find(kMasked), std::string::npos);
  EXPECT_EQ(record->body.find(kWorker), std::string::npos);
  EXPECT_NE(record->body.find("\"workerRef\":\"" + ref[1].str() + "\""), std::string::npos);

  std::string forged = ref[1].str();
  forged[5] = forged[5] == 'A' ? 'B' : 'A';
  auto refused = get("/v1/workers/" + forged, "k-int");
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("workerId: "), std::string::npos);

  auto caseworker = get(std::string("/v1/workers/") + kWorker, "k-case");
  EXPECT_EQ(caseworker->status, 200) << "a caseworker still looks up by ID";
  EXPECT_EQ(caseworker->body.find("workerRef"), std::string::npos);
}

// A lookup by full ID that finds nobody is audited and counted against the key, so a burst of them
// raises MwpWorkerLookupMisses (ops/prometheus/alerts.yml).
TEST_F(GatewayTest, ALookupThatFindsNobodyIsAuditedAndCounted) {
  std::string nobody = unreadWorker("51072219900101004");
  auto before = test::samples(*registry_, "mwp_gateway_worker_lookup_misses_total");
  EXPECT_EQ(get("/v1/workers/" + nobody, "k-case")->status, 404);
  EXPECT_EQ(get("/v1/workers/" + nobody, "k-case")->status, 404);
  auto after = test::samples(*registry_, "mwp_gateway_worker_lookup_misses_total");
  EXPECT_EQ(after["caseworker-1"], before["caseworker-1"] + 2);

  std::string audited = audit("worker=" + nobody);
  EXPECT_EQ(entries(audited), 2u) << audited;
  EXPECT_NE(
      audited.find(
          R"("key":"caseworker-1","role":"caseworker","route":"/v1/workers/{workerId}","workers":[")" +
          nobody + R"("],"sections":"employment,housing,education,rights","status":404)"),
      std::string::npos)
      << audited;
}

// Listings show people too: each page is audited with everyone on it, under the listing's route.
TEST_F(GatewayTest, EveryListingIsAuditedWithThePeopleItShowed) {
  ASSERT_EQ(get("/v1/cases?status=open&area=510722", "k-case")->status, 200);
  std::string cases = audit("key=caseworker-1&page_size=1");
  EXPECT_NE(cases.find(std::string(R"("route":"/v1/cases","workers":[")") + kWorker + "\"]"),
            std::string::npos)
      << cases;

  ASSERT_EQ(get("/v1/workers?area=510722", "k-int")->status, 200);
  std::string registry = audit("key=integrator-1&page_size=1");
  EXPECT_NE(registry.find(std::string(R"("route":"/v1/workers","workers":[")") + kWorker + "\"]"),
            std::string::npos)
      << registry;
  std::string worker = audit(std::string("worker=") + kWorker);
  EXPECT_NE(worker.find(R"("route":"/v1/workers")"), std::string::npos) << worker;
  EXPECT_NE(worker.find(R"("route":"/v1/cases")"), std::string::npos) << worker;
}

// One key's entries (a key only this test uses), page by page, each page continuing where the one
// before stopped.
TEST_F(GatewayTest, TheAuditIsPagedByKey) {
  for (int i = 0; i < 3; ++i) {  // the caseworker's reads in between are not the health key's
    ASSERT_EQ(get(std::string("/v1/workers/") + kWorker, "k-pager")->status, 200);
    ASSERT_EQ(get(std::string("/v1/workers/") + kWorker, "k-case")->status, 200);
  }
  std::set<std::string> seen;
  std::vector<std::string> tokens{""};
  for (int page = 0; page < 3; ++page) {
    std::string token = tokens.back();
    std::string body =
        audit("key=pager&page_size=1" + (token.empty() ? "" : "&page_token=" + token));
    std::smatch id, next;
    ASSERT_TRUE(std::regex_search(body, id, std::regex(R"re("id":"([0-9-]+)")re"))) << body;
    seen.insert(id[1]);
    ASSERT_TRUE(std::regex_search(body, next, std::regex(R"re("nextPageToken":"([0-9-]*)")re")));
    EXPECT_EQ(entries(body), 1u);
    EXPECT_EQ(body.find(R"("key":"caseworker-1")"), std::string::npos) << "only this key's";
    tokens.push_back(next[1]);
  }
  EXPECT_EQ(seen.size(), 3u) << "three pages, three different entries";
  EXPECT_NE(tokens[1], "");
  EXPECT_NE(tokens[2], "");
  EXPECT_EQ(tokens[3], "") << "the third of the key's three reads is on the last page";
}

// Entries older than the retention go when the stream is next written: the trimming is by age.
TEST_F(GatewayTest, TheAuditKeepsWhatIsWithinItsRetention) {
  std::string nobody = unreadWorker("51072219900101005");
  Redis redis(test::testRedis());
  auto oneYearAgoMs = (systemClock() - 366 * 24 * 3600) * 1000;
  for (auto ms : {int64_t{1000}, oneYearAgoMs}) {
    redis.command({"XADD", gateway::audit_keys::readsOf(nobody), std::to_string(ms) + "-0", "key",
                   "old-key", "role", "integrator", "workers", nobody, "at",
                   std::to_string(ms / 1000)});
  }
  EXPECT_EQ(get("/v1/workers/" + nobody, "k-case")->status, 404);
  std::string kept = audit("worker=" + nobody);
  EXPECT_EQ(entries(kept), 2u) << "this read and the one a year ago, not the one of 1970: " << kept;
  EXPECT_NE(kept.find("\"id\":\"" + std::to_string(oneYearAgoMs) + "-0\""), std::string::npos);
}

// 1 HIV check or 1 referral in a county is one person's result: below MWP_GATEWAY_HEALTH_MIN_COUNT
// a health indicator is suppressed for roles without health access.
TEST_F(GatewayTest, SmallHealthCountsAreSuppressedForRolesWithoutHealthAccess) {
  const std::string path = "/v1/measures/15?year=2026&area=510722";
  std::string shown =
      R"("indicator":"womens_cancer_checks","area":"510722","year":2026,"value":1,)";
  std::string suppressed =
      R"("indicator":"womens_cancer_checks","area":"510722","year":2026,"value":null,"suppressed":true,)";
  auto health = get(path, "k-health");
  ASSERT_EQ(health->status, 200);
  EXPECT_NE(health->body.find(shown), std::string::npos) << health->body;
  for (const char* key : {"k-int", "k-case", "k-audit"}) {
    auto r = get(path, key);
    ASSERT_EQ(r->status, 200);
    EXPECT_NE(r->body.find(suppressed), std::string::npos) << key << ": " << r->body;
    EXPECT_EQ(r->body.find(shown), std::string::npos) << key;
  }
  auto all = get("/v1/measures?year=2026&area=510722", "k-int");
  EXPECT_NE(all->body.find(suppressed), std::string::npos) << "the list of all measures too";
  EXPECT_NE(
      all->body.find(R"("indicator":"workers_registered","area":"510722","year":2026,"value":1,)"),
      std::string::npos)
      << "not a health indicator: shown";
}

TEST_F(GatewayTest, AnExpiredKeyIsRefusedAndSaysSo) {
  auto lapsed = get("/v1/measures/1", "k-lapsed");
  EXPECT_EQ(lapsed->status, 401);
  EXPECT_NE(lapsed->body.find("expired after 2020-12-31"), std::string::npos) << lapsed->body;
  EXPECT_EQ(get("/v1/measures/1", "k-current")->status, 200);
}

// A rotation adds the new key and lets the name's older keys run out after the grace period; an
// older key already running out sooner keeps its own day.
TEST(ApiKeyRotation, TheOldKeyExpiresAfterTheGraceDays) {
  auto hash = [](char c) { return std::string(64, c); };
  std::string file = "# keys\nana integrator " + hash('a') + "\nbo caseworker " + hash('b') +
                     " expires=2026-01-02\nhrss department " + hash('c') + " hrss\n";
  gateway::ApiKey next{"hrss", gateway::Role::kDepartment, msg::Department::HRSS,
                       parseDate("2027-06-01")};
  std::string rotated = gateway::rotateKey(file, next, hash('d'), *parseDate("2026-06-08"));
  EXPECT_EQ(rotated, "# keys\nana integrator " + hash('a') + "\nbo caseworker " + hash('b') +
                         " expires=2026-01-02\nhrss department " + hash('c') +
                         " hrss expires=2026-06-08\nhrss department " + hash('d') +
                         " hrss expires=2027-06-01\n");
  auto keys = gateway::ApiKeys::parse(rotated);
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_THROW(gateway::ApiKeys::parse("x admin " + hash('e') + " expires=soon"),
               std::runtime_error);
}

// A service that answers with an error is not one that "did not answer in time".
TEST(GatewayServiceError, IsReportedAsAnErrorNotATimeout) {
  zmq::context_t context;
  zmq::socket_t service(context, zmq::socket_type::router);
  std::string endpoint = test::freeEndpoint();
  service.bind(endpoint);
  std::thread answering([&] {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(service, std::back_inserter(frames))) return;
    capnp::MallocMessageBuilder reply;
    reply.initRoot<msg::QueryReply>().setError("cannot answer now: READONLY");
    std::string bytes = toBytes(reply);
    std::array<zmq::const_buffer, 2> parts{zmq::buffer(frames[0].data(), frames[0].size()),
                                           zmq::buffer(bytes)};
    zmq::send_multipart(service, parts);
  });
  gateway::GatewayOptions options;
  options.redis = test::testRedis();
  options.services.push_back({"employment", endpoint});
  prometheus::Registry registry;
  gateway::Gateway gateway(options, gateway::ApiKeys::parse(keyLine("case", "caseworker", "k")),
                           Catalogue::builtIn(), context, registry);
  httplib::Client client("127.0.0.1", gateway.start("127.0.0.1", 0));
  auto r = client.Get("/v1/workers?area=510722", {{"Authorization", "Bearer k"}});
  answering.join();
  EXPECT_EQ(r->status, 502);
  EXPECT_NE(r->body.find("the employment service answered with an error"), std::string::npos)
      << r->body;
  EXPECT_EQ(r->body.find("did not answer in time"), std::string::npos);
  EXPECT_EQ(r->body.find("READONLY"), std::string::npos) << "its reason stays in the log";
}

}  // namespace
}  // namespace mwp
