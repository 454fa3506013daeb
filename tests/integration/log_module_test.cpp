// The log's Redis module (services/bus/log_module, MWP.STORE_BATCH) against the Function it stands
// in for, on real redis-servers: the same replies and the same log, an append-only file that a
// Redis without the module replays, nothing written by a malformed call, and the bus on either.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bus.h"
#include "bus_client.h"
#include "event_log.h"
#include "fixtures.h"
#include "frames.h"
#include "test_env.h"

namespace mwp {
namespace {

using Status = msg::IngestReply::Status;

// A reply as text, nested arrays included, for comparing two servers' answers.
std::string text(const RedisReply& r) {
  switch (r.type) {
    case RedisReply::Type::kInteger: return ":" + std::to_string(r.integer);
    case RedisReply::Type::kNil: return "nil";
    case RedisReply::Type::kError: return "-" + r.str;
    case RedisReply::Type::kArray: {
      std::string out = "[";
      for (const auto& e : r.elements) out += text(e) + ",";
      return out + "]";
    }
    default: return "$" + r.str;
  }
}

// Everything the server holds, key by key: its type, its contents (a hash's fields sorted), and
// its expiry — the absolute time when `exactExpiry`, else only whether it has one (two servers
// given the same call a few milliseconds apart set different times).
std::map<std::string, std::string> contents(Redis& redis, bool exactExpiry) {
  std::map<std::string, std::string> out;
  for (const auto& key : redis.command({"KEYS", "*"}).elements) {
    std::string type = redis.command({"TYPE", key.str}).str;
    std::string value;
    if (type == "string") {
      value = text(redis.command({"GET", key.str}));
    } else if (type == "hash") {
      auto all = redis.command({"HGETALL", key.str}).elements;
      std::vector<std::string> fields;
      for (size_t i = 0; i + 1 < all.size(); i += 2) fields.push_back(all[i].str + "=" + all[i + 1].str);
      std::sort(fields.begin(), fields.end());
      for (const auto& f : fields) value += f + ";";
    } else if (type == "stream") {
      value = text(redis.command({"XRANGE", key.str, "-", "+"}));
    }
    int64_t expiry = redis.command({"PEXPIRETIME", key.str}).integer;
    out[key.str] = type + " " + value + " expiry " +
                   (exactExpiry ? std::to_string(expiry) : expiry > 0 ? "set" : "none");
  }
  return out;
}

// Real events (envelopes, digests, partitions as the bus reads them), kept where a RecordBatchCall
// may point at them.
struct Events {
  std::deque<bus::FrameVerdict> read;
  const bus::FrameVerdict& add(const std::string& line, const std::string& eventId) {
    read.push_back(bus::readFrame(test::frameOf(test::withEventId(line, eventId)),
                                  Catalogue::builtIn(), systemClock(), 4));
    EXPECT_EQ(read.back().reason, "") << eventId;
    return read.back();
  }
};

// The job fair of the fixtures with another attendance: other content, so another digest.
std::string otherFair() {
  std::string line = test::fixtureLines().at(2);
  line.replace(line.find("\"attendees\": 3000"), 17, "\"attendees\": 3001");
  return line;
}

// The batches of the comparison: new ids over several partitions, the same id twice in a batch
// (with the same content, and with other content), ids stored by an earlier batch (in the newest
// bucket, and in an older one) and an id reused with other content.
struct Batch {
  int64_t at;
  std::vector<const bus::FrameVerdict*> events;
};
std::vector<Batch> comparisonBatches(Events& events, const DedupWindow& window, int64_t t0) {
  auto lines = test::fixtureLines();
  std::vector<const bus::FrameVerdict*> fresh;
  for (int i = 0; i < 9; ++i) fresh.push_back(&events.add(lines.at(i % lines.size()), "lm-" + std::to_string(i)));
  const auto* fair = &events.add(lines.at(2), "lm-fair");
  const auto* fairReused = &events.add(otherFair(), "lm-fair");
  std::vector<Batch> batches;
  batches.push_back({t0, {fresh[0], fresh[1], fresh[2], fresh[3], fair, fresh[0], fairReused, fresh[4]}});
  batches.push_back({t0 + 1, {fresh[2], fresh[5], fresh[6], fresh[5], fairReused}});
  // Two buckets later: the first batch's ids are in an older bucket now.
  batches.push_back({t0 + 2 * window.bucketSeconds(), {fresh[0], fairReused, fresh[7], fresh[8], fresh[7]}});
  return batches;
}

std::vector<RedisReply> store(Redis& redis, const DedupWindow& window, const Batch& batch,
                              BatchStore via) {
  RecordBatchCall call(window, batch.at);
  for (const auto* e : batch.events) call.add(e->partition, e->eventId, e->digest, e->envelope);
  RedisPipeline pipeline;
  call.appendTo(pipeline, via);
  auto replies = redis.pipeline(pipeline);
  EXPECT_FALSE(replies.at(0).isError()) << replies.at(0).str;
  return replies;
}

TEST(LogModule, AnswersAndStoresExactlyAsTheFunction) {
  test::OwnRedis withoutModule({}, test::LogModule::kNotLoaded);
  test::OwnRedis withModule;
  Redis viaFunction(withoutModule.endpoint()), viaModule(withModule.endpoint());
  viaFunction.addFunctionLibrary(kLogFunctions);
  DedupWindow window{3600};
  Events events;
  auto batches = comparisonBatches(events, window, systemClock());
  std::set<uint32_t> partitions;
  for (const auto* e : batches[0].events) partitions.insert(e->partition);
  ASSERT_GE(partitions.size(), 2u) << "the comparison needs several partitions in one batch";

  std::vector<std::vector<RecordBatchCall::Outcome>> outcomes;
  for (const auto& batch : batches) {
    auto byFunction = store(viaFunction, window, batch, BatchStore::kFunction);
    auto byModule = store(viaModule, window, batch, BatchStore::kModuleCommand);
    EXPECT_EQ(text(byModule.at(0)), text(byFunction.at(0)));
    RecordBatchCall call(window, batch.at);
    for (const auto* e : batch.events) call.add(e->partition, e->eventId, e->digest, e->envelope);
    outcomes.push_back(call.outcomes(byModule.at(0)));
  }
  EXPECT_EQ(contents(viaModule, false), contents(viaFunction, false));

  // And what the replies say is right, not only alike.
  const auto& first = outcomes[0];
  ASSERT_TRUE(first[0].stored);
  ASSERT_TRUE(first[5].before) << "the same id twice in a batch: the second gets the first's place";
  EXPECT_EQ(first[5].before->sequence, *first[0].stored);
  ASSERT_TRUE(first[6].before);
  EXPECT_EQ(first[6].before->digest, batches[0].events[4]->digest) << "the first content's digest";
  ASSERT_TRUE(outcomes[1][0].before) << "stored by the batch before, in the newest bucket";
  ASSERT_TRUE(outcomes[2][0].before) << "stored two buckets ago, in an older bucket";
  EXPECT_EQ(outcomes[2][0].before->sequence, *first[0].stored);
  EXPECT_TRUE(outcomes[2][2].stored);
  EXPECT_TRUE(outcomes[2][4].before);
  for (uint32_t p : partitions) {
    auto log = readLog(viaModule, p, 1, 1000);
    EXPECT_FALSE(log.empty());
    for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].sequence, i + 1);
  }
}

