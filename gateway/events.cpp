// POST /v1/events (one JSON event, NDJSON lines, or a CSV file of one kind) and
// GET /v1/events/{eventId}: an event is handed to the bus as a department would send it, and can
// be followed to where the bus stored it, why the bus refused it, and each service's verdict.
#include "http.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <variant>

#include "csv_sender.h"
#include "event_csv.h"
#include "event_json.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "mwp/rule_names.h"
#include "params.h"
#include "rules.h"

namespace mwp::gateway {
namespace {

using Status = msg::IngestReply::Status;

// One line of a submission: refused here (`refusal`) or sent to the bus (`frame`).
struct Submitted {
  size_t line = 1;  // in the body, from 1: how a sender matches a result without an eventId
  std::string eventId, frame;
  Reason refusal;
};

// Why a line is refused: the bus's NACK, or the gateway's own refusal of a line it did not send.
Reason refusalOf(const Submitted& item, const IngestResult* r) {
  if (!r) return item.refusal;
  return {r->rule, r->reasonZh, r->reason};
}

// One result of a submission: the bus's answer, or the refusal of a line not sent.
void writeResult(JsonWriter& json, const Submitted& item, const IngestResult* r, bool ndjson) {
  json.beginObject();
  if (ndjson) json.field("line", item.line);
  json.field("eventId", item.eventId);
  if (r && r->status != Status::NACK) {
    json.field("status", r->status == Status::ACK ? "accepted" : "duplicate")
        .field("partition", r->partition)
        .field("sequence", r->sequence);
  } else {
    Reason why = refusalOf(item, r);
    json.field("status", "refused")
        .field("rule", why.rule)
        .field("reason", why.en)
        .field("reasonZh", why.zh);
  }
  json.endObject();
}

// The body's events by their line number: the whole body, or its lines that are not blank.
std::vector<std::pair<size_t, std::string>> linesOf(const HttpRequest& req, bool ndjson) {
  if (!ndjson) return {{1, req.body}};
  std::vector<std::pair<size_t, std::string>> lines;
  std::istringstream in(req.body);
  size_t number = 0;
  for (std::string l; std::getline(in, l);) {
    ++number;
    if (l.find_first_not_of(" \t\r") != std::string::npos) lines.emplace_back(number, l);
  }
  return lines;
}

// A department's key sends its own department's events only (rules::bus::event::source).
Reason onlyOwnDepartment(const ApiKey& key) {
  std::string department = enumName(key.department);
  return {rules::bus::event::source.id, "source：此密钥只能提交 " + department + " 的事件",
          "source: this key may submit events of " + department + " only"};
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trimmed(const std::string& s) {
  auto first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// The `kind` parameter of a CSV body's media type (`text/csv; kind=familyVisited`: RFC 9110
// §8.3.1, the type and the parameter's name in any case, its value as the schema spells it), or
// nullopt when the body is not CSV.
std::optional<std::string> csvKindOf(const std::string& contentType) {
  std::istringstream parts(contentType);
  std::string part;
  std::getline(parts, part, ';');
  if (lowercase(trimmed(part)) != "text/csv") return std::nullopt;
  while (std::getline(parts, part, ';')) {
    auto equals = part.find('=');
    if (equals == std::string::npos || lowercase(trimmed(part.substr(0, equals))) != "kind")
      continue;
    std::string kind = trimmed(part.substr(equals + 1));
    if (kind.size() >= 2 && kind.front() == '"' && kind.back() == '"')
      kind = kind.substr(1, kind.size() - 2);
    return kind;
  }
  throw Problem{400, "No kind",
                "Content-Type：text/csv 需要 kind 参数 / text/csv needs the kind of its rows, "
                "e.g. \"text/csv; kind=familyVisited\""};
}

// A CSV file of one kind, one event a row (event_csv.h), answered with the file itself, in its
// encoding, each row with its result first: a clerk keeps the refused rows, mends them and sends
// that file again. Always CSV, whatever Accept says: the answer is for the spreadsheet the file
// came from. A malformed file is a 400 problem and nothing of it is sent.
void submitCsv(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key,
               const std::string& kind) {
  auto read = readEventCsv(kind, req.body);
  if (auto* e = std::get_if<csv::Error>(&read)) {
    throw Problem{400, "Malformed CSV", e->message + "（未发送任何行 / nothing was sent）"};
  }
  auto& file = std::get<EventCsv>(read);
  if (key.role == Role::kDepartment) {
    for (auto& row : file.rows) {
      if (row.frame.empty() || row.source == enumName(key.department)) continue;
      row.frame.clear();
      Reason onlyOwn = onlyOwnDepartment(key);
      row.refusal = reasonForColumn(kind, onlyOwn);
      row.rule = onlyOwn.rule;
    }
  }
  sendCsvRows(*b.publishers.take(), file, file.rows.size());
  // The answer shows the people the file names, unmasked: they are the sender's own rows, shown
  // back as sent (a masked row could not be mended and sent again), with nothing the services
  // know of them. Every answer that shows a person is audited, this one too.
  auto workerColumn = std::find(file.columns.begin(), file.columns.end(), "workerId");
  if (workerColumn != file.columns.end()) {
    std::set<std::string> shown;
    for (const auto& row : file.rows) {
      const auto& id = row.cells[workerColumn - file.columns.begin()];
      if (isValidResidentId(id)) shown.insert(id);
    }
    if (!shown.empty()) {
      b.audit.record(key, {"/v1/events", {shown.begin(), shown.end()}, {"import"}, 200},
                     systemClock());
    }
  }
  res.set_header("Mwp-Detected-Encoding", csv::encodingName(file.encoding));
  bool gb = file.encoding == csv::Encoding::kGb18030;
  res.set_content(answerCsv(file), std::string("text/csv; charset=") + (gb ? "GB18030" : "utf-8") +
                                       "; header=present");
}

void submit(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  std::string contentType = req.get_header_value("Content-Type");
  if (auto kind = csvKindOf(contentType)) {
    submitCsv(b, req, res, key, *kind);
    return;
  }
  bool ndjson = contentType.find("ndjson") != std::string::npos;
  auto lines = linesOf(req, ndjson);
  if (lines.empty()) {
    throw Problem{400, "No event", "send one JSON event, or NDJSON lines", 0,
                  "请求体是空的：请发送一个 JSON 事件，或逐行的 NDJSON 事件"};
  }
  std::vector<Submitted> items;
  std::vector<std::string> frames;
  for (const auto& [line, l] : lines) {
    auto decoded = decodeEventJson(l);
    if (auto* e = std::get_if<JsonError>(&decoded)) {
      items.push_back({line, e->eventId, "", refusalOf(*e)});
      continue;
    }
    auto envelope = std::get<DecodedEvent>(decoded).envelope();
    std::string id = envelope.getEventId().cStr();
    if (key.role == Role::kDepartment && envelope.getSource() != key.department) {
      Reason onlyOwn = onlyOwnDepartment(key);
      if (!ndjson) throw Problem{403, "Not your department", onlyOwn.en, 0, onlyOwn.zh, onlyOwn.rule};
      items.push_back({line, id, "", onlyOwn});
      continue;
    }
    items.push_back({line, id, toBytes(*std::get<DecodedEvent>(decoded).message), {}});
    frames.push_back(items.back().frame);
  }
  std::vector<IngestResult> results;
  if (!frames.empty()) results = b.publishers.take()->publish(frames);

  JsonWriter json;
  if (ndjson) json.beginObject().key("results").beginArray();
  size_t next = 0;
  for (const auto& item : items) {
    writeResult(json, item, item.frame.empty() ? nullptr : &results[next++], ndjson);
  }
  if (ndjson) {
    sendJson(req, res, json.endArray().endObject().take());
    return;
  }
  const IngestResult* r = results.empty() ? nullptr : &results[0];
  if (!r || r->status == Status::NACK) {
    Reason why = refusalOf(items[0], r);
    throw Problem{422, "Event refused", why.en, 0, why.zh, why.rule};
  }
  sendJson(req, res, json.take(), r->status == Status::ACK ? 202 : 200);
}

// Whether `role` may read `service`'s verdict with its reason. A reason tells what the service
// knows of the person ("breastCancer checks are for women … the resident ID is a man's": health
// information is sensitive personal information, 个人信息保护法 art. 28), so it is for the roles
// that see that service's section of a worker's record; the others learn only "applied" or
// "refused". A department reads no worker's record.
bool seesReasonOf(Role role, const std::string& service) {
  if (role == Role::kDepartment) return false;
  return service != "health" || visibilityOf(role).healthSection;
}

// A verdict ("applied"; an applied event with a note {"status":"applied","rule":…,"note":…,
// "noteZh":…}, or naming only its rule {"status":"applied","rule":…}; a refusal {"status":"refused","rule":…,"reason":…,"reasonZh":…}; as JSON, the
// service loop's storedVerdict) as `role` may see it: without the reason or the note, which tell
// as much of the person, only the status.
void writeVerdict(JsonWriter& json, Role role, const std::string& service, const ServiceAnswer& a) {
  bool withWhy = a.text.starts_with("{");
  if (a.kind != ServiceAnswer::Kind::kJson) {
    json.value("unavailable");
  } else if (withWhy && !seesReasonOf(role, service)) {
    json.value(a.text.starts_with(R"({"status":"applied")") ? "applied" : "refused");
  } else {
    json.raw(a.text);
  }
}

// The department (its schema name) that sent an event the bus stored or refused; "" when its
// records do not say (the stored copy is gone, or the frame was unreadable).
std::string senderOf(Redis& redis, const std::optional<DedupEntry>& placed,
                     const std::optional<Refusal>& refusal) {
  if (refusal) return refusal->source;
  if (!placed) return "";
  auto logged = readLog(redis, placed->partition, placed->sequence, 1);
  if (logged.empty() || logged[0].sequence != placed->sequence) return "";
  FrameReader reader(logged[0].envelope);
  return enumName(reader.root<msg::Envelope>().getSource());
}

void eventStatus(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  std::string eventId = req.matches[1];
  if (!isValidEventId(eventId))
    throw badParameter("eventId", "应为 1–64 个 A–Z a–z 0–9 . _ : - 字符",
                       "1–64 characters of A–Z a–z 0–9 . _ : -");
  Problem unknown{404, "Unknown event",
                  "no event with this id was stored in the last 30 days or recently refused"};
  std::optional<DedupEntry> placed;
  std::optional<Refusal> refusal;
  {
    // Where the bus stored it (the window's buckets, one round trip), and why it refused it. A
    // refusal matters only while no event of that id is stored (one may be sent again, mended).
    auto redis = b.logRedis.take();
    placed = findStored(*redis, b.options.dedupWindow, eventId, systemClock());
    if (!placed) refusal = parseRefusal(redis->command(refusalQuery(eventId)));
    // A department follows its own events only: another's is unknown to it, not forbidden (a 403
    // would tell that it exists).
    if (key.role == Role::kDepartment &&
        senderOf(*redis, placed, refusal) != enumName(key.department)) {
      throw unknown;
    }
  }

  capnp::MallocMessageBuilder query;
  query.initRoot<msg::Query>().setVerdict(eventId);
  auto answers = b.services.ask(query, b.options.deadline);
  JsonWriter verdicts;
  verdicts.beginObject();
  bool anyVerdict = false;
  for (const auto& [service, a] : answers) {
    if (a.kind == ServiceAnswer::Kind::kNotFound) continue;
    writeVerdict(verdicts.key(service), key.role, service, a);
    anyVerdict = true;
  }
  verdicts.endObject();
  if (!placed && !anyVerdict && !refusal) throw unknown;

  JsonWriter json;
  json.beginObject().field("eventId", eventId).key("stored");
  if (placed) {
    json.beginObject()
        .field("partition", placed->partition)
        .field("sequence", placed->sequence)
        .endObject();
  } else {
    json.null();
  }
  json.key("refusedByBus");
  if (refusal) {
    json.beginObject()
        .field("rule", refusal->rule)
        .field("reason", refusal->reason)
        .field("reasonZh", refusal->reasonZh)
        .endObject();
  } else {
    json.null();
  }
  json.key("verdicts").raw(verdicts.str()).endObject();
  sendJson(req, res, visibleTo(key, json.take()));
}

}  // namespace

void addEventRoutes(Router& router, Backends& b) {
  using R = Role;
  router.post("/v1/events", R"(/v1/events)", {R::kAdmin, R::kDepartment},
              [&b](auto& req, auto& res, auto& key) { submit(b, req, res, key); });
  router.get("/v1/events/{eventId}", R"(/v1/events/([^/]*))",
             {R::kAdmin, R::kIntegrator, R::kCaseworker, R::kHealth, R::kDepartment},
             [&b](auto& req, auto& res, auto& key) { eventStatus(b, req, res, key); });
}

}  // namespace mwp::gateway
