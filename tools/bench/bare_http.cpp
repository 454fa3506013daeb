// mwp-bench-bare-http: the limit the gateway is compared with — cpp-httplib, the library the
// gateway served with before its event-driven server, with the settings it had then (TCP_NODELAY,
// long keep-alive, a pool of 16 threads), answering every GET with a fixed body read from a file:
// the cost of HTTP alone. Kept as it was, so that the ratio means the same from run to run.
//   mwp-bench-bare-http PORT BODY_FILE
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "command_line.h"

int main(int argc, char** argv) {
  uint16_t port = 0;
  std::string bodyFile;
  mwp::CommandLine line(
      "mwp-bench-bare-http",
      "The cost of HTTP alone: answers every GET on 127.0.0.1:PORT with the bytes "
      "of BODY_FILE,\nwith the gateway's HTTP settings.");
  line.operand("PORT", "the port to listen on",
               [&port](const std::string& text) {
                 port = mwp::CommandLine::wholeNumberFor<uint16_t>(text);
               })
      .operand("BODY_FILE", "the body of every answer",
               [&bodyFile](const std::string& path) { bodyFile = path; });
  return mwp::runTool(line, argc, argv, [&] {
    std::ifstream in(bodyFile);
    if (!in) throw std::runtime_error(bodyFile + ": cannot be read");
    std::stringstream body;
    body << in.rdbuf();
    std::string fixed = body.str();
    httplib::Server server;
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100000);
    server.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server.Get(R"(/.*)", [&fixed](const httplib::Request&, httplib::Response& res) {
      res.set_content(fixed, "application/json");
    });
    return server.listen("127.0.0.1", port) ? 0 : 1;
  });
}
