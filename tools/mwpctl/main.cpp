// mwpctl: the command line for clerks and operators.
//   mwpctl publish [--bus ENDPOINT] [--timeout MS] [FILE…]
//                                 JSON events, one per line (stdin without FILE), through the
//                                 acknowledged ingest; one line out per event:
//                                   ACK <eventId> <partition>:<seq> | DUP … | NACK <eventId>
//                                   <reason>
//                                 exit 0: none refused, 65: some refused, 69: bus unreachable
//                                 (silent for 5 × MS, default 2000)
//   mwpctl tail [--from SEQ] [--partition P] [--follow]
//                                 the stored log as JSON lines, from sequence SEQ (default 1)
//   mwpctl catalogue [--markdown] the measure catalogue (docs/measures.md is its markdown)
//   mwpctl simulate [--workers N] [--seed S] [--year Y] [--print]
//                                 a simulated year through the bus (or as NDJSON with --print)
//   mwpctl measures [--gateway URL] [--key KEY] [--year Y]
//                                 the 30 measures' value, target and progress, from the gateway
//   mwpctl keygen curve NAME DIR  a CurveZMQ key pair: DIR/NAME.key (secret) and DIR/NAME.pub
//   mwpctl keygen api NAME ROLE [DEPARTMENT]
//                                 a new API key on stdout, and on stderr the line for the
//                                 gateway's keys file (which keeps only the key's SHA-256)
// Endpoints: --bus ENDPOINT or MWP_BUS_INGEST; MWP_BUS_PUBLISH, MWP_REDIS_HOST/PORT for tail.
// Keys: MWP_KEY_FILE (this sender's CurveZMQ key) and MWP_BUS_SERVER_KEY_FILE (the bus's).
#include <capnp/compat/json.h>
#include <httplib.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <variant>

#include "api_keys.h"
#include "bus_client.h"
#include "catalogue.h"
#include "event_json.h"
#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "indicator_exporter.h"
#include "process.h"
#include "rules.h"
#include "simulate.h"

