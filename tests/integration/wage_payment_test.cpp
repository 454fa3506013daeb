// Measure 20, wage payment at the source, through the real bus into the real mwp-rights: a month
// of a government-invested project (in 2025, so every due day has passed by the service's clock),
// read back through the service's queries — the ledger, the open warnings, a worker's section —
// its figures on /metrics, and through the gateway's /v1/projects and /v1/warnings.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "api_keys.h"
#include "bus_fixture.h"
#include "frames.h"
#include "gateway.h"
#include "mwp/messages/query.capnp.h"
#include "mwp/messages/rights.capnp.h"
#include "redis.h"
#include "service_harness.h"
#include "state_keys.h"
#include "wage_events.h"

namespace mwp {
namespace {

using test::wage::worker;

const test::wage::ProjectEvents site("P-IT-1");

// April 2025 of the project: three workers; the first paid in time, the second late and outside
// the wage account, the third never. The deposit came late; the labour cost in time.
std::vector<std::string> aMonth() {
  std::vector<std::string> events{site.registered("it-registered", true, "2025-03-01"),
                                  site.accountOpened("it-account", "2025-03-10"),
                                  site.depositLodged("it-deposit", "2025-04-20"),  // due 2025-03-31
                                  site.labourCost("it-cost", "2025-04", "2025-05-10")};
  for (int n = 1; n <= 3; ++n) {
    std::string w = std::to_string(n);
    events.push_back(site.enrolled("it-enrolled-" + w, worker(n), "2025-03-05"));
    events.push_back(site.attended("it-attended-" + w, worker(n), "2025-04", 22));
  }
  events.push_back(site.paid("it-paid-1", worker(1), "2025-04", "2025-05-12"));
  events.push_back(site.paid("it-paid-2", worker(2), "2025-04", "2025-05-20", 6000, false));
  return events;
}

// The month's share unpaid on the payday: the second and third workers of three.
constexpr const char* kManyUnpaidEn =
    "2 of the 3 workers with attendance in 2025-04 (66.7 %) were unpaid on the payday, "
    "2025-05-15: more than 10 %, a red warning";
constexpr const char* kManyUnpaidZh =
    "2025-04有出勤的3名农民工中2名（66.7%）至发薪日2025-05-15未发工资，超过10%，红色预警";

class WagePaymentServiceTest : public test::BusFixture {
 protected:
  std::string ask(const std::string& name, const std::string& filter) {
    capnp::MallocMessageBuilder query;
    auto list = query.initRoot<msg::Query>().initList();
    list.setName(name);
    list.setFilter(filter);
    auto answer = rights->ask(query);
    EXPECT_EQ(answer.first, "json") << answer.second;
    return answer.second;
  }

  static size_t occurrences(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  }

  // Rewrites every stored record of `projectId` that has warnings as one stored before register
  // ids were kept: each warning's `rule` empty. How many records it rewrote.
  static size_t forgetWarningRules(const std::string& projectId) {
    Redis redis(test::testRedis());
    std::string project = serviceKey("rights", "project:" + projectId);
    size_t rewritten = forgetWarningRules<msg::WageProject>(redis, project);
    for (const auto& k : redis.command({"KEYS", project + ":worker:*"}).elements)
      rewritten += forgetWarningRules<msg::ProjectWorker>(redis, k.str);
    return rewritten;
  }

  template <typename Record>
  static size_t forgetWarningRules(Redis& redis, const std::string& key) {
    auto stored = redis.command({"GET", key});
    FrameReader reader(stored.str);
    capnp::MallocMessageBuilder message;
    message.setRoot(reader.root<Record>());
    auto warnings = message.getRoot<Record>().getWarnings();
    if (warnings.size() == 0) return 0;
    for (auto w : warnings) w.setRule("");
    redis.command({"SET", key, toBytes(message)});
    return 1;
  }

