// The example of docs/ingest.md, tools/examples/python/publish.py, run as a department system
// runs it: Debian's Python and python3-zmq, a department's CurveZMQ key, against the real bus
// binary and Redis. What it prints must be what the bus stored.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "curve.h"
#include "event_log.h"
#include "frames.h"
#include "redis.h"
#include "state_keys.h"
#include "test_env.h"

namespace mwp {
namespace {

class PythonExample : public ::testing::Test {
 protected:
  void SetUp() override {
    test::flushRedis();
    dir_ = testing::TempDir() + "python_example_";
    auto bus = newCurveKeys();
    auto hrss = newCurveKeys();
    // The files `mwpctl keygen curve` writes: the department keeps its pair, the bus lists its
    // public key; the department is given the bus's public key.
    writeCurveKeys(dir_ + "bus.key", bus, "test bus");
    writeCurveKeys(dir_ + "bus.pub", {bus.publicKey, ""}, "test bus");
    writeCurveKeys(dir_ + "hrss.key", hrss, "test department");
    std::ofstream(dir_ + "clients") << "hrss " << hrss.publicKey << "\n";
    startBus(test::testRedis());
  }

  // A bus with CURVE on `redis`, on a free ingest endpoint, with `env` besides; any bus started
  // before is killed.
  void startBus(const RedisEndpoint& redis, std::map<std::string, std::string> env = {}) {
    ingest_ = test::freeEndpoint();
    env.insert({{"MWP_BUS_INGEST_BIND", ingest_},
                {"MWP_BUS_PUBLISH_BIND", test::freeEndpoint()},
                {"MWP_BUS_ADMIN_PORT", "0"},
                {"MWP_PARTITION_COUNT", "4"},
                {"MWP_REDIS_PORT", std::to_string(redis.port)},
                {"MWP_KEY_FILE", dir_ + "bus.key"},
                {"MWP_CURVE_CLIENTS", dir_ + "clients"}});
    bus_ = std::make_unique<test::ChildProcess>(MWP_BUS_BINARY, std::move(env));
    // No wait for the bus to bind: ZeroMQ queues what the script sends until it connects.
    bus_->start();
  }

  // The script on NDJSON `input`, as the hrss department unless `ownKey` says otherwise, with the
  // bus's public key unless `serverKey` does.
  test::CommandLines publish(const std::string& input, const std::string& options = "",
                             const std::string& serverKey = "bus.pub",
                             const std::string& ownKey = "hrss.key") {
    std::string path = dir_ + "events.ndjson";
    std::ofstream(path) << input;
    return test::outputLines(std::string(MWP_PYTHON_EXAMPLE) + " --bus " + ingest_ + " --key " +
                             dir_ + ownKey + " --server-key " + dir_ + serverKey + " --schema " +
                             MWP_SCHEMA_DIR + " " + options + " " + path);
  }

  // The stored event at "<partition>:<sequence>", the end of an ACK or DUP line; "" if none.
  static std::string storedAt(const std::string& line,
                              const RedisEndpoint& endpoint = test::testRedis()) {
    std::istringstream words(line.substr(line.rfind(' ') + 1));
    uint32_t partition = 0;
    uint64_t sequence = 0;
    char colon = 0;
    words >> partition >> colon >> sequence;
    Redis redis(endpoint);
    auto logged = readLog(redis, partition, sequence, 1);
    if (logged.empty() || logged[0].sequence != sequence) return "";
    return logged[0].envelope;
  }

  static size_t storedEvents() {
    Redis redis(test::testRedis());
    size_t n = 0;
    for (uint32_t p = 0; p < 4; ++p) n += readLog(redis, p, 1, 1000).size();
    return n;
  }

  // What the bus stores for a JSON event: its canonical form, as mwpctl and the gateway make it.
  static std::string canonicalOf(const std::string& json) {
    auto frame = test::frameOf(json);
    FrameReader reader(frame);
    return canonicalFrame(reader.root<msg::Envelope>());
  }