namespace mwp {
namespace {

constexpr int kExitRefused = 65;      // EX_DATAERR
constexpr int kExitUnreachable = 69;  // EX_UNAVAILABLE
constexpr int kExitUsage = 64;        // EX_USAGE
constexpr size_t kChunk = 2000;       // lines held in memory at once

struct Line {
  std::string eventId;
  std::string frame;   // set when the line decoded
  std::string reason;  // set when it did not
};

const char* statusWord(msg::IngestReply::Status s) {
  switch (s) {
    case msg::IngestReply::Status::ACK:
      return "ACK";
    case msg::IngestReply::Status::DUPLICATE:
      return "DUP";
    default:
      return "NACK";
  }
}

Line decodeLine(const std::string& text) {
  auto decoded = decodeEventJson(text);
  if (auto* error = std::get_if<JsonError>(&decoded)) return {error->eventId, "", error->reason};
  auto& event = std::get<DecodedEvent>(decoded);
  return {event.envelope().getEventId().cStr(), toBytes(*event.message), ""};
}

// Publishes one chunk of lines; calls `answer(status word, line, result)` for each, in input order
// (result is null for a line that did not decode). Returns how many were refused.
size_t publishChunk(
    Publisher& publisher, std::vector<Line>& lines,
    const std::function<void(const char*, const Line&, const IngestResult*)>& answer) {
  std::vector<std::string> frames;
  for (const auto& l : lines) {
    if (!l.frame.empty()) frames.push_back(l.frame);
  }
  auto results = publisher.publish(frames);
  size_t refused = 0, next = 0;
  for (const auto& l : lines) {
    const IngestResult* r = l.frame.empty() ? nullptr : &results[next++];
    const char* word = r ? statusWord(r->status) : "NACK";
    if (std::string(word) == "NACK") ++refused;
    answer(word, l, r);
  }
  lines.clear();
  return refused;
}

void printAnswer(const char* word, const Line& l, const IngestResult* r) {
  if (!r) {
    std::cout << "NACK " << l.eventId << " " << l.reason << "\n";
  } else if (r->status == msg::IngestReply::Status::NACK) {
    std::cout << "NACK " << l.eventId << " " << r->reason << "\n";
  } else {
    std::cout << word << " " << l.eventId << " " << r->partition << ":" << r->sequence << "\n";
  }
}

int publish(const std::vector<std::string>& files, const std::string& endpoint,
            PublisherOptions options) {
  zmq::context_t context;
  Publisher publisher(context, endpoint, options);
  std::vector<Line> lines;
  size_t refused = 0;
  auto readFrom = [&](std::istream& in) {
    std::string text;
    while (std::getline(in, text)) {
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      lines.push_back(decodeLine(text));
      if (lines.size() >= kChunk) refused += publishChunk(publisher, lines, printAnswer);
    }
  };
  try {
    if (files.empty()) {
      readFrom(std::cin);
    } else {
      for (const auto& f : files) {
        std::ifstream in(f);
        if (!in) {
          std::cerr << "mwpctl: cannot read " << f << "\n";
          return kExitUsage;
        }
        readFrom(in);
      }
    }
    refused += publishChunk(publisher, lines, printAnswer);
    std::cout.flush();
  } catch (const BusUnreachable& e) {
    std::cerr << "mwpctl: " << e.what() << "\n";
    return kExitUnreachable;
  }
  return refused ? kExitRefused : 0;
}

// A simulated year through the bus, with a progress bar on stderr; or, with --print, as NDJSON.
int simulateCommand(const simulate::Options& options, bool print, const std::string& endpoint,
                    const PublisherOptions& publisherOptions) {
  auto events = simulate::simulateYear(options);
  if (print) {
    for (const auto& e : events) std::cout << e << "\n";
    return 0;
  }
  zmq::context_t context;
  Publisher publisher(context, endpoint, publisherOptions);
  std::map<std::string, size_t> counts;
  std::vector<Line> lines;
  size_t done = 0;
  auto progress = [&] {
    int width = 40, filled = static_cast<int>(width * done / std::max<size_t>(1, events.size()));
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << done << "/" << events.size() << std::flush;
  };
  try {
    for (size_t i = 0; i < events.size(); ++i) {
      lines.push_back(decodeLine(events[i]));
      if (lines.size() >= kChunk || i + 1 == events.size()) {
        done += lines.size();
        publishChunk(publisher, lines,
                     [&](const char* word, const Line&, const IngestResult*) { ++counts[word]; });
        progress();
      }
    }
  } catch (const BusUnreachable& e) {
    std::cerr << "\nmwpctl: " << e.what() << "\n";
    return kExitUnreachable;
  }
  std::cerr << "\n"
            << events.size() << " events: " << counts["ACK"] << " stored, " << counts["DUP"]
            << " already stored, " << counts["NACK"]
            << " refused by the bus (a few on purpose: IDs with a wrong check digit)\n";
  return 0;
}

// The 30 measures as the gateway reports them, one line per indicator with a target.
int measuresCommand(const std::string& url, const std::string& key, int year) {
  auto colon = url.rfind(':');
  httplib::Client client(url.substr(7, colon - 7), std::stoi(url.substr(colon + 1)));
  auto r = client.Get("/v1/measures" + std::string(year ? "?year=" + std::to_string(year) : ""),
                      {{"Authorization", "Bearer " + key}});
  if (!r || r->status != 200) {
    std::cerr << "mwpctl: the gateway at " << url << " answered "
              << (r ? std::to_string(r->status) : "nothing") << "\n";
    return kExitUnreachable;
  }
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<capnp::JsonValue>();
  capnp::JsonCodec().decodeRaw(kj::ArrayPtr<const char>(r->body.data(), r->body.size()), root);
  auto member = [](capnp::JsonValue::Reader object, const char* name) -> capnp::JsonValue::Reader {
    for (auto f : object.getObject()) {
      if (f.getName() == name) return f.getValue();
    }
    return capnp::JsonValue::Reader();
  };
  auto text = [](capnp::JsonValue::Reader v) -> std::string {
    if (v.isString()) return v.getString().cStr();
    if (v.isNumber()) {
      std::ostringstream out;
      out << v.getNumber();
      return out.str();
    }
    return "–";
  };
  printf("%-34s %14s %10s %9s\n", "措施 measure / indicator", "value", "target", "progress");
  for (auto m : member(root.asReader(), "measures").getArray()) {
    printf("%2s %s  %s\n", text(member(m, "number")).c_str(), text(member(m, "titleZh")).c_str(),
           text(member(m, "titleEn")).c_str());
    for (auto i : member(m, "indicators").getArray()) {
      if (text(member(i, "area")) != "all") continue;
      auto target = member(i, "target");
      std::string progress;
      if (target.isNumber() && target.getNumber() > 0) {
        char buf[16];
        snprintf(buf, sizeof buf, "%.0f%%",
                 100 * member(i, "value").getNumber() / target.getNumber());
        progress = buf;
      } else if (target.isNumber()) {
        progress = member(i, "value").getNumber() <= target.getNumber() ? "met" : "BREACHED";
      }
      printf("     %-29s %14s %10s %9s\n", text(member(i, "indicator")).c_str(),
             text(member(i, "value")).c_str(), text(target).c_str(), progress.c_str());
    }
  }
  return 0;
}

void printEvent(const LoggedEvent& e) {
  FrameReader reader(e.envelope);
  std::cout << "{\"partition\":" << e.partition << ",\"sequence\":" << e.sequence
            << ",\"event\":" << encodeEventJson(reader.root<msg::Envelope>()) << "}\n";
}

int tail(uint64_t from, std::optional<uint32_t> only, bool follow, Env& env) {
  uint32_t count = partitionCountFromEnv(env);
  Redis redis(redisFromEnv(env));
  std::string publishEndpoint = env.text("MWP_BUS_PUBLISH", "tcp://127.0.0.1:7102", "bus PUB");
  std::map<uint32_t, uint64_t> cursors;
  for (uint32_t p = 0; p < count; ++p) {
    if (!only || *only == p) cursors[p] = from > 0 ? from - 1 : 0;
  }
  zmq::context_t context;
  EventFollower follower(context, publishEndpoint, redis, cursors, curveClientFromEnv(env));
  installStopSignals();
  while (!stopRequested()) {
    auto events = follower.poll(std::chrono::milliseconds(200), 1000);
    for (const auto& e : events) printEvent(e);
    std::cout.flush();
    if (!follow && events.empty()) break;
  }
  return 0;
}

// docs/measures.md: each measure and indicator links to the file whose rules decide it (the
// catalogue's rulesFile and decidedIn), relative to docs/.
void printMarkdown(const Catalogue& catalogue) {
  std::cout << "# The 30 measures\n\nGenerated by `mwpctl catalogue --markdown` from "
               "`common/catalogue.json`; edit that file, not this one.\n\n"
               "| # | measure | lead | service | kinds | indicators (target) |\n"
               "|---|---|---|---|---|---|\n";
  auto link = [](const std::string& text, capnp::Text::Reader file) {
    return "[" + text + "](../" + file.cStr() + ")";
  };
  for (auto m : catalogue.data().getMeasures()) {
    std::string lead, kinds, indicators;
    for (auto d : m.getLead()) lead += (lead.empty() ? "" : "、") + catalogue.departmentName(d);
    for (auto k : m.getKinds())
      kinds += (kinds.empty() ? "`" : ", `") + std::string(k.cStr()) + "`";
    for (auto a : m.getActivities()) kinds += std::string(" ·") + a.cStr();
    for (auto i : m.getIndicators()) {
      auto decidedIn = i.getDecidedIn().size() > 0 ? i.getDecidedIn() : m.getRulesFile();
      indicators += (indicators.empty() ? "" : "<br>") +
                    link(std::string("`") + i.getName().cStr() + "`", decidedIn);
      auto t = i.getTarget();
      if (t.isAtLeast()) indicators += " ≥ " + std::to_string(static_cast<int64_t>(t.getAtLeast()));
      if (t.isAtMost()) indicators += " ≤ " + std::to_string(static_cast<int64_t>(t.getAtMost()));
      if (i.getPerArea()) indicators += " per area";
    }
    std::string serviceName = enumName(m.getService());
    std::cout << "| " << link(std::to_string(m.getNumber()), m.getRulesFile()) << " | "
              << m.getTitleZh().cStr() << " — " << m.getTitleEn().cStr() << " | " << lead << " | "
              << serviceName << " | " << kinds << " | " << indicators << " |\n";
  }
}

int usage() {
  std::cerr << "usage: mwpctl publish [--bus ENDPOINT] [--timeout MS] [FILE…]\n"
               "       mwpctl tail [--from SEQ] [--partition P] [--follow]\n"
               "       mwpctl catalogue [--markdown]\n"
               "       mwpctl keygen api NAME ROLE [DEPARTMENT]\n"
               "       mwpctl keygen curve NAME DIR\n"
               "       mwpctl simulate [--workers N] [--seed S] [--year Y] [--print]\n"
               "       mwpctl measures [--gateway URL] [--key KEY] [--year Y]\n";
  return kExitUsage;
}

}  // namespace
}  // namespace mwp

