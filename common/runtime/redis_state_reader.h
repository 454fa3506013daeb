// A service's committed state in Redis, read-only, as computed indicators read it.
#pragma once

#include <string>

#include "redis.h"
#include "state.h"

namespace mwp {

class RedisStateReader : public StateReader {
 public:
  // Reads `service`'s keys (serviceKey) on `redis`, which must outlive the reader.
  RedisStateReader(Redis& redis, std::string service)
      : redis_(redis), service_(std::move(service)) {}

  std::vector<std::optional<std::string>> getMany(const std::vector<std::string>& keys) const override;
  std::vector<Scored> scoredUpTo(const std::string& set, double maxScore) const override;
  size_t countUpTo(const std::string& set, double maxScore) const override;

 private:
  Redis& redis_;
  std::string service_;
};

}  // namespace mwp
