#include "query_server.h"

#include <capnp/message.h>

#include <zmq_addon.hpp>

#include "bus_client.h"
#include "frames.h"

namespace mwp {
namespace {

std::string reply(const std::function<void(msg::QueryReply::Builder)>& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<msg::QueryReply>());
  return toBytes(message);
}

}  // namespace

void setIndicators(msg::QueryReply::Builder reply, const std::vector<IndicatorAnswer>& answers) {
  auto list = reply.initIndicators(static_cast<unsigned>(answers.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    const auto& a = answers[i];
    auto out = list[i];
    out.setMeasure(static_cast<uint8_t>(a.measure));
    out.setIndicator(a.indicator);
    out.setArea(a.area);
    out.setYear(static_cast<uint16_t>(a.year));
    out.setValue(a.value);
    if (a.target) {
      out.getTarget().setValue(*a.target);
    } else {
      out.getTarget().setNone();
    }
  }
}

void setReporting(msg::QueryReply::Builder reply, const std::vector<AreaReporting>& reporting) {
  auto list = reply.initReporting(static_cast<unsigned>(reporting.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    const auto& r = reporting[i];
    auto out = list[i];
    out.setMeasure(static_cast<uint8_t>(r.measure));
    out.setQuarter(r.quarter.name());
    out.setArea(r.area);
    out.setReported(r.reported);
    out.setOnTime(r.onTime);
    out.setNothingToReport(r.nothingToReport);
  }
}

std::vector<AreaReporting> reportingIn(msg::QueryReply::Reader reply) {
  std::vector<AreaReporting> out;
  for (auto r : reply.getReporting()) {
    auto quarter = parseQuarter(r.getQuarter().cStr());
    if (!quarter) continue;  // not from a service of this build
    out.push_back({r.getMeasure(), *quarter, r.getArea().cStr(), r.getReported(), r.getOnTime(),
                   r.getNothingToReport()});
  }
  return out;
}

std::vector<IndicatorAnswer> indicatorsOf(msg::QueryReply::Reader reply) {
  std::vector<IndicatorAnswer> answers;
  for (auto i : reply.getIndicators()) {
    std::optional<double> target;
    if (i.getTarget().isValue()) target = i.getTarget().getValue();
    answers.push_back({i.getMeasure(), i.getIndicator().cStr(), i.getArea().cStr(), i.getYear(),
                       i.getValue(), target});
  }
  return answers;
}

void writeIndicator(JsonWriter& json, const IndicatorAnswer& indicator, bool suppressed) {
  json.beginObject()
      .field("measure", indicator.measure)
      .field("indicator", indicator.indicator)
      .field("area", indicator.area)
      .field("year", indicator.year);
  if (suppressed) {
    json.key("value").null().field("suppressed", true);
  } else {
    json.field("value", indicator.value);
  }
  json.key("target");
  if (indicator.target) {
    json.value(*indicator.target);
  } else {
    json.null();
  }
  json.endObject();
}

QueryServer::QueryServer(zmq::context_t& context, const std::string& endpoint, RedisEndpoint redis,
                         std::string service, QueryHandler& handler, IndicatorExporter& indicators,
                         Clock clock, std::chrono::milliseconds refreshEvery,
                         const std::optional<CurveKeys>& curve)
    : socket_(context, zmq::socket_type::router),
      redis_(redis),
      refreshRedis_(std::move(redis)),
      service_(std::move(service)),
      handler_(handler),
      indicators_(indicators),
      clock_(std::move(clock)),
      refreshEvery_(refreshEvery),
      log_(service_ + ".query") {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::maxmsgsize, int64_t{64 * 1024});
  if (curve) makeCurveServer(socket_, *curve, CurveDomain::internal);
  socket_.bind(endpoint);
  endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
  thread_ = std::thread([this] { serve(); });
  refresher_ = std::thread([this] { refreshIndicators(); });
}

QueryServer::~QueryServer() {
  stop_ = true;
  thread_.join();
  refresher_.join();
}

// On a thread and connection of its own: reading every indicator of a service with a year of
// state takes long enough (hundreds of ms) to hold up the queries waiting behind it.
void QueryServer::refreshIndicators() {
  auto nextRefresh = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() >= nextRefresh) {
      try {
        indicators_.refresh(refreshRedis_, clock_());
      } catch (const std::exception& e) {
        log_.warn("indicators not refreshed", {{"error", e.what()}});
      }
      nextRefresh = std::chrono::steady_clock::now() + refreshEvery_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void QueryServer::serve() {
  std::vector<zmq::message_t> frames;
  while (!stop_) {
    if (!waitReadable(socket_, std::chrono::milliseconds(100))) continue;
    while (true) {
      frames.clear();
      if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait))
        break;
      std::string answerBytes =
          frames.size() == 2
              ? answer(frames[1].to_string())
              : reply([](auto r) { r.setError("send one query per message, as a single frame"); });
      std::array<zmq::const_buffer, 2> parts{zmq::buffer(frames[0].data(), frames[0].size()),
                                             zmq::buffer(answerBytes)};
      zmq::send_multipart(socket_, parts, zmq::send_flags::dontwait);
    }
  }
}

