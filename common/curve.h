// CurveZMQ for the bus's ingest: key pairs in files, and the ZAP handler that decides which client
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

// Makes `socket` a CURVE server with `keys` (call before bind), authenticated by the context's
// ZAP handler; the user-id of each message's sender is then its "User-Id" property.
void makeCurveServer(zmq::socket_t& socket, const CurveKeys& keys);
// Makes `socket` a CURVE client of the server key (call before connect).
void makeCurveClient(zmq::socket_t& socket, const CurveKeys& own, const std::string& serverPublic);

// The client side's settings, when CURVE is on: its own key pair and the server's public key.
struct CurveClient {
  CurveKeys own;
  std::string serverPublic;
};

// ZAP (RFC 27) on inproc://zeromq.zap.01 of `context`: a client key is let in only if it is in
// `clients` (public key → user id). Serves from its own thread until destroyed; thread-safe.
class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, std::map<std::string, std::string> clientsByPublicKey);
  ~ZapHandler();

  size_t refused() const { return refused_; }

 private:
  void serve();
  zmq::socket_t socket_;
  std::map<std::string, std::string> clients_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> refused_{0};
  std::thread thread_;
};

}  // namespace mwp
