@0xbc83d7143828b0af;
# The health service's record of one worker (measure 15). Sensitive personal information: the
# gateway returns it only to callers entitled to health data.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using E = import "events.capnp";

struct HealthRecord {
  checks @0 :List(HealthCheck);
  exposures @1 :List(Exposure);  # hazards registered (measure 15: should be checked each year)
}

struct Exposure {
  employerCode @0 :Text;
  hazard @1 :E.Hazard;
  registeredOn @2 :Text;
  area @3 :Text;  # the office that registered it: where the worker counts as exposed
}

struct HealthCheck {
  checkType @0 :E.HealthCheckType;
  free @1 :Bool;
  result @2 :E.HealthCheckResult;
  performedOn @3 :Text;
}