std::string QueryServer::answer(const std::string& request) {
  try {
    FrameReader reader(request);
    auto query = reader.root<msg::Query>();
    std::optional<std::string> json;
    switch (query.which()) {
      case msg::Query::WORKER_SECTION: {
        auto section = handler_.workerSection(redis_, query.getWorkerSection().cStr());
        return reply([&](auto r) {
          if (section.json) {
            r.setJson(*section.json);
          } else {
            r.setNotFound();
          }
          auto keys = r.initKeysRead(static_cast<unsigned>(section.keysRead.size()));
          for (unsigned i = 0; i < keys.size(); ++i) keys.set(i, section.keysRead[i]);
        });
      }
      case msg::Query::INDICATORS: {
        auto q = query.getIndicators();
        auto now = clock_();
        auto answers = indicators_.query(redis_, now, q.getYear(), q.getArea().cStr(),
                                         q.getMeasure(), q.getPeriod().cStr());
        std::vector<AreaReporting> reporting;
        if (q.getWithReporting()) {
          auto period = parseQuarter(q.getPeriod().cStr());
          reporting = indicators_.reporting(redis_, now, q.getYear(), period ? period->name() : "");
        }
        return reply([&](auto r) {
          setIndicators(r, answers);
          setReporting(r, reporting);
        });
      }
      case msg::Query::VERDICT: {
        auto verdict = redis_.command({"GET", keys::verdict(service_, query.getVerdict().cStr())});
        // A refusal or a note is kept as its JSON object (storedVerdict), "applied" as a word.
        if (!verdict.isNil()) {
          json = verdict.str.starts_with("{") ? verdict.str : jsonQuote(verdict.str);
        }
        break;
      }
      case msg::Query::LIST:
        json = handler_.list(redis_, query.getList());
        break;
    }
    if (!json) return reply([](auto r) { r.setNotFound(); });
    return reply([&](auto r) { r.setJson(*json); });
  } catch (const kj::Exception& e) {
    // The library's text stays in the log: it quotes addresses of this process's memory.
    log_.warn("query not readable", {{"error", e.getDescription().cStr()}});
    return reply([](auto r) { r.setError("query: 无法读取 / not a readable Cap'n Proto query"); });
  } catch (const std::exception& e) {
    log_.warn("query not answered", {{"error", e.what()}});
    return reply([&](auto r) { r.setError(std::string("cannot answer now: ") + e.what()); });
  }
}

QueryClient::QueryClient(zmq::context_t& context, const std::string& endpoint,
                         std::optional<CurveClient> curve)
    : context_(context), endpoint_(endpoint), curve_(std::move(curve)), socket_(connect()) {}

zmq::socket_t QueryClient::connect() {
  zmq::socket_t socket(context_, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  if (curve_) makeCurveClient(socket, curve_->own, curve_->serverPublic);
  socket.connect(endpoint_);
  return socket;
}

std::optional<std::string> QueryClient::ask(capnp::MessageBuilder& query,
                                            std::chrono::milliseconds deadline) {
  std::string bytes = toBytes(query);
  socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
  if (!waitReadable(socket_, deadline)) {
    socket_ = connect();
    return std::nullopt;
  }
  zmq::message_t answer;
  (void)socket_.recv(answer);
  return answer.to_string();
}

}  // namespace mwp
