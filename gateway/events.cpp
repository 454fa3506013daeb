// POST /v1/events (one JSON event, or NDJSON lines) and GET /v1/events/{eventId}: an event is
// handed to the bus as a department would send it, and can be followed to where the bus stored
// it, why the bus refused it, and each service's verdict.
#include "http.h"

#include <sstream>
#include <variant>

#include "event_json.h"
#include "event_kinds.h"
#include "event_log.h"
#include "frames.h"
#include "handlers.h"
#include "ids.h"
#include "json_writer.h"
#include "mwp/messages/query.capnp.h"
#include "params.h"

namespace mwp::gateway {
namespace {

using Status = msg::IngestReply::Status;

// One line of a submission: refused here (`refusal`) or sent to the bus (`frame`).
struct Submitted {
  std::string eventId, frame, refusal;
};

// One result of a submission: the bus's answer, or the refusal of a line not sent.
void writeResult(JsonWriter& json, const Submitted& item, const IngestResult* r) {
  json.beginObject().field("eventId", item.eventId);
  if (r && r->status != Status::NACK) {
    json.field("status", r->status == Status::ACK ? "accepted" : "duplicate")
        .field("partition", r->partition)
        .field("sequence", r->sequence);
  } else {
    json.field("status", "refused").field("reason", r ? r->reason : item.refusal);
  }
  json.endObject();
}

std::vector<std::string> linesOf(const HttpRequest& req, bool ndjson) {
  if (!ndjson) return {req.body};
  std::vector<std::string> lines;
  std::istringstream in(req.body);
  for (std::string l; std::getline(in, l);) {
    if (l.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(l);
  }
  return lines;
}

void submit(Backends& b, const HttpRequest& req, HttpResponse& res, const ApiKey& key) {
  bool ndjson = req.get_header_value("Content-Type").find("ndjson") != std::string::npos;
  auto lines = linesOf(req, ndjson);
  if (lines.empty()) throw Problem{400, "No event", "send one JSON event, or NDJSON lines"};
  std::vector<Submitted> items;
  std::vector<std::string> frames;
  for (const auto& l : lines) {
    auto decoded = decodeEventJson(l);
    if (auto* e = std::get_if<JsonError>(&decoded)) {
      items.push_back({e->eventId, "", e->reason});
      continue;
    }
    auto envelope = std::get<DecodedEvent>(decoded).envelope();
    std::string id = envelope.getEventId().cStr();
    if (key.role == Role::kDepartment && envelope.getSource() != key.department) {
      std::string onlyOwn = "this key may submit events of " + enumName(key.department) + " only";
      if (!ndjson) throw Problem{403, "Not your department", onlyOwn};
      items.push_back({id, "", "source: " + onlyOwn});
      continue;
    }
    items.push_back({id, toBytes(*std::get<DecodedEvent>(decoded).message), ""});
    frames.push_back(items.back().frame);
  }
  std::vector<IngestResult> results;
  if (!frames.empty()) results = b.publishers.take()->publish(frames);

  JsonWriter json;
  if (ndjson) json.beginObject().key("results").beginArray();
  size_t next = 0;
  for (const auto& item : items) {
    writeResult(json, item, item.frame.empty() ? nullptr : &results[next++]);
  }
  if (ndjson) {
    sendJson(req, res, json.endArray().endObject().take());
    return;
  }
  const IngestResult* r = results.empty() ? nullptr : &results[0];
  if (!r || r->status == Status::NACK) {
    throw Problem{422, "Event refused", r ? r->reason : items[0].refusal};
  }
  sendJson(req, res, json.take(), r->status == Status::ACK ? 202 : 200);
}

void eventStatus(Backends& b, const HttpRequest& req, HttpResponse& res,
                 const ApiKey& key) {
  std::string eventId = req.matches[1];
  if (!isValidEventId(eventId))
    throw badParameter("eventId", "应为 1–64 个 A–Z a–z 0–9 . _ : - 字符",
                       "1–64 characters of A–Z a–z 0–9 . _ : -");
  // Where the bus stored it, and why it refused it: one lookup each, one round trip.
  auto found =
      b.logRedis.take()->pipeline({{"GET", keys::dedup(eventId)}, {"GET", keys::refusal(eventId)}});
  const RedisReply& stored = found[0];
  // A refusal matters only while no event of that id is stored (one may be sent again, mended).
  std::string refusal = !stored.isNil() || found[1].isNil() ? "" : found[1].str;

  capnp::MallocMessageBuilder query;
  query.initRoot<msg::Query>().setVerdict(eventId);
  auto answers = b.services.ask(query, b.options.deadline);
  JsonWriter verdicts;
  verdicts.beginObject();
  bool anyVerdict = false;
  for (const auto& [service, a] : answers) {
    if (a.kind == ServiceAnswer::Kind::kNotFound) continue;
    verdicts.key(service);
    if (a.kind == ServiceAnswer::Kind::kJson) {
      verdicts.raw(a.text);
    } else {
      verdicts.value("unavailable");
    }
    anyVerdict = true;
  }
  verdicts.endObject();
  if (stored.isNil() && !anyVerdict && refusal.empty()) {
    throw Problem{404, "Unknown event",
                  "no event with this id was stored in the last 30 days or recently refused"};
  }

  JsonWriter json;
  json.beginObject().field("eventId", eventId).key("stored");
  if (auto placed = stored.isNil() ? std::nullopt : parseDedupEntry(stored.str)) {
    json.beginObject()
        .field("partition", placed->partition)
        .field("sequence", placed->sequence)
        .endObject();
  } else {
    json.null();
  }
  json.key("refusedByBus");
  if (refusal.empty()) {
    json.null();
  } else {
    json.value(refusal);
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
