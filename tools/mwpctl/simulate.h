// A simulated year of Mianyang for the demo and the benchmarks: workers across the nine counties
// and the parks, with registrations, fairs, vacancies, trainings, certificates, loans, housing,
// school placements, health checks, projects with their wage accounts, attendance and payments,
// wage claims, disputes, legal aid and outreach activities in rough proportion — some of them bad
// (a wrong check digit, an area outside Mianyang) or late.
// Deterministic for a seed: the same seed gives the same events with the same ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mwp::simulate {

struct Options {
  uint32_t workers = 20000;
  uint64_t seed = 2019;
  int year = 2026;
  int64_t now = 0;  // Unix seconds: no date after it is generated
};

// JSON events, one per element, ordered by occurredAt.
std::vector<std::string> simulateYear(const Options& options);

}  // namespace mwp::simulate
