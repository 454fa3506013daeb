// An integration test on an emptied test Redis, with a bus in the test process (4 partitions) and
// a publisher to it: what the tests of the bus and of the services start from.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "bus_client.h"
#include "test_env.h"

namespace mwp::test {

class BusFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    flushRedis();
    bus_ = std::make_unique<BusThread>(4);
    publisher_ = std::make_unique<Publisher>(context_, bus_->ingest);
  }

  // JSON events (each must decode) through the bus: one answer each, in their order.
  std::vector<IngestResult> publish(const std::vector<std::string>& json) {
    std::vector<std::string> frames;
    for (const auto& j : json) frames.push_back(frameOf(j));
    return publisher_->publish(frames);
  }

  zmq::context_t context_;  // declared first: outlives the publisher's socket
  std::unique_ptr<BusThread> bus_;
  std::unique_ptr<Publisher> publisher_;
};

}  // namespace mwp::test