  std::unique_ptr<test::RunningService> rights;
};

TEST_F(WagePaymentServiceTest, AMonthOfAProjectGivesItsLedgerAndItsWarnings) {
  rights = std::make_unique<test::RunningService>(MWP_RIGHTS_BINARY, "rights", *bus_);
  for (const auto& r : publish(aMonth()))
    ASSERT_NE(r.status, msg::IngestReply::Status::NACK) << r.reason;
  rights->waitForVerdict("it-paid-2");
  // The third worker's wages and the month's share unpaid are due by the service's clock: its
  // timers raise them, and they are recorded when they come back through the bus.
  rights->waitForVerdict("wageWarning:P-IT-1:manyUnpaid:2025-04:red");

  std::string open;
  for (int i = 0; i < 100 && occurrences(open, "\"status\":\"open\"") < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    open = ask("warnings", "open|");
  }
  EXPECT_EQ(occurrences(open, "\"status\":\"open\""), 3u) << open;
  EXPECT_EQ(occurrences(open, R"("projectId":"P-IT-1")"), 3u) << open;
  EXPECT_NE(open.find(R"("kind":"manyUnpaid","level":"red","month":"2025-04")"), std::string::npos)
      << open;
  EXPECT_NE(open.find(R"("kind":"workerUnpaid","level":"red","month":"2025-04")"),
            std::string::npos)
      << "the third worker: yellow on 2025-05-15, red in place on 2025-06-30\n"
      << open;
  EXPECT_NE(open.find(R"("redOn":"2025-06-30")"), std::string::npos) << open;
  // Each warning names its rule in the register and says why in both languages, with its figures.
  EXPECT_NE(open.find(R"("rule":"rights.wage_warning.many_unpaid","reason":")" +
                      std::string(kManyUnpaidEn) + R"(","reasonZh":")" + kManyUnpaidZh + "\""),
            std::string::npos)
      << open;
  EXPECT_NE(open.find(R"("kind":"paidOutsideAccount")"), std::string::npos) << open;

  std::string cleared = ask("warnings", "cleared|510703");
  EXPECT_NE(
      cleared.find(R"("warningId":"P-IT-1:noWageDeposit","kind":"noWageDeposit","level":"yellow")"),
      std::string::npos)
      << cleared;
  EXPECT_NE(
      cleared.find(R"("dueOn":"2025-03-31","raisedOn":"2025-03-31","clearedOn":"2025-04-20")"),
      std::string::npos)
      << "the deposit, due 30 days after the start, lodged 20 days late\n"
      << cleared;
  EXPECT_NE(cleared.find(R"("kind":"workerUnpaid","level":"yellow")"), std::string::npos)
      << "the second worker, paid five days after the payday\n"
      << cleared;

  std::string ledger = ask("project", "P-IT-1");
  EXPECT_NE(ledger.find(R"("accountOpenedOn":"2025-03-10")"), std::string::npos) << ledger;
  EXPECT_NE(ledger.find(R"("month":"2025-04","labourCostYuan":"400000")"), std::string::npos)
      << ledger;
  EXPECT_NE(ledger.find(R"("workersAttended":3,"workersPaid":2,"workersPaidByPayday":1)"),
            std::string::npos)
      << ledger;
  EXPECT_EQ(occurrences(ledger, R"("trade":"钢筋工")"), 3u) << ledger;
  EXPECT_EQ(ask("projects", "510703").find(R"("projectId":"P-IT-1")") != std::string::npos, true);

