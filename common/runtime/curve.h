// CurveZMQ on every mwp socket: key pairs in files, and the ZAP handler that decides which client
// keys may connect. A CURVE server without a ZAP handler accepts every client key, so a server
// socket is only made CURVE together with a ZapHandler in the same context.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <zmq.hpp>

namespace mwp {

struct CurveKeys {
  std::string publicKey;  // Z85, 40 characters
  std::string secretKey;  // Z85; empty in a public-only file
};

CurveKeys newCurveKeys();
// A key file: "public <z85>" and "secret <z85>" lines; throws ConfigError naming the file.
CurveKeys readCurveKeys(const std::string& path);
void writeCurveKeys(const std::string& path, const CurveKeys& keys, const std::string& comment);

// Who may connect: "<user-id> <public-z85>" per line (user-id: a department such as hrss,
// mwpService for the services' derived events, or operator for the demo loader).
std::map<std::string, std::string> readCurveClients(const std::string& path);

// Which clients a server socket takes. The ingest takes every listed key (departments send
// events); the internal sockets — the bus's fan-out and the services' queries — only the keys of
// mwp's own parts (mwpService, gateway, operator), so a department's key cannot read the stream.
enum class CurveDomain { ingest, internal };

// Makes `socket` a CURVE server with `keys` (call before bind), authenticated by the context's
// ZAP handler; the user-id of each message's sender is then its "User-Id" property.
void makeCurveServer(zmq::socket_t& socket, const CurveKeys& keys, CurveDomain domain);
// Makes `socket` a CURVE client of the server key (call before connect).
void makeCurveClient(zmq::socket_t& socket, const CurveKeys& own, const std::string& serverPublic);

// The client side's settings, when CURVE is on: its own key pair and the server's public key.
struct CurveClient {
  CurveKeys own;
  std::string serverPublic;
};

// ZAP (RFC 27) on inproc://zeromq.zap.01 of `context`: a client key is let in only if it is in
// `clients` (public key → user id) and its user id may use the socket's domain. Serves from its
// own thread until destroyed; thread-safe.
class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, std::map<std::string, std::string> clientsByPublicKey);
  ~ZapHandler();

  size_t refused() const { return refused_; }
  static bool mayConnect(const std::string& domain, const std::string& user);

 private:
  void serve();
  zmq::socket_t socket_;
  std::map<std::string, std::string> clients_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> refused_{0};
  std::thread thread_;
};

}  // namespace mwp
