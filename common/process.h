// What every mwp process does at start: read the shared settings, honour --print-config, and turn
// SIGTERM / SIGINT into a stop flag that its loop checks.
#pragma once

#include <atomic>
#include <string>

#include "config.h"
#include "redis.h"

namespace mwp {

// Set by SIGTERM or SIGINT once installStopSignals() has run.
const std::atomic<bool>& stopRequested();
void installStopSignals();

// MWP_REDIS_HOST, MWP_REDIS_PORT, MWP_REDIS_PASSWORD.
RedisEndpoint redisFromEnv(Env& env);

// MWP_PARTITION_COUNT: partitions of the event log, the same for the bus and every service.
uint32_t partitionCountFromEnv(Env& env);

// True if argv has --print-config; the caller prints env.describe() and exits 0.
bool wantsPrintConfig(int argc, char** argv);

}  // namespace mwp
