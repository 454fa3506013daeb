@0xdc953917929cf386;
# What the gateway asks a service over its query socket (DEALER → ROUTER), one request per
# message, and what it answers. Sections and lists come back as JSON text: the gateway embeds them
# in its responses as they are. Indicators come back typed: the gateway regroups them by measure.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");

struct Query {
  union {
    workerSection @0 :Text;        # a workerId: the service's section of that worker's record
    indicators @1 :IndicatorQuery; # the service's measure indicators
    verdict @2 :Text;              # an eventId: "applied", a refusal {"status":"refused","rule","reason","reasonZh"}, or notFound
    list @3 :ListQuery;            # a service-specific listing (the registry, open cases), paged
  }
}

struct IndicatorQuery {
  year @0 :UInt16;     # 0: every year held
  area @1 :Text;       # "": every area and the city-wide total ("all")
  measure @2 :UInt8;   # 0: every measure the service owns
}

struct ListQuery {
  name @0 :Text;       # what to list, e.g. "registry"
  filter @1 :Text;     # name-specific, e.g. an area code
  pageSize @2 :UInt32;
  pageToken @3 :Text;  # opaque; "" for the first page
}

struct QueryReply {
  union {
    json @0 :Text;
    notFound @1 :Void;
    error @2 :Text;    # the question could not be answered; says why
    indicators @4 :List(CountedIndicator);  # the answer to an indicator query
  }
  # For a worker section (json or notFound): the Redis keys it was read from. The gateway keeps
  # the section until the service announces a write to one of them (keys::kStateChanges).
  keysRead @3 :List(Text);
}

# One indicator of a measure, in an area and a year, as the service counts it now.
struct CountedIndicator {
  measure @0 :UInt8;
  indicator @1 :Text;  # the catalogue's name, e.g. "workers_registered"
  area @2 :Text;       # a reporting area, or "all": city-wide
  year @3 :UInt16;
  value @4 :Float64;
  target :union {      # the policy's target for this indicator there, where it sets one
    none @5 :Void;
    value @6 :Float64;
  }
}