int main(int argc, char** argv) {
  using namespace mwp;
  if (argc < 2) return usage();
  std::string verb = argv[1];
  try {
    Env env;
    if (verb == "publish") {
      std::string endpoint = env.text("MWP_BUS_INGEST", "tcp://127.0.0.1:7101", "bus ingest");
      std::vector<std::string> files;
      PublisherOptions options;
      options.curve = curveClientFromEnv(env);
      for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--bus" && i + 1 < argc) {
          endpoint = argv[++i];
        } else if (a == "--timeout" && i + 1 < argc) {
          options.replyTimeout = std::chrono::milliseconds(std::stoul(argv[++i]));
        } else if (a.rfind("--", 0) == 0) {
          return usage();
        } else {
          files.push_back(a);
        }
      }
      return publish(files, endpoint, options);
    }
    if (verb == "tail") {
      uint64_t from = 1;
      std::optional<uint32_t> partition;
      bool follow = false;
      for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--from" && i + 1 < argc) {
          from = std::stoull(argv[++i]);
        } else if (a == "--partition" && i + 1 < argc) {
          partition = static_cast<uint32_t>(std::stoul(argv[++i]));
        } else if (a == "--follow") {
          follow = true;
        } else {
          return usage();
        }
      }
      return tail(from, partition, follow, env);
    }
    if (verb == "simulate") {
      simulate::Options options;
      options.now = systemClock();
      options.year = yearOf(formatDate(chinaDayOf(options.now)));
      bool print = false;
      for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--print") {
          print = true;
        } else if (i + 1 < argc && a == "--workers") {
          options.workers = static_cast<uint32_t>(std::stoul(argv[++i]));
        } else if (i + 1 < argc && a == "--seed") {
          options.seed = std::stoull(argv[++i]);
        } else if (i + 1 < argc && a == "--year") {
          options.year = std::stoi(argv[++i]);
        } else {
          return usage();
        }
      }
      PublisherOptions publisherOptions;
      publisherOptions.curve = curveClientFromEnv(env);
      return simulateCommand(options, print,
                             env.text("MWP_BUS_INGEST", "tcp://127.0.0.1:7101", "bus ingest"),
                             publisherOptions);
    }
    if (verb == "measures") {
      std::string url = env.text("MWP_GATEWAY_URL", "http://127.0.0.1:8080", "gateway");
      std::string key = env.secret("MWP_DEMO_KEY_INTEGRATOR", "", "API key");
      int year = 0;
      for (int i = 2; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--gateway") url = argv[i + 1];
        if (a == "--key") key = argv[i + 1];
        if (a == "--year") year = std::stoi(argv[i + 1]);
      }
      return measuresCommand(url, key, year);
    }
    if (verb == "keygen" && argc == 5 && std::string(argv[2]) == "curve") {
      // mwpctl keygen curve NAME DIR: DIR/NAME.key (pair, keep secret) and DIR/NAME.pub
      std::string base = std::string(argv[4]) + "/" + argv[3];
      auto keys = newCurveKeys();
      writeCurveKeys(base + ".key", keys,
                     std::string("CurveZMQ key pair of ") + argv[3] + ": keep secret");
      writeCurveKeys(base + ".pub", {keys.publicKey, ""},
                     std::string("CurveZMQ public key of ") + argv[3]);
      std::cout << keys.publicKey << "\n";
      return 0;
    }
    if (verb == "keygen") {
      if (argc < 5 || std::string(argv[2]) != "api" || !gateway::roleFromName(argv[4]))
        return usage();
      std::string key = gateway::newApiKey();
      std::string line = std::string(argv[3]) + " " + argv[4] + " " + gateway::hashApiKey(key) +
                         (argc > 5 ? std::string(" ") + argv[5] : "");
      gateway::ApiKeys::parse(line);  // refuses a department key without its department
      std::cout << key << "\n";
      std::cerr << line << "\n";
      return 0;
    }
    if (verb == "catalogue") {
      if (argc > 2 && std::string(argv[2]) == "--markdown") {
        printMarkdown(Catalogue::builtIn());
      } else {
        capnp::JsonCodec codec;
        codec.setPrettyPrint(true);
        std::cout << codec.encode(Catalogue::builtIn().data()).cStr() << "\n";
      }
      return 0;
    }
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "mwpctl: " << e.what() << "\n";
    return 1;
  }
}