  std::string dir_, ingest_;
  std::unique_ptr<test::ChildProcess> bus_;
};

TEST_F(PythonExample, IsAnsweredAckDupAndNackAndPrintsWhereTheBusStoredEachEvent) {
  auto fixtures = test::fixtureLines();
  const std::string& registered = fixtures[0];  // workerRegistered, sent by hrss
  const std::string& fair = fixtures[2];        // jobFairHeld, sent by hrss
  std::string noPhone = registered;
  noPhone.replace(noPhone.find("\"13800000000\""), 13, "\"\"");
  noPhone.replace(noPhone.find("fixture-01-workerRegistered"), 27, "no-phone");

  auto run = publish(registered + "\n" + fair + "\n" + noPhone + "\n" + registered + "\n");
  ASSERT_EQ(run.lines.size(), 4u) << ::testing::PrintToString(run.lines);
  EXPECT_EQ(run.lines[0].rfind("ACK fixture-01-workerRegistered ", 0), 0u) << run.lines[0];
  EXPECT_EQ(run.lines[1].rfind("ACK fixture-03-jobFairHeld ", 0), 0u) << run.lines[1];
  // The reason names the field at fault first; its words are the bus's to improve.
  EXPECT_EQ(run.lines[2].rfind("NACK no-phone workerRegistered.phone: ", 0), 0u) << run.lines[2];
  // The same event again in the same run: answered with the original's place.
  EXPECT_EQ(run.lines[3], "DUP" + run.lines[0].substr(3));
  EXPECT_EQ(run.exitCode, 65);

  // The places it printed are where the bus stored each event, byte for byte what mwp's own
  // senders would have sent: the example's frames are the same events.
  EXPECT_EQ(storedAt(run.lines[0]), canonicalOf(registered));
  EXPECT_EQ(storedAt(run.lines[1]), canonicalOf(fair));
  EXPECT_EQ(storedEvents(), 2u);

  // Sending the whole file again, as after an answer lost: nothing is stored twice.
  auto again = publish(registered + "\n" + fair + "\n");
  ASSERT_EQ(again.lines.size(), 2u) << ::testing::PrintToString(again.lines);
  EXPECT_EQ(again.lines[0], run.lines[3]);
  EXPECT_EQ(again.lines[1], "DUP" + run.lines[1].substr(3));
  EXPECT_EQ(again.exitCode, 0);
  EXPECT_EQ(storedEvents(), 2u);
}

TEST_F(PythonExample, RefusesAFieldTheSchemaLacksInsteadOfSendingTheEventWithoutIt) {
  // capnp's JSON reader drops a member the schema does not have. Here the bus would store the
  // update without its (optional) employer; the example notices and sends nothing.
  std::string misspelt = test::fixtureLines()[1];  // workerUpdated
  misspelt.replace(misspelt.find("\"employed\""), 10,
                   "\"employerKode\": \"91512081MA62K0260E\", \"employed\"");
  auto run = publish(misspelt + "\n");
  ASSERT_EQ(run.lines.size(), 1u) << ::testing::PrintToString(run.lines);
  EXPECT_EQ(run.lines[0],
            "NACK fixture-02-workerUpdated workerUpdated.employerKode: unknown field");
  EXPECT_EQ(run.exitCode, 65);
  EXPECT_EQ(storedEvents(), 0u);
}

TEST_F(PythonExample, ResendsWhatTheBusLeftUnansweredAndIsAnsweredDup) {
  // A bus that must have each batch on a replica before it answers (MWP_ACK_REPLICAS), and no
  // replica yet: it stores the event but leaves it unanswered. The script, hearing nothing,
  // sends it again; once a replica has it, the resend is answered: DUP, the first sending's place.
  // Without the resend nothing would ever be answered. (The primary starts a replica's full
  // sync at once, not after Redis's default 5 s wait for more replicas.)
  test::OwnRedis primary({"--repl-diskless-sync-delay", "0"});
  startBus(primary.endpoint(), {{"MWP_ACK_REPLICAS", "1"}, {"MWP_ACK_REPLICA_WAIT_MS", "1"}});
  std::unique_ptr<test::OwnRedis> replica;
  std::thread replicate([&] {
    // Once the bus has stored the event, its 1 ms WAIT has found no replica: then one comes.
    Redis redis(primary.endpoint());
    auto stored = [&] {
      return findStored(redis, DedupWindow{}, "fixture-01-workerRegistered", systemClock())
          .has_value();
    };
    for (int i = 0; i < 500 && !stored(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    replica = std::make_unique<test::OwnRedis>(
        std::vector<std::string>{"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  });
  // Five silences of 1 s before it gives up; the replica is in sync within about one.
  auto run = publish(test::fixtureLines()[0] + "\n", "--timeout 1000");
  replicate.join();
  ASSERT_EQ(run.lines.size(), 1u) << ::testing::PrintToString(run.lines);
  EXPECT_EQ(run.lines[0].rfind("DUP fixture-01-workerRegistered ", 0), 0u) << run.lines[0];
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_EQ(storedAt(run.lines[0], primary.endpoint()), canonicalOf(test::fixtureLines()[0]));
}

TEST_F(PythonExample, ExitsWith69WhenTheBusNeverAnswersAndSaysWhatTheHandshakeShowed) {
  // A key the bus does not list, and the wrong server key: the bus never sees a frame either way,
  // but the client's handshake tells which. Its one line on stderr is read with the others.
  writeCurveKeys(dir_ + "stranger.key", newCurveKeys(), "not listed at the bus");
  std::string event = test::fixtureLines()[0] + "\n";
  auto saysWhy = [&](const test::CommandLines& run, const std::string& why) {
    ASSERT_EQ(run.lines.size(), 1u) << ::testing::PrintToString(run.lines);
    EXPECT_EQ(run.lines[0],
              "publish.py: no answer from the bus at " + ingest_ + " after 5 attempts: " + why);
    EXPECT_EQ(run.exitCode, 69);
  };
  saysWhy(publish(event, "--timeout 100 2>&1", "bus.pub", "stranger.key"),
          "the bus refused this key: is its public key listed at the bus under this department's "
          "name?");
  saysWhy(publish(event, "--timeout 100 2>&1", "hrss.key"),
          "the CURVE handshake failed: is --server-key the bus's public key?");
  EXPECT_EQ(storedEvents(), 0u);
}

}  // namespace
}  // namespace mwp