// Replicated by its effects: the append-only file holds plain commands, which a Redis without the
// module replays into the same keys, expiry times and log.
TEST(LogModule, ItsAppendOnlyFileReplaysInARedisWithoutIt) {
  test::OwnRedis withModule({"--appendfsync", "always"});
  std::map<std::string, std::string> before;
  std::map<uint32_t, std::vector<std::string>> logs;
  {
    Redis redis(withModule.endpoint());
    redis.addFunctionLibrary(kLogFunctions);
    DedupWindow window{3600};
    Events events;
    for (const auto& batch : comparisonBatches(events, window, systemClock())) {
      store(redis, window, batch, BatchStore::kModuleCommand);
    }
    before = contents(redis, true);
    for (uint32_t p = 0; p < 4; ++p) {
      for (const auto& e : readLog(redis, p, 1, 1000)) logs[p].push_back(e.envelope);
    }
  }
  ASSERT_FALSE(logs.empty());
  withModule.process().kill9();
  namespace fs = std::filesystem;
  std::string aof;
  for (const auto& f : fs::directory_iterator(withModule.dir() + "/appendonlydir")) {
    std::ifstream in(f.path(), std::ios::binary);
    aof += std::string(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(aof.find("mwp.store_batch"), std::string::npos) << "the command itself is not logged";
  EXPECT_NE(aof.find("XADD"), std::string::npos);

  test::OwnRedis withoutModule({}, test::LogModule::kNotLoaded);
  withoutModule.process().kill9();
  fs::remove_all(withoutModule.dir() + "/appendonlydir");
  fs::copy(withModule.dir() + "/appendonlydir", withoutModule.dir() + "/appendonlydir");
  withoutModule.process().start();
  Redis replayed(withoutModule.endpoint());
  test::untilAvailable([&] { return replayed.command({"PING"}); });
  EXPECT_EQ(contents(replayed, true), before);
  for (const auto& [p, envelopes] : logs) {
    std::vector<std::string> again;
    for (const auto& e : readLog(replayed, p, 1, 1000)) again.push_back(e.envelope);
    EXPECT_EQ(again, envelopes) << "partition " << p;
  }
}

// A call the module refuses writes nothing, whichever check refuses it — also the ones the
// Function would only have met after its first writes (a key of the wrong type).
TEST(LogModule, AMalformedCallWritesNothing) {
  test::OwnRedis withModule;
  Redis redis(withModule.endpoint());
  redis.command({"HSET", "mwp:test:not-a-sequence", "a", "b"});
  redis.command({"SET", "mwp:test:not-a-log", "x"});
  // A sequence the call's two events would take past the largest a sequence may be.
  redis.command({"SET", "mwp:test:seq-at-the-end", std::to_string(INT64_MAX - 1)});
  RedisCommand valid{"MWP.STORE_BATCH", "3", "mwp:test:bucket", "mwp:test:seq", "mwp:test:log",
                     "1", "60", "0", "2", "id-1", "d1", "envelope-1", "id-2", "d2", "envelope-2"};
  auto stored = redis.command(valid);
  ASSERT_EQ(text(stored), "[:1,:2,]");
  auto before = contents(redis, true);

  auto with = [&](std::map<size_t, std::string> changes) {
    RedisCommand c = valid;
    for (auto& [at, value] : changes) c[at] = std::move(value);
    for (auto& arg : c) {
      if (arg.rfind("id-", 0) == 0) arg = "new-" + arg;  // ids that would be stored
    }
    return c;
  };
  RedisCommand extraArgument = with({});
  extraArgument.push_back("stray");
  // Each with a fresh sequence key and log where the case is about something else, so that no
  // other check refuses it first.
  std::vector<std::pair<std::string, RedisCommand>> malformed{
      {"numkeys not a number", with({{1, "three"}})},
      {"numkeys past the arguments", with({{1, "30"}})},
      {"no buckets", with({{5, "0"}})},
      {"buckets leaving an odd key", with({{5, "2"}})},
      {"no expiry", with({{6, "0"}})},
      {"more events announced than given", with({{8, "3"}})},
      {"an argument after the last event", extraArgument},
      {"two partitions for one key pair", with({{8, "1"}})},
      {"a sequence key that is a hash", with({{3, "mwp:test:not-a-sequence"}, {4, "mwp:test:log-2"}})},
      {"a log that is a string", with({{3, "mwp:test:seq-2"}, {4, "mwp:test:not-a-log"}})},
      {"a bucket that is a string", with({{2, "mwp:test:not-a-log"}, {3, "mwp:test:seq-2"}, {4, "mwp:test:log-2"}})},
      {"a log ahead of its sequence key", with({{3, "mwp:test:seq-2"}})},
      {"sequences past the largest", with({{3, "mwp:test:seq-at-the-end"}, {4, "mwp:test:log-2"}})},
      // A key given twice: two handles on one key, which would make Redis add it twice (an
      // assertion that stops the server) or free a value the other handle still points at.
      {"the log is the sequence key", with({{3, "mwp:test:seq-2"}, {4, "mwp:test:seq-2"}})},
      {"the bucket is the log", with({{2, "mwp:test:log-2"}, {3, "mwp:test:seq-2"}, {4, "mwp:test:log-2"}})},
      {"the bucket is the sequence key", with({{2, "mwp:test:seq-2"}, {3, "mwp:test:seq-2"}, {4, "mwp:test:log-2"}})},
      {"two partitions sharing a log",
       {"MWP.STORE_BATCH", "5", "mwp:test:bucket", "mwp:test:seq-2", "mwp:test:log-2",
        "mwp:test:seq-3", "mwp:test:log-2", "1", "60", "0", "1", "new-id-1", "d1", "envelope-1",
        "1", "1", "new-id-2", "d2", "envelope-2"}},
      {"two partitions sharing a sequence key",
       {"MWP.STORE_BATCH", "5", "mwp:test:bucket", "mwp:test:seq-2", "mwp:test:log-2",
        "mwp:test:seq-2", "mwp:test:log-3", "1", "60", "0", "1", "new-id-1", "d1", "envelope-1",
        "1", "1", "new-id-2", "d2", "envelope-2"}},
  };
  for (const auto& [what, call] : malformed) {
    auto reply = redis.command(call);
    EXPECT_TRUE(reply.isError()) << what << ": " << text(reply);
    if (reply.str.find("wrong number") == std::string::npos) {
      EXPECT_NE(reply.str.find(" / "), std::string::npos) << what << ": Chinese / English: " << reply.str;
    }
    EXPECT_EQ(redis.command({"PING"}).str, "PONG") << what << ": Redis is still there";
    EXPECT_EQ(contents(redis, true), before) << what;
  }
}

// Its keys are declared (by their count, as FCALL's): COMMAND GETKEYS names them, and ACL key
// patterns hold — the bus's user may not write outside mwp's keys through it.
TEST(LogModule, DeclaresItsKeysForAclAndGetkeys) {
  test::OwnRedis withModule;
  Redis admin(withModule.endpoint());
  RedisCommand call{"MWP.STORE_BATCH", "3", "mwp:dedup:bucket:1", "mwp:seq:0", "other:log",
                    "1", "60", "0", "1", "id-1", "d1", "envelope-1"};
  RedisCommand getkeys{"COMMAND", "GETKEYS"};
  getkeys.insert(getkeys.end(), call.begin(), call.end());
  EXPECT_EQ(text(admin.command(getkeys)), "[$mwp:dedup:bucket:1,$mwp:seq:0,$other:log,]");
  if (test::redisSecrets().empty()) GTEST_SKIP() << "no ACL users (run under ops/test.sh)";
  Redis bus(test::loggedInAs(withModule.endpoint(), "bus"));
  auto refused = bus.command(call);
  EXPECT_TRUE(refused.isError());
  EXPECT_NE(refused.str.find("NOPERM"), std::string::npos) << refused.str;
  EXPECT_EQ(admin.command({"EXISTS", "mwp:seq:0"}).integer, 0);
}

// The bus asks at each connection which store this Redis has: the module's command where it is
// loaded, the Function elsewhere (a Redis without it, a replica promoted without it).
TEST(LogModule, TheBusStoresWithTheModuleWhereLoadedAndWithTheFunctionElsewhere) {
  for (auto module : {test::LogModule::kLoaded, test::LogModule::kNotLoaded}) {
    bool loaded = module == test::LogModule::kLoaded;
    SCOPED_TRACE(loaded ? "with the module" : "without it");
    test::OwnRedis redis({}, module);
    test::BusThread bus(4, test::loggedInAs(redis.endpoint(), "bus"), {});
    zmq::context_t context;
    Publisher publisher(context, bus.ingest);
    std::string frame = test::frameOf(test::fixtureLines().at(2));
    EXPECT_EQ(publisher.publish(frame).status, Status::ACK);
    EXPECT_EQ(publisher.publish(frame).status, Status::DUPLICATE);
    EXPECT_EQ(publisher.publish(test::frameOf(otherFair())).status, Status::NACK);
    Redis admin(redis.endpoint());
    std::string stats = admin.command({"INFO", "commandstats"}).str;
    bool byModule = stats.find("cmdstat_mwp.store_batch:calls=3") != std::string::npos;
    bool byFunction = stats.find("cmdstat_fcall:calls=3") != std::string::npos;
    EXPECT_EQ(byModule, loaded) << stats;
    EXPECT_EQ(byFunction, !loaded) << stats;
  }
}

// A bus user with the bus's rights but one: `right` ("+command|info"), made by the admin from the
// bus's line of ACL LIST, with the bus's password.
RedisEndpoint busWithout(const test::OwnRedis& redis, const std::string& right) {
  Redis admin(redis.endpoint());
  std::string line;
  for (const auto& user : admin.command({"ACL", "LIST"}).elements) {
    if (user.str.rfind("user bus ", 0) == 0) line = user.str;
  }
  std::string name = "bus-without-" + right.substr(1);
  std::replace(name.begin(), name.end(), '|', '-');
  RedisCommand setUser{"ACL", "SETUSER", name, "reset"};
  std::istringstream rules(line.substr(std::string("user bus ").size()));
  int left = 0;
  for (std::string rule; rules >> rule;) {
    if (rule == right) {
      ++left;
    } else {
      setUser.push_back(rule);
    }
  }
  EXPECT_EQ(left, 1) << "the bus's rights name " << right << ": " << line;
  auto made = admin.command(setUser);
  EXPECT_FALSE(made.isError()) << made.str;
  RedisEndpoint endpoint = test::loggedInAs(redis.endpoint(), "bus");
  endpoint.user = name;
  return endpoint;
}

// A user that may not ask COMMAND INFO, or may not run the module's command where it is loaded:
// the bus stores with the Function (once refused, that connection asks the module no more).
TEST(LogModule, TheBusStoresWithTheFunctionWhenItsUserMayNotAskOrMayNotRunTheModule) {
  if (test::redisSecrets().empty()) GTEST_SKIP() << "no ACL users (run under ops/test.sh)";
  for (std::string right : {"+command|info", "+mwp.store_batch"}) {
    SCOPED_TRACE("without " + right);
    test::OwnRedis redis;
    test::BusThread bus(4, busWithout(redis, right), {});
    zmq::context_t context;
    PublisherOptions patience;  // gives up within seconds: a test that fails, not one that hangs
    patience.replyTimeout = std::chrono::milliseconds(1000);
    patience.attempts = 3;
    Publisher publisher(context, bus.ingest, patience);
    std::string frame = test::frameOf(test::fixtureLines().at(2));
    try {
      EXPECT_EQ(publisher.publish(frame).status, Status::ACK);
      EXPECT_EQ(publisher.publish(test::frameOf(test::fixtureLines().at(3))).status, Status::ACK);
      EXPECT_EQ(publisher.publish(frame).status, Status::DUPLICATE);
    } catch (const BusUnreachable& e) {
      ADD_FAILURE() << "never answered: " << e.what();
    }
    Redis admin(redis.endpoint());
    std::string stats = admin.command({"INFO", "commandstats"}).str;
    EXPECT_NE(stats.find("cmdstat_fcall:calls=3,"), std::string::npos) << stats;
    auto module = stats.find("cmdstat_mwp.store_batch:");
    std::string moduleStats =
        module == std::string::npos ? "" : stats.substr(module, stats.find('\r', module) - module);
    if (right == "+command|info") {
      EXPECT_EQ(moduleStats, "") << "not tried: COMMAND INFO could not name it";
    } else {
      EXPECT_NE(moduleStats.find(":calls=0,"), std::string::npos) << moduleStats;
      EXPECT_NE(moduleStats.find("rejected_calls=1,"), std::string::npos)
          << "refused once, then not asked again on that connection: " << moduleStats;
    }
  }
}

}  // namespace
}  // namespace mwp
