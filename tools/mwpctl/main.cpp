// mwpctl: the command line for clerks and operators. `mwpctl --help` lists its commands and
// `mwpctl COMMAND --help` tells each one's options, exit codes and environment, all declared once
// in the Command of each (below).
#include <algorithm>
#include <capnp/compat/json.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "api_keys.h"
#include "bus_client.h"
#include "catalogue.h"
#include "command_line.h"
#include "csv_sender.h"
#include "event_csv.h"
#include "event_json.h"
#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "indicator_exporter.h"
#include "language.h"
#include "periods.h"
#include "process.h"
#include "rules.h"
#include "simulate.h"

namespace mwp {
namespace {

constexpr int kExitRefused = 65;      // EX_DATAERR
constexpr int kExitUnreachable = 69;  // EX_UNAVAILABLE
constexpr size_t kChunk = 2000;       // lines held in memory at once

struct Line {
  std::string eventId;
  std::string frame;  // set when the line decoded
  Reason refusal;     // set when it did not
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
  if (auto* error = std::get_if<JsonError>(&decoded)) return {error->eventId, "", refusalOf(*error)};
  auto& event = std::get<DecodedEvent>(decoded);
  return {event.envelope().getEventId().cStr(), toBytes(*event.message), {}};
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

// "NACK <eventId> <reason> [<rule>]", the reason in `language`; the rule left out when the bus
// named none (an older bus).
void printRefusal(const std::string& eventId, const Reason& why, Language language) {
  const std::string& reason = language == Language::kChinese && !why.zh.empty() ? why.zh : why.en;
  std::cout << "NACK " << eventId << " " << reason;
  if (!why.rule.empty()) std::cout << " [" << why.rule << "]";
  std::cout << "\n";
}

void printAnswer(const char* word, const Line& l, const IngestResult* r, Language language) {
  if (!r) {
    printRefusal(l.eventId, l.refusal, language);
  } else if (r->status == msg::IngestReply::Status::NACK) {
    printRefusal(l.eventId, {r->rule, r->reasonZh, r->reason}, language);
  } else {
    std::cout << word << " " << l.eventId << " " << r->partition << ":" << r->sequence << "\n";
  }
}

int publish(const std::vector<std::string>& files, const std::string& endpoint,
            PublisherOptions options, Language language) {
  auto answer = [language](const char* word, const Line& l, const IngestResult* r) {
    printAnswer(word, l, r, language);
  };
  zmq::context_t context;
  Publisher publisher(context, endpoint, options);
  std::vector<Line> lines;
  size_t refused = 0;
  auto readFrom = [&](std::istream& in) {
    std::string text;
    while (std::getline(in, text)) {
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      lines.push_back(decodeLine(text));
      if (lines.size() >= kChunk) refused += publishChunk(publisher, lines, answer);
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
    refused += publishChunk(publisher, lines, answer);
    std::cout.flush();
  } catch (const BusUnreachable& e) {
    std::cerr << "mwpctl: " << e.what() << "\n";
    return kExitUnreachable;
  }
  return refused ? kExitRefused : 0;
}

// How far a long send has come, on stderr: a bar redrawn in place on a terminal; otherwise (a
// log, a pipe) a line every kEvery items, so the log is not flooded with redrawn bars.
class Progress {
 public:
  Progress(std::string what, size_t total)
      : what_(std::move(what)), total_(total), terminal_(isatty(STDERR_FILENO)) {}

  void show(size_t done) {
    if (terminal_) {
      int width = 40, filled = static_cast<int>(width * done / std::max<size_t>(1, total_));
      std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
                << done << "/" << total_ << std::flush;
    } else if (done / kEvery > shown_ / kEvery || done == total_) {
      std::cerr << "mwpctl: " << done << "/" << total_ << " " << what_ << "\n";
    }
    shown_ = done;
  }
  // Ends the bar's line, so that what follows starts on its own.
  void end() {
    if (terminal_ && shown_ > 0) std::cerr << "\n";
  }

 private:
  static constexpr size_t kEvery = 10000;
  std::string what_;
  size_t total_, shown_ = 0;
  bool terminal_;
};

// A simulated year through the bus, with a progress bar on stderr; or, with --print, as NDJSON.
int sendSimulatedYear(const simulate::Options& options, bool print, const std::string& endpoint,
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
  Progress progress("events", events.size());
  size_t done = 0;
  try {
    for (size_t i = 0; i < events.size(); ++i) {
      lines.push_back(decodeLine(events[i]));
      if (lines.size() >= kChunk || i + 1 == events.size()) {
        done += lines.size();
        publishChunk(publisher, lines,
                     [&](const char* word, const Line&, const IngestResult*) { ++counts[word]; });
        progress.show(done);
      }
    }
  } catch (const BusUnreachable& e) {
    progress.end();
    std::cerr << "mwpctl: " << e.what() << "\n";
    return kExitUnreachable;
  }
  progress.end();
  std::cerr << events.size() << " events: " << counts["ACK"] << " stored, " << counts["DUP"]
            << " already stored, " << counts["NACK"]
            << " refused by the bus (a few on purpose: IDs with a wrong check digit)\n";
  return 0;
}

// A row's reason in `language`. The answer keeps it as "中文 / English", the Chinese first, which
// names a column or a rule but quotes no cell: the bus's (reasonForColumn), each with its column,
// or the file's own refusal of a cell, "count: 应为… / not a whole number…", the column named
// once for both. English alone (an older bus) is shown as it is.
std::string reasonIn(const std::string& both, Language language) {
  auto bar = both.find(" / ");
  if (bar == std::string::npos) return both;
  std::string zh = both.substr(0, bar), en = both.substr(bar + 3);
  if (language == Language::kChinese) return zh;
  auto colon = zh.find(": ");
  std::string column = colon == std::string::npos ? "" : zh.substr(0, colon + 2);
  bool named = std::all_of(column.begin(), column.end(), [](unsigned char c) { return c < 0x80; });
  return !named || en.rfind(column, 0) == 0 ? en : column + en;
}

// A CSV file of events of `kind` (event_csv.h) through the bus: the encoding detected first, then
// one line per row on stdout — `<line> ACK <eventId> <partition>:<seq>`, `<line> DUP …` or
// `<line> NACK <eventId> <reason> [<rule>]`, the reason in `language` — or, with `out`, the
// answer for the whole file as CSV there, its reasons in both languages. A malformed file is
// refused whole: nothing is sent.
int importCsv(const std::string& kind, const std::string& path, const std::string& out,
              const std::string& endpoint, const PublisherOptions& options, Language language) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "mwpctl: cannot read " << path << "\n";
    return kExitUsage;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto read = readEventCsv(kind, bytes);
  if (auto* e = std::get_if<csv::Error>(&read)) {
    std::cerr << "mwpctl import: " << path << ": " << e->message
              << "\n未发送任何行 / nothing was sent\n";
    return kExitRefused;
  }
  auto& file = std::get<EventCsv>(read);
  std::cout << "encoding: " << csv::encodingName(file.encoding) << "\n" << std::flush;
  zmq::context_t context;
  Publisher publisher(context, endpoint, options);
  Progress progress("rows", file.rows.size());
  bool unreachable = false;
  try {
    sendCsvRows(publisher, file, kChunk, [&](size_t done) { progress.show(done); });
  } catch (const BusUnreachable& e) {
    progress.end();
    std::cerr << "mwpctl: " << e.what() << "\n";
    unreachable = true;
  }
  progress.end();
  // Rows the bus did not answer may or may not be stored: the file may be sent again as it is
  // (those stored come back DUP), and the answer says so of each.
  std::map<std::string, size_t> counts;
  for (auto& row : file.rows) {
    if (row.result.empty()) {
      row.reason =
          "无应答：总线不可达，请重新导入 / no answer: the bus could not be reached; import "
          "the file again";
    }
    ++counts[row.result];
    if (!out.empty() || row.result.empty()) continue;
    std::cout << row.line << " " << row.result << " " << row.eventId << " "
              << (row.result == "NACK" ? reasonIn(row.reason, language) : row.stored);
    if (!row.rule.empty()) std::cout << " [" << row.rule << "]";
    std::cout << "\n";
  }
  if (!out.empty()) {
    std::ofstream answers(out, std::ios::binary | std::ios::trunc);
    if (!(answers << answerCsv(file)).flush()) throw std::runtime_error("cannot write " + out);
  }
  std::cout.flush();
  std::cerr << file.rows.size() << " rows: " << counts["ACK"] << " stored, " << counts["DUP"]
            << " already stored, " << counts["NACK"] << " refused"
            << (counts[""] ? ", " + std::to_string(counts[""]) + " without an answer" : "")
            << (out.empty() ? "" : "; the answer for each row is in " + out) << "\n";
  return unreachable ? kExitUnreachable : counts["NACK"] ? kExitRefused : 0;
}

// The 30 measures as the gateway reports them, one line per indicator with a target.
// http://HOST:PORT, as --gateway and MWP_GATEWAY_URL give it.
struct GatewayUrl {
  std::string text, host;
  uint16_t port = 0;
};
GatewayUrl gatewayUrl(const std::string& text) {
  auto colon = text.rfind(':');
  if (text.rfind("http://", 0) != 0 || colon < 7) {
    throw BadValue("not an http://HOST:PORT address: \"" + text + "\"");
  }
  return {text, text.substr(7, colon - 7),
          CommandLine::wholeNumberFor<uint16_t>(text.substr(colon + 1))};
}

// The body of a GET from the gateway; nullopt (said on stderr) when it did not answer 200.
std::optional<std::string> gatewayGet(const GatewayUrl& url, const std::string& key,
                                      const std::string& path, const std::string& accept = "") {
  httplib::Client client(url.host, url.port);
  httplib::Headers headers{{"Authorization", "Bearer " + key}};
  if (!accept.empty()) headers.emplace("Accept", accept);
  auto r = client.Get(path, headers);
  if (!r || r->status != 200) {
    std::cerr << "mwpctl: the gateway at " << url.text << " answered "
              << (r ? std::to_string(r->status) + " " + r->body : "nothing") << "\n";
    return std::nullopt;
  }
  return r->body;
}

capnp::JsonValue::Reader member(capnp::JsonValue::Reader object, const char* name) {
  for (auto f : object.getObject()) {
    if (f.getName() == name) return f.getValue();
  }
  return capnp::JsonValue::Reader();
}

std::string text(capnp::JsonValue::Reader v, const std::string& absent = "–") {
  if (v.isString()) return v.getString().cStr();
  if (v.isNumber()) {
    std::ostringstream out;
    out << v.getNumber();
    return out.str();
  }
  if (v.isBoolean()) return v.getBoolean() ? "yes" : "NO";
  return absent;
}

int printMeasures(const GatewayUrl& url, const std::string& key, int year) {
  auto body = gatewayGet(url, key,
                         "/v1/measures" + std::string(year ? "?year=" + std::to_string(year) : ""));
  if (!body) return kExitUnreachable;
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<capnp::JsonValue>();
  capnp::JsonCodec().decodeRaw(kj::ArrayPtr<const char>(body->data(), body->size()), root);
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

// The scorecard of each county and park (GET /v1/scorecard): as a table, or as the CSV the
// gateway gives (UTF-8 with a byte-order mark, for Excel).
int printScorecard(const GatewayUrl& url, const std::string& key, int year,
                   const std::string& period, bool csv) {
  std::string path = "/v1/scorecard?year=" + std::to_string(year);
  if (!period.empty()) path += "&period=" + period;
  auto body = gatewayGet(url, key, path, csv ? "text/csv" : "");
  if (!body) return kExitUnreachable;
  if (csv) {
    std::cout << *body;
    return 0;
  }
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<capnp::JsonValue>();
  capnp::JsonCodec().decodeRaw(kj::ArrayPtr<const char>(body->data(), body->size()), root);
  printf("%-34s %10s %10s %5s\n", "地区 area / 措施 measure indicator", "value", "target", "met");
  for (auto a : member(root.asReader(), "areas").getArray()) {
    printf("%s %s\n", text(member(a, "area")).c_str(), text(member(a, "nameZh")).c_str());
    for (auto i : member(a, "indicators").getArray()) {
      std::string name = text(member(i, "measure")) + " " + text(member(i, "indicator"));
      printf("  %-32s %10s %10s %5s\n", name.c_str(), text(member(i, "value")).c_str(),
             text(member(i, "target")).c_str(), text(member(i, "met")).c_str());
    }
    auto r = member(a, "reporting");
    printf("  reporting %s of %s reported, %s on time; cases overdue %s; red wage warnings %s\n",
           text(member(r, "reported")).c_str(), text(member(r, "expected")).c_str(),
           text(member(r, "onTime")).c_str(), text(member(a, "casesOverdue")).c_str(),
           text(member(a, "redWageWarnings")).c_str());
  }
  return 0;
}

// Every page of a worklist as the gateway answers it (GET /v1/worklists/NAME), one line a
// person: a table, or CSV for a spreadsheet — UTF-8 with a byte-order mark, as the scorecard's,
// since Excel on a Chinese system reads a CSV without one as GB18030 and garbles the names. IDs
// as the key's role may see them.
int printWorklist(const GatewayUrl& url, const std::string& key, const std::string& name,
                  const std::string& area, const std::string& village, bool csv) {
  const std::vector<std::string> columns{"workerId", "name", "village", "year", "since"};
  if (csv) {
    std::cout << csv::encode(csv::formatRecord(columns), csv::Encoding::kUtf8WithBom);
  } else {
    printf("%-20s %-12s %-13s %-5s %s\n", "workerId", "name 姓名", "village 村", "year", "since");
  }
  std::string token;
  do {
    std::string path = "/v1/worklists/" + name + "?page_size=500";
    if (!area.empty()) path += "&area=" + area;
    if (!village.empty()) path += "&village=" + village;
    if (!token.empty()) path += "&page_token=" + token;
    auto body = gatewayGet(url, key, path);
    if (!body) return kExitUnreachable;
    capnp::MallocMessageBuilder message;
    auto root = message.initRoot<capnp::JsonValue>();
    capnp::JsonCodec().decodeRaw(kj::ArrayPtr<const char>(body->data(), body->size()), root);
    for (auto entry : member(root.asReader(), "entries").getArray()) {
      std::vector<std::string> row;
      for (const auto& column : columns) {
        row.push_back(text(member(entry, column.c_str()), csv ? "" : "–"));
      }
      if (csv) {
        std::cout << csv::formatRecord(row);
      } else {
        printf("%-20s %-12s %-13s %-5s %s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(),
               row[3].c_str(), row[4].c_str());
      }
    }
    token = text(member(root.asReader(), "nextPageToken"), "");
  } while (!token.empty());
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
  std::cout << "# The 30 measures\n\nThe table is generated by `mwpctl catalogue --markdown` from "
               "`common/core/catalogue.json`: edit that file, not the table. The sections after it "
               "are written by hand.\n\n"
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
      if (i.hasAreaTarget() && i.getAreaTarget().getAtLeast() > 0) {
        indicators += "; each area ≥ " +
                      std::to_string(static_cast<int64_t>(i.getAreaTarget().getAtLeast())) +
                      (i.getAreaTarget().getPer() == msg::AreaTarget::Per::QUARTER ? " a quarter"
                                                                                   : " a year");
      }
      if (i.getCoverage()) indicators += " (coverage)";
    }
    std::string serviceName = enumName(m.getService());
    std::cout << "| " << link(std::to_string(m.getNumber()), m.getRulesFile()) << " | "
              << m.getTitleZh().cStr() << " — " << m.getTitleEn().cStr() << " | " << lead << " | "
              << serviceName << " | " << kinds << " | " << indicators << " |\n";
  }
}

// One command of mwpctl: its command line, and what it does once that is read. What `run` reads
// is held by the lambda, so a Command may be moved.
struct Command {
  CommandLine line;
  std::function<int()> run;
};

const std::string kIngestDefault = "tcp://127.0.0.1:7101";

// The bus a command sends to, as --bus and --timeout (or MWP_BUS_INGEST and the CURVE files) say.
struct BusArgs {
  std::optional<std::string> bus;
  uint64_t timeoutMs = 2000;

