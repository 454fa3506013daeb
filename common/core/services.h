// The six services that apply the rules: their names (keys, logs, metrics, MWP_<NAME>_*
// variables), the catalogue's service whose measures each counts, their default ports on
// 127.0.0.1, and whether they keep a section of a worker's record. Declared here once: the
// services' main(), the gateway, the tools and the scripts' defaults follow this table.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "mwp/messages/catalogue.capnp.h"

namespace mwp {

struct ServiceInfo {
  std::string_view name;                   // "employment"
  msg::Service owns = msg::Service::EMPLOYMENT;  // whose measures in the catalogue
  int queryPort = 0;                       // the query socket's default port
  int adminPort = 0;                       // /metrics, /livez, /readyz
  bool keepsWorkerSection = false;         // answers a section of GET /v1/workers/{id}
};

inline constexpr std::array<ServiceInfo, 6> kServices{{
    {"employment", msg::Service::EMPLOYMENT, 7201, 9201, true},
    {"housing", msg::Service::HOUSING, 7202, 9202, true},
    {"education", msg::Service::EDUCATION, 7203, 9203, true},
    {"health", msg::Service::HEALTH, 7204, 9204, true},
    {"rights", msg::Service::RIGHTS, 7205, 9205, true},
    {"outreach", msg::Service::OUTREACH, 7206, 9206, false},
}};

// The entry of the service named `name`; throws std::invalid_argument for a name not in the table.
const ServiceInfo& serviceNamed(std::string_view name);

// Every service's name, in the table's order.
std::vector<std::string> serviceNames();

// The service's name in capitals, as in its MWP_<NAME>_* variables.
std::string upperName(std::string_view name);

}  // namespace mwp
