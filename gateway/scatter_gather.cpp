#include "scatter_gather.h"

#include "frames.h"
#include "metrics.h"
#include "mwp/messages/query.capnp.h"
#include "query_server.h"

namespace mwp::gateway {

struct ScatterGather::SocketSet {
  std::map<std::string, zmq::socket_t> sockets;
};

ScatterGather::ScatterGather(zmq::context_t& context, std::vector<ServiceEndpoint> services,
                             prometheus::Registry& registry, std::optional<CurveClient> curve)
    : context_(context),
      services_(std::move(services)),
      curve_(std::move(curve)) {
  auto& latency = prometheus::BuildHistogram()
                      .Name("mwp_gateway_service_seconds")
                      .Help("Time a service took to answer the gateway's query")
                      .Register(registry);
  auto& timeouts = prometheus::BuildCounter()
                       .Name("mwp_gateway_service_timeouts_total")
                       .Help("Queries a service did not answer within the deadline")
                       .Register(registry);
  for (const auto& s : services_) {
    latency_[s.name] = &latency.Add({{"service", s.name}}, latencyBuckets());
    timeouts_[s.name] = &timeouts.Add({{"service", s.name}});
  }
}

ScatterGather::~ScatterGather() = default;

zmq::socket_t ScatterGather::connect(const std::string& endpoint) {
  zmq::socket_t socket(context_, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  if (curve_) makeCurveClient(socket, curve_->own, curve_->serverPublic);
  socket.connect(endpoint);
  return socket;
}

std::unique_ptr<ScatterGather::SocketSet> ScatterGather::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto set = std::move(idle_.back());
      idle_.pop_back();
      return set;
    }
  }
  auto set = std::make_unique<SocketSet>();
  for (const auto& s : services_) set->sockets.emplace(s.name, connect(s.endpoint));
  return set;
}

void ScatterGather::release(std::unique_ptr<SocketSet> set) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(set));
}

std::map<std::string, ServiceAnswer> ScatterGather::ask(capnp::MessageBuilder& query,
                                                        std::chrono::milliseconds deadline,
                                                        const std::vector<std::string>& only) {
  auto set = acquire();
  std::string bytes = toBytes(query);
  auto started = std::chrono::steady_clock::now();
  auto until = started + deadline;

  std::vector<std::string> asked;
  for (const auto& s : services_) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.name) == only.end()) continue;
    set->sockets.at(s.name).send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    asked.push_back(s.name);
  }
  std::map<std::string, ServiceAnswer> answers;
  while (answers.size() < asked.size()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    std::vector<zmq::pollitem_t> items;
    std::vector<std::string> waiting;
    for (const auto& name : asked) {
      if (answers.count(name)) continue;
      items.push_back({set->sockets.at(name).handle(), 0, ZMQ_POLLIN, 0});
      waiting.push_back(name);
    }
    try {
      zmq::poll(items.data(), items.size(), left);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      if (!(items[i].revents & ZMQ_POLLIN)) continue;
      zmq::message_t reply;
      (void)set->sockets.at(waiting[i]).recv(reply);
      ServiceAnswer answer;
      try {
        FrameReader reader(std::string_view(static_cast<const char*>(reply.data()), reply.size()));
        auto r = reader.root<msg::QueryReply>();
        switch (r.which()) {
          case msg::QueryReply::JSON:
            answer = ServiceAnswer{ServiceAnswer::Kind::kJson, r.getJson().cStr()};
            break;
          case msg::QueryReply::NOT_FOUND:
            answer = ServiceAnswer{ServiceAnswer::Kind::kNotFound, ""};
            break;
          case msg::QueryReply::INDICATORS:
            answer.kind = ServiceAnswer::Kind::kIndicators;
            answer.indicators = indicatorsOf(r);
            answer.reporting = reportingIn(r);
            break;
          default:
            answer = ServiceAnswer{ServiceAnswer::Kind::kError, r.getError().cStr()};
        }
        for (auto key : r.getKeysRead()) answer.keysRead.emplace_back(key.cStr());
      } catch (const kj::Exception&) {
        answer = ServiceAnswer{ServiceAnswer::Kind::kError, "unreadable answer"};
      }
      answers[waiting[i]] = std::move(answer);
      latency_.at(waiting[i])->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  for (const auto& name : asked) {
    if (answers.count(name)) continue;
    answers[name] = ServiceAnswer{ServiceAnswer::Kind::kUnavailable, ""};
    timeouts_.at(name)->Increment();
    // A late answer must not be read as the next question's: this service gets a fresh socket.
    auto endpoint = std::find_if(services_.begin(), services_.end(), [&](const ServiceEndpoint& s) {
                      return s.name == name;
                    })->endpoint;
    set->sockets.at(name) = connect(endpoint);
  }
  release(std::move(set));
  return answers;
}

}  // namespace mwp::gateway
