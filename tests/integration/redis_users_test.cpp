// The Redis ACL users of ops/redis/users.acl.in, on the suite's Redis (ops/test.sh starts it with
// them): nobody gets in without a user, and each part's user can do what that part does and
// nothing that would let a thief of its password destroy another part's data — the gateway cannot
// delete or trim the audit, a service cannot write the bus's log or touch another service's state.
#include <gtest/gtest.h>

#include "audit_log.h"
#include "event_log.h"
#include "state_keys.h"
#include "test_env.h"

namespace mwp {
namespace {

class RedisUsers : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(test::redisSecrets().empty())
        << "MWP_TEST_REDIS_SECRETS is not set: run the tests with ops/test.sh";
    test::flushRedis();
  }

  // What Redis answers `command` run as `user`: "NOPERM" when the ACL refuses it, else "ok".
  static std::string asUser(const std::string& user, const RedisCommand& command) {
    Redis redis(test::testRedisAs(user));
    auto reply = redis.command(command);
    if (reply.isError() && reply.str.rfind("NOPERM", 0) == 0) return "NOPERM";
    return reply.isError() ? reply.str : "ok";
  }

  Redis admin_{test::testRedis()};
};

TEST_F(RedisUsers, AConnectionWithoutAUserOrWithAWrongPasswordIsRefused) {
  RedisEndpoint anonymous = test::testRedis();
  anonymous.user.clear();
  anonymous.password.clear();
  auto reply = Redis(anonymous).command({"GET", gateway::audit_keys::kReads});
  ASSERT_TRUE(reply.isError());
  EXPECT_EQ(reply.str.rfind("NOAUTH", 0), 0u) << reply.str;

  RedisEndpoint guessed = test::testRedisAs("gateway");
  guessed.password = "not-the-password";
  try {
    Redis(guessed, std::chrono::milliseconds(200)).command({"PING"});
    ADD_FAILURE() << "a wrong password was let in";
  } catch (const RedisUnavailable& e) {
    std::string why = e.what();
    EXPECT_NE(why.find("WRONGPASS"), std::string::npos) << why;
    EXPECT_EQ(why.find("not-the-password"), std::string::npos) << "the password in an error";
  }
}

TEST_F(RedisUsers, TheGatewayAppendsToTheAuditButCannotDeleteOrTrimIt) {
  const std::string worker = "510703199005121230";
  gateway::AuditLog audit(test::testRedisAs("gateway"), 0, std::chrono::milliseconds(0));
  const gateway::ApiKey reader{"integrator-1", gateway::Role::kIntegrator};
  audit.record(reader, {"/v1/workers/{workerId}", {worker}, {"employment"}}, 1772424000);
  gateway::AuditQuery byWorker;
  byWorker.worker = worker;
  ASSERT_EQ(audit.page(byWorker)->entries.size(), 1u);

  const std::string perWorker = gateway::audit_keys::readsOf(worker);
  const std::string perKey = gateway::audit_keys::readsBy(reader.name);
  for (const RedisCommand& erase : std::vector<RedisCommand>{
           {"DEL", gateway::audit_keys::kReads},
           {"UNLINK", gateway::audit_keys::kReads},
           {"DEL", perWorker},
           {"DEL", perKey},
           {"XTRIM", gateway::audit_keys::kReads, "MAXLEN", "0"},
           {"XDEL", gateway::audit_keys::kReads, "0-1"},
           {"RENAME", gateway::audit_keys::kReads, "mwp:audit:gone"},
           {"FLUSHALL"},
           {"FLUSHDB"},
           {"CONFIG", "SET", "appendonly", "no"},
           {"ACL", "SETUSER", "gateway", "+@all"},
           {"EVAL", "return redis.call('DEL', KEYS[1])", "1", gateway::audit_keys::kReads}}) {
    EXPECT_EQ(asUser("gateway", erase), "NOPERM")
        << erase[0] << " " << (erase.size() > 1 ? erase[1] : "");
  }
  EXPECT_EQ(admin_.command({"XLEN", gateway::audit_keys::kReads}).integer, 1)
      << "the audit is whole";
  EXPECT_EQ(admin_.command({"XLEN", perWorker}).integer, 1);
  EXPECT_EQ(admin_.command({"XLEN", perKey}).integer, 1);
}

TEST_F(RedisUsers, AServiceReadsTheLogButWritesOnlyItsOwnState) {
  ASSERT_EQ(asUser("bus", {"XADD", keys::log(0), "1-0", "e", "frame"}), "ok");
  EXPECT_EQ(asUser("employment", {"XRANGE", keys::log(0), "-", "+"}), "ok");
  EXPECT_EQ(asUser("employment", {"SET", serviceKey("employment", "worker:x"), "{}"}), "ok");

  EXPECT_EQ(asUser("employment", {"XADD", keys::log(0), "2-0", "e", "forged"}), "NOPERM");
  EXPECT_EQ(asUser("employment", {"DEL", keys::log(0)}), "NOPERM");
  EXPECT_EQ(asUser("employment", {"SET", keys::sequence(0), "99"}), "NOPERM");
  EXPECT_EQ(asUser("employment", {"GET", serviceKey("health", "worker:x")}), "NOPERM")
      << "another service's records";
  EXPECT_EQ(asUser("employment", {"SET", keys::cursor("health", 0), "0"}), "NOPERM");
  EXPECT_EQ(asUser("employment", {"XRANGE", gateway::audit_keys::kReads, "-", "+"}), "NOPERM");
  EXPECT_EQ(asUser("employment", {"PUBLISH", "mwp:elsewhere", "x"}), "NOPERM");
  EXPECT_EQ(admin_.command({"XLEN", keys::log(0)}).integer, 1) << "the log as the bus wrote it";
}

TEST_F(RedisUsers, TheBusAndTheOperatorSeeNeitherRecordsNorTheAudit) {
  ASSERT_EQ(admin_.command({"SET", serviceKey("health", "worker:x"), "{}"}).str, "OK");
  for (const char* user : {"bus", "operator"}) {
    EXPECT_EQ(asUser(user, {"GET", serviceKey("health", "worker:x")}), "NOPERM") << user;
    EXPECT_EQ(asUser(user, {"XRANGE", gateway::audit_keys::kReads, "-", "+"}), "NOPERM") << user;
  }
  EXPECT_EQ(asUser("operator", {"XRANGE", keys::log(0), "-", "+"}), "ok");
  EXPECT_EQ(asUser("operator", {"XADD", keys::log(0), "1-0", "e", "forged"}), "NOPERM");
}

}  // namespace
}  // namespace mwp
