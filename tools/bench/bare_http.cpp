// mwp-bench-bare-http: the limit the gateway is compared with — a server of the same HTTP library
// with the gateway's settings (TCP_NODELAY, long keep-alive, a pool of 16 threads), answering every
// GET with a fixed body read from a file: the cost of HTTP alone.
//   mwp-bench-bare-http PORT BODY_FILE
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: mwp-bench-bare-http PORT BODY_FILE\n";
    return 2;
  }
  std::ifstream in(argv[2]);
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
  return server.listen("127.0.0.1", std::stoi(argv[1])) ? 0 : 1;
}