  void declare(CommandLine& line) {
    line.option("--bus", "ENDPOINT",
                "the bus's ingest (default MWP_BUS_INGEST, " + kIngestDefault + ")",
                [this](const std::string& v) { bus = v; })
        .option("--timeout", "MS",
                "silence after which unanswered events are sent again; 5 in a row: unreachable "
                "(default 2000)",
                timeoutMs);
  }
  std::string endpoint(Env& env) const {
    return bus.value_or(env.text("MWP_BUS_INGEST", kIngestDefault, "bus ingest"));
  }
  PublisherOptions options(Env& env) const {
    PublisherOptions options;
    options.curve = curveClientFromEnv(env);
    options.replyTimeout = std::chrono::milliseconds(timeoutMs);
    return options;
  }
};

// --lang zh|en, as publish and import take it: the language of the reasons printed, by default
// the locale's.
void declareLanguage(CommandLine& line, std::optional<Language>& language) {
  line.option("--lang", "zh|en",
              "the language of the reasons (default from LC_ALL, LC_MESSAGES or LANG: zh_CN → zh)",
              [&language](const std::string& v) {
                if (v != "zh" && v != "en") throw std::invalid_argument("zh or en");
                language = v == "zh" ? Language::kChinese : Language::kEnglish;
              });
}

Language languageOrLocale(std::optional<Language> language) {
  return language.value_or(
      languageOfLocale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG")));
}

Command publishCommand() {
  struct Args : BusArgs {
    std::vector<std::string> files;
    std::optional<Language> language;
  };
  auto a = std::make_shared<Args>();
  CommandLine line(
      "mwpctl publish",
      "JSON events, one a line (stdin without FILE), through the acknowledged ingest;\n"
      "one line out per event: ACK <eventId> <partition>:<seq> | DUP … | NACK <eventId> "
      "<reason> [<rule>]");
  a->declare(line);
  declareLanguage(line, a->language);
  line.operand(
          "FILE", "a file of JSON events", [a](const std::string& f) { a->files.push_back(f); },
          CommandLine::Presence::kRepeated)
      .notes(
          "exit codes: 0 none refused, 65 some refused, 69 the bus could not be reached,\n"
          "64 a bad command line or a FILE that cannot be read\n"
          "CURVE: MWP_KEY_FILE (this sender's key pair) and MWP_BUS_SERVER_KEY_FILE (the bus's)");
  return {std::move(line), [a] {
            Env env;
            return publish(a->files, a->endpoint(env), a->options(env),
                           languageOrLocale(a->language));
          }};
}

Command importCommand() {
  struct Args : BusArgs {
    std::string kind, file, out;
    std::optional<Language> language;
  };
  auto a = std::make_shared<Args>();
  CommandLine line(
      "mwpctl import",
      "A spreadsheet's rows as events of KIND, one a row, through the acknowledged ingest.\n"
      "FILE is CSV (RFC 4180) in UTF-8, with or without a BOM, or GB18030 (Excel's \"CSV\" on a\n"
      "Chinese system); line 1 names the columns: the envelope's fields (eventId, occurredAt,\n"
      "source, area, workerId, causedBy) and KIND's fields, in any order. The first line out\n"
      "names the encoding detected, then one per row: <line> ACK <eventId> <partition>:<seq> |\n"
      "<line> DUP … | <line> NACK <eventId> <reason> [<rule>], the reason in the language of\n"
      "--lang or the locale. A malformed file (an unknown or missing column, a row of another\n"
      "length, neither UTF-8 nor GB18030) is refused: nothing is sent.");
  line.operand("KIND", "the event kind of every row, e.g. socialSecurityCardIssued",
               [a](const std::string& v) { a->kind = v; })
      .operand("FILE", "the CSV file", [a](const std::string& v) { a->file = v; })
      .option("--out", "ANSWERS.csv",
              "write the answer for the whole file here, as CSV, instead of a line per row",
              a->out);
  a->declare(line);
  declareLanguage(line, a->language);
  line.notes(
      "the answer (--out) is the file's rows in its encoding, with answer.row, answer.result,\n"
      "answer.reason (Chinese / English) and answer.rule first: keep the NACK rows, mend them and\n"
      "import that file again\n"
      "progress on stderr: a bar on a terminal, else a line every 10000 rows\n"
      "exit codes: 0 none refused, 65 some rows or the whole file refused, 69 the bus could not\n"
      "be reached (rows without an answer: import the file again), 64 a bad command line or a\n"
      "FILE that cannot be read\n"
      "CURVE: MWP_KEY_FILE (this sender's key pair) and MWP_BUS_SERVER_KEY_FILE (the bus's)");
  return {std::move(line), [a] {
            Env env;
            return importCsv(a->kind, a->file, a->out, a->endpoint(env), a->options(env),
                             languageOrLocale(a->language));
          }};
}

Command tailCommand() {
  struct Args {
    uint64_t from = 1;
    std::optional<uint32_t> partition;
    bool follow = false;
  };
  auto a = std::make_shared<Args>();
  CommandLine line("mwpctl tail", "The stored event log as JSON lines, partition by partition.");
  line.option("--from", "SEQ", "the first sequence shown (default 1)", a->from)
      .option(
          "--partition", "P", "only this partition (default all)",
          [a](const std::string& v) { a->partition = CommandLine::wholeNumberFor<uint32_t>(v); })
      .flag("--follow", "keep printing events as they are stored, until Ctrl-C", a->follow)
      .notes("reads MWP_REDIS_HOST/PORT/PASSWORD, MWP_PARTITION_COUNT and MWP_BUS_PUBLISH");
  return {std::move(line), [a] {
            Env env;
            return tail(a->from, a->partition, a->follow, env);
          }};
}

Command catalogueCommand() {
  auto markdown = std::make_shared<bool>(false);
  CommandLine line("mwpctl catalogue", "The catalogue of the 30 measures, as JSON.");
  line.flag("--markdown", "as the Markdown table of docs/measures.md instead", *markdown);
  return {std::move(line), [markdown] {
            if (*markdown) {
              printMarkdown(Catalogue::builtIn());
            } else {
              capnp::JsonCodec codec;
              codec.setPrettyPrint(true);
              std::cout << codec.encode(Catalogue::builtIn().data()).cStr() << "\n";
            }
            return 0;
          }};
}

Command simulateCommand() {
  struct Args {
    simulate::Options options;
    bool print = false;
  };
  auto a = std::make_shared<Args>();
  a->options.now = systemClock();
  a->options.year = yearOf(formatDate(chinaDayOf(a->options.now)));
  CommandLine line(
      "mwpctl simulate",
      "A simulated year of the 30 measures' events, sent through the bus (MWP_BUS_INGEST)\n"
      "with a progress bar, or printed as NDJSON with --print.");
  line.option("--workers", "N", "workers in the simulated year (default 20000)", a->options.workers)
      .option("--seed", "S", "seed of the simulation (default 2019)", a->options.seed)
      .option("--year", "Y", "the year simulated (default this year)", a->options.year)
      .flag("--print", "print the events instead of sending them", a->print);
  return {std::move(line), [a] {
            Env env;
            PublisherOptions publisherOptions;
            publisherOptions.curve = curveClientFromEnv(env);
            return sendSimulatedYear(a->options, a->print,
                                     env.text("MWP_BUS_INGEST", kIngestDefault, "bus ingest"),
                                     publisherOptions);
          }};
}

// The gateway a command reads and the key it reads with: --gateway and --key, else the
// environment's MWP_GATEWAY_URL and MWP_DEMO_KEY_INTEGRATOR.
struct GatewayAccess {
  std::optional<GatewayUrl> gateway;
  std::optional<std::string> key;

  static void declare(CommandLine& line, const std::shared_ptr<GatewayAccess>& a) {
    line.option("--gateway", "URL",
                "the gateway, http://HOST:PORT (default MWP_GATEWAY_URL, http://127.0.0.1:8080)",
                [a](const std::string& v) { a->gateway = gatewayUrl(v); })
        .option("--key", "KEY", "an API key (default MWP_DEMO_KEY_INTEGRATOR)",
                [a](const std::string& v) { a->key = v; });
  }
  GatewayUrl url(Env& env) const {
    return gateway ? *gateway
                   : gatewayUrl(env.text("MWP_GATEWAY_URL", "http://127.0.0.1:8080", "gateway"));
  }
  std::string apiKey(Env& env) const {
    return key ? *key : env.secret("MWP_DEMO_KEY_INTEGRATOR", "", "API key");
  }
};

Command scorecardCommand() {
  struct Args {
    int year = 0;
    std::string period;
    bool csv = false;
  };
  auto access = std::make_shared<GatewayAccess>();
  auto a = std::make_shared<Args>();
  CommandLine line("mwpctl scorecard",
                   "Each county's and park's scorecard for the year (措施二十九: the annual "
                   "assessment), as the gateway reports it.");
  GatewayAccess::declare(line, access);
  line.option("--year", "Y", "the year (default this year)", a->year)
      .option(
          "--period", "P", "a quarter of it, YYYY-Qn, or its 春运 window, YYYY-spring",
          [a](const std::string& v) {
            auto period = parsePeriod(v, Catalogue::builtIn());
            if (!period || period->kind == Period::Kind::kYear) {
              throw BadValue("not a quarter YYYY-Qn or a 春运 window YYYY-spring: \"" + v + "\"");
            }
            a->period = v;
          })
      .flag("--csv", "print the CSV (UTF-8 with a BOM, for Excel) instead of the table", a->csv)
      .notes("exit codes: 0 printed, 69 the gateway did not answer 200");
  return {std::move(line), [access, a] {
            Env env;
            int year = a->year ? a->year : yearOf(formatDate(chinaDayOf(systemClock())));
            return printScorecard(access->url(env), access->apiKey(env), year, a->period, a->csv);
          }};
}

Command worklistCommand() {
  struct Args {
    std::string name, area, village;
    bool csv = false;
  };
  auto access = std::make_shared<GatewayAccess>();
  auto a = std::make_shared<Args>();
  CommandLine line("mwpctl worklist",
                   "The people a coverage promise has still to serve, as the gateway lists them:\n"
                   "insuredWithoutCard (16), poorNotPlaced (3), returneesNotVisited (23),\n"
                   "exposedNotChecked (15). Each read is audited.");
  line.operand("NAME", "the worklist", [a](const std::string& v) { a->name = v; })
      .option("--area", "A", "a county or park code (default the city)", a->area)
      .option("--village", "V", "a 12-digit village code (returneesNotVisited)", a->village)
      .flag("--csv", "CSV for a spreadsheet (UTF-8 with a BOM, for Excel) instead of a table",
            a->csv);
  GatewayAccess::declare(line, access);
  line.notes("exit codes: 0 printed, 69 the gateway did not answer 200 (its answer on stderr)");
  return {std::move(line), [access, a] {
            Env env;
            return printWorklist(access->url(env), access->apiKey(env), a->name, a->area,
                                 a->village, a->csv);
          }};
}

Command measuresCommand() {
  auto access = std::make_shared<GatewayAccess>();
  auto year = std::make_shared<int>(0);
  CommandLine line("mwpctl measures",
                   "The 30 measures' value, target and progress, as the gateway reports them.");
  GatewayAccess::declare(line, access);
  line.option("--year", "Y", "the year reported (default this year)", *year)
      .notes("exit codes: 0 printed, 69 the gateway did not answer 200");
  return {std::move(line), [access, year] {
            Env env;
            return printMeasures(access->url(env), access->apiKey(env), *year);
          }};
}

Command keygenCurveCommand() {
  struct Args {
    std::string name, dir;
  };
  auto a = std::make_shared<Args>();
  CommandLine line(
      "mwpctl keygen curve",
      "A CurveZMQ key pair: DIR/NAME.key (the pair: keep it secret) and DIR/NAME.pub;\n"
      "the public key on stdout.");
  line.operand("NAME", "whose key it is (a department, mwpService, gateway, operator…)",
               [a](const std::string& v) { a->name = v; })
      .operand("DIR", "where the two files go", [a](const std::string& v) { a->dir = v; });
  return {
      std::move(line), [a] {
        std::string base = a->dir + "/" + a->name;
        auto keys = newCurveKeys();
        writeCurveKeys(base + ".key", keys, "CurveZMQ key pair of " + a->name + ": keep secret");
        writeCurveKeys(base + ".pub", {keys.publicKey, ""}, "CurveZMQ public key of " + a->name);
        std::cout << keys.publicKey << "\n";
        return 0;
      }};
}

Command keygenApiCommand() {
  struct Args {
    std::string name, role, department, rotate;
    int validDays = 365;
    int graceDays = 7;
  };
  auto a = std::make_shared<Args>();
  CommandLine line("mwpctl keygen api",
                   "A new API key on stdout, and on stderr the line for the gateway's keys file\n"
                   "(MWP_API_KEYS_FILE), which keeps only the key's SHA-256 and its last day.\n"
                   "With --rotate FILE the line goes into FILE instead, and NAME's older keys\n"
                   "there expire after --grace-days (restart the gateway to load the file).");
  line.operand("NAME", "whose key it is", [a](const std::string& v) { a->name = v; })
      .operand("ROLE", "admin, integrator, caseworker, health, auditor or department",
               [a](const std::string& v) {
                 if (!gateway::roleFromName(v)) throw BadValue("not a role: \"" + v + "\"");
                 a->role = v;
               })
      .operand(
          "DEPARTMENT", "the department of a department key, e.g. hrss",
          [a](const std::string& v) { a->department = v; }, CommandLine::Presence::kOptional)
      .option("--valid-days", "N", "days the key is accepted from today (default 365)",
              a->validDays)
      .option("--rotate", "FILE", "the keys file to add the key to, retiring NAME's older keys",
              a->rotate)
      .option("--grace-days", "N", "days NAME's older keys still work after --rotate (default 7)",
              a->graceDays);
  return {std::move(line), [a] {
            std::string key = gateway::newApiKey();
            std::string hash = gateway::hashApiKey(key);
            int32_t today = chinaDayOf(systemClock());
            // Parsed as the gateway will: refuses a department key without its department.
            auto entry =
                gateway::ApiKeys::parse(a->name + " " + a->role + " " + hash + " " + a->department)
                    .find(key)
                    .value();
            entry.expiresOn = today + a->validDays;
            if (a->rotate.empty()) {
              std::cerr << gateway::keyLine(entry, hash) << "\n";
            } else {
              std::string file = gateway::rotateKey(readTextFile(a->rotate, "the API keys file"),
                                                    entry, hash, today + a->graceDays);
              std::ofstream out(a->rotate, std::ios::trunc);
              if (!(out << file).flush()) throw std::runtime_error("cannot write " + a->rotate);
            }
            std::cout << key << "\n";
            return 0;
          }};
}

std::vector<Command> commands() {
  std::vector<Command> all;
  all.push_back(publishCommand());
  all.push_back(importCommand());
  all.push_back(tailCommand());
  all.push_back(catalogueCommand());
  all.push_back(simulateCommand());
  all.push_back(measuresCommand());
  all.push_back(scorecardCommand());
  all.push_back(worklistCommand());
  all.push_back(keygenCurveCommand());
  all.push_back(keygenApiCommand());
  return all;
}

std::string usage(const std::vector<Command>& all) {
  std::string out = "usage: mwpctl COMMAND [OPTIONS…]   (mwpctl COMMAND --help tells more)\n\n";
  for (const auto& c : all) out += "  " + c.line.synopsis() + "\n";
  return out +
         "\nThe command line for clerks and operators. Exit codes: 0 done, 1 failed, 64 a bad\n"
         "command line, 65 some events refused, 69 the bus or the gateway out of reach.\n";
}

// The command named by argv[1] (and argv[2] for keygen), and the words it takes; null if none.
const Command* commandOf(const std::vector<Command>& all, int argc, char** argv, int& first) {
  for (const auto& c : all) {
    std::istringstream words(c.line.program().substr(std::string("mwpctl ").size()));
    first = 1;
    std::string word;
    bool matches = true;
    while (words >> word) matches = matches && first < argc && word == argv[first++];
    if (matches) return &c;
  }
  return nullptr;
}

}  // namespace
}  // namespace mwp

int main(int argc, char** argv) {
  using namespace mwp;
  auto all = commands();
  std::string first = argc > 1 ? argv[1] : "";
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << usage(all);
    return 0;
  }
  int from = 1;
  const Command* command = commandOf(all, argc, argv, from);
  if (!command) {
    std::string what = argc < 2                        ? "a COMMAND is needed"
                       : argc > 2 && first == "keygen" ? std::string(argv[2]) + ": not curve or api"
                                                       : first + ": unknown command";
    std::cerr << "mwpctl: " << what << "\n" << usage(all);
    return kExitUsage;
  }
  if (auto done = command->line.parse(argc, argv, from)) return *done;
  try {
    return command->run();
  } catch (const std::exception& e) {
    std::cerr << "mwpctl: " << e.what() << "\n";
    return 1;
  }
}
