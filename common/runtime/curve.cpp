#include "curve.h"

#include <fstream>
#include <zmq_addon.hpp>

#include "bus_client.h"
#include "config.h"

namespace mwp {

CurveKeys newCurveKeys() {
  char pub[41], sec[41];
  if (zmq_curve_keypair(pub, sec) != 0) throw std::runtime_error("libzmq was built without CURVE");
  return {pub, sec};
}

CurveKeys readCurveKeys(const std::string& path) {
  CurveKeys keys;
  forEachConfigLine(readTextFile(path, "the key file"), 2,
                    [&](int, const std::vector<std::string>& w) {
                      if (w[0] == "public") keys.publicKey = w[1];
                      if (w[0] == "secret") keys.secretKey = w[1];
                    });
  if (keys.publicKey.size() != 40 || (!keys.secretKey.empty() && keys.secretKey.size() != 40)) {
    throw ConfigError(path + ": expected \"public <40 Z85 characters>\" and \"secret <…>\" lines");
  }
  return keys;
}

void writeCurveKeys(const std::string& path, const CurveKeys& keys, const std::string& comment) {
  std::ofstream out(path);
  out << "# " << comment << "\npublic " << keys.publicKey << "\n";
  if (!keys.secretKey.empty()) out << "secret " << keys.secretKey << "\n";
  if (!out) throw ConfigError("cannot write the key file " + path);
}

std::map<std::string, std::string> readCurveClients(const std::string& path) {
  std::map<std::string, std::string> clients;
  forEachConfigLine(readTextFile(path, "the CURVE clients file"), 2,
                    [&](int number, const std::vector<std::string>& w) {
                      if (w[1].size() != 40) {
                        throw ConfigError(path + " line " + std::to_string(number) +
                                          ": expected \"<user-id> <public key, Z85>\"");
                      }
                      clients[w[1]] = w[0];
                    });
  return clients;
}

namespace {
const char* domainName(CurveDomain domain) {
  return domain == CurveDomain::ingest ? "ingest" : "internal";
}
}  // namespace

void makeCurveServer(zmq::socket_t& socket, const CurveKeys& keys, CurveDomain domain) {
  socket.set(zmq::sockopt::curve_server, true);
  socket.set(zmq::sockopt::curve_secretkey, keys.secretKey);
  socket.set(zmq::sockopt::zap_domain, domainName(domain));
}

bool ZapHandler::mayConnect(const std::string& domain, const std::string& user) {
  if (domain == domainName(CurveDomain::ingest)) return true;
  return user == "mwpService" || user == "gateway" || user == "operator";
}

void makeCurveClient(zmq::socket_t& socket, const CurveKeys& own, const std::string& serverPublic) {
  socket.set(zmq::sockopt::curve_serverkey, serverPublic);
  socket.set(zmq::sockopt::curve_publickey, own.publicKey);
  socket.set(zmq::sockopt::curve_secretkey, own.secretKey);
}

ZapHandler::ZapHandler(zmq::context_t& context, std::map<std::string, std::string> clients)
    : socket_(context, zmq::socket_type::rep), clients_(std::move(clients)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::thread([this] { serve(); });
}

ZapHandler::~ZapHandler() {
  stop_ = true;
  thread_.join();
}

void ZapHandler::serve() {
  std::vector<zmq::message_t> request;
  while (!stop_) {
    if (!waitReadable(socket_, std::chrono::milliseconds(100))) continue;
    request.clear();
    if (!zmq::recv_multipart(socket_, std::back_inserter(request), zmq::recv_flags::dontwait))
      continue;
    // version, request id, domain, address, identity, mechanism, credentials…
    std::string requestId = request.size() > 1 ? request[1].to_string() : "";
    std::string status = "400", text = "key not allowed on this socket", user;
    if (request.size() >= 7 && request[5].to_string() == "CURVE" && request[6].size() == 32) {
      char z85[41];
      zmq_z85_encode(z85, static_cast<const uint8_t*>(request[6].data()), 32);
      auto it = clients_.find(z85);
      if (it != clients_.end() && mayConnect(request[2].to_string(), it->second)) {
        status = "200";
        text = "OK";
        user = it->second;
      }
    }
    if (status != "200") ++refused_;
    std::array<zmq::const_buffer, 6> reply{zmq::str_buffer("1.0"), zmq::buffer(requestId),
                                           zmq::buffer(status),    zmq::buffer(text),
                                           zmq::buffer(user),      zmq::const_buffer()};
    zmq::send_multipart(socket_, reply);
  }
}

}  // namespace mwp