  auto section = rights->section(worker(3));
  ASSERT_EQ(section.first, "json");
  EXPECT_NE(section.second.find(R"("rule":"rights.wage_warning.worker_unpaid",)"
                                R"("reason":"the worker worked 22 days in 2025-04 and was still )"
                                R"(unpaid on 2025-06-30: a red warning",)"
                                R"("reasonZh":"该农民工2025-04出勤22天，至2025-06-30仍未发放工资，)"
                                R"(红色预警")"),
            std::string::npos)
      << "raised yellow, its reason rewritten when it rose to red\n"
      << section.second;
  EXPECT_NE(section.second.find(R"("projects":[{"projectId":"P-IT-1")"), std::string::npos)
      << section.second;

  auto figure = [&](const char* indicator, double value) {
    return rights->waitForMetric(
        "mwp_measure_value",
        {{"measure", "20"}, {"indicator", indicator}, {"area", "all"}, {"year", "2025"}}, value);
  };
  EXPECT_EQ(figure("warnings_red_open", 2), 2);
  EXPECT_EQ(figure("warnings_yellow_open", 1), 1);
  EXPECT_EQ(figure("workers_unpaid", 1), 1);
  EXPECT_EQ(figure("workers_enrolled", 3), 3);
  EXPECT_EQ(figure("government_project_arrears", 1), 1) << "a red warning on a government project";

  // Filters: the service reads on past what they leave out.
  EXPECT_EQ(occurrences(ask("warnings", "open||red|"), "\"status\":\"open\""), 2u);
  EXPECT_EQ(occurrences(ask("warnings", "open|||paidOutsideAccount"), "\"status\":\"open\""), 1u);
  EXPECT_NE(ask("projects", "510703|red").find(R"("projectId":"P-IT-1")"), std::string::npos);
  EXPECT_EQ(ask("projects", "510704|").find("P-IT-1"), std::string::npos) << "another county";

  // Through the gateway, as an integrator: resident IDs masked, bad parameters named.
  zmq::context_t context;
  prometheus::Registry registry;
  gateway::GatewayOptions options;
  options.redis = test::testRedis();
  options.busIngest = bus_->ingest;
  options.services.push_back({"rights", rights->queryEndpoint()});
  options.deadline = std::chrono::milliseconds(500);
  gateway::Gateway gateway(
      options,
      gateway::ApiKeys::parse("integrator-1 integrator " + gateway::hashApiKey("k-int") + " \n"),
      Catalogue::builtIn(), context, registry);
  int port = gateway.start("127.0.0.1", 0);
  httplib::Client client("127.0.0.1", port);
  httplib::Headers key{{"Authorization", "Bearer k-int"}};
  auto shown = client.Get("/v1/projects/P-IT-1", key);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, 200) << shown->body;
  EXPECT_NE(shown->body.find(R"("workersAttended":3)"), std::string::npos) << shown->body;
  EXPECT_EQ(shown->body.find(worker(3)), std::string::npos) << "masked for the integrator";
  EXPECT_NE(shown->body.find("510***********"), std::string::npos) << shown->body;
  EXPECT_NE(shown->body.find(kManyUnpaidZh), std::string::npos) << "the ledger's warnings too";
  auto red = client.Get("/v1/warnings?status=open&level=red&area=510703", key);
  ASSERT_TRUE(red);
  EXPECT_EQ(red->status, 200) << red->body;
  EXPECT_EQ(occurrences(red->body, R"("level":"red")"), 2u) << red->body;
  EXPECT_NE(red->body.find(std::string(R"("reasonZh":")") + kManyUnpaidZh), std::string::npos)
      << red->body;
  auto projects = client.Get("/v1/projects?warning=open", key);
  ASSERT_TRUE(projects);
  EXPECT_NE(projects->body.find(R"("projectId":"P-IT-1")"), std::string::npos) << projects->body;
  auto unknown = client.Get("/v1/projects/P-NONE", key);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  auto bad = client.Get("/v1/warnings?rule=noAccount", key);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("rule"), std::string::npos) << bad->body;
  auto byRule = client.Get("/v1/warnings?rule=rights.wage_warning.paid_outside_account", key);
  ASSERT_TRUE(byRule);
  EXPECT_EQ(occurrences(byRule->body, R"("kind":"paidOutsideAccount")"), 1u) << byRule->body;
  EXPECT_EQ(occurrences(byRule->body, R"("kind":)"), 1u) << "by its register id\n" << byRule->body;

  // A warning stored before register ids were kept has an empty `rule`: the register id still
  // finds it, by its kind.
  ASSERT_GT(forgetWarningRules("P-IT-1"), 0u) << "the project's records with warnings";
  auto old = client.Get("/v1/warnings?rule=rights.wage_warning.paid_outside_account", key);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200) << old->body;
  EXPECT_NE(old->body.find(R"("rule":"",)"), std::string::npos) << "stored so\n" << old->body;
  EXPECT_EQ(occurrences(old->body, R"("kind":"paidOutsideAccount")"), 1u) << old->body;
  EXPECT_EQ(occurrences(old->body, R"("kind":)"), 1u) << old->body;
}

TEST_F(WagePaymentServiceTest, AnEventOfAnUnknownProjectIsRefusedWithTheReason) {
  rights = std::make_unique<test::RunningService>(MWP_RIGHTS_BINARY, "rights", *bus_);
  publish({test::wage::ProjectEvents("P-NONE").accountOpened("it-unknown", "2025-03-10")});
  rights->waitForVerdict("it-unknown");
  EXPECT_EQ(rights->verdict("it-unknown").second,
            R"({"status":"refused","rule":"record.exists_first",)"
            R"("reason":"project P-NONE is not registered","reasonZh":"项目 P-NONE 未登记"})");
}

}  // namespace
}  // namespace mwp
