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
  period @3 :Text;     # "": the year; "YYYY-Qn" or "YYYY-spring" of that year (periods.h)
  withReporting @4 :Bool;  # also answer reporting (completeness) for the year's quarters
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
  # For an indicator query withReporting: each area owing each measure, each quarter of the year
  # begun (or the one quarter asked for).
  reporting @5 :List(AreaReported);
}

struct AreaReported {
  measure @0 :UInt8;
  quarter @1 :Text;    # YYYY-Qn
  area @2 :Text;
  reported @3 :Bool;
  onTime @4 :Bool;
  nothingToReport @5 :Bool;
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

# A page of a worklist (common/core/worklists.h), as a service answers the list query named
# "worklist:<name>" with the filter "<scope>" (an area, "all", or a 12-digit village), in JSON.
struct WorklistPage {
  entries @0 :List(WorklistEntry);
  nextPageToken @1 :Text;  # "" on the last page
}

struct WorklistEntry {
  workerId @0 :Text;
  year @1 :UInt16;   # the year whose promise the person counts in
  village @2 :Text;  # "" where the events name none
  since @3 :Text;    # YYYY-MM-DD: waiting since
}

# The names the employment service's registry holds for some workers (the list query "names",
# filter: workerIds separated by commas); a worker it does not know is left out.
struct WorkerNames {
  names @0 :List(WorkerName);
}

struct WorkerName {
  workerId @0 :Text;
  name @1 :Text;
}

# Measure 23's returnees of a year in one village (the outreach service's list query
# "villageCoverage", filter "<village>|<year>").
struct VillageCoverage {
  returnees @0 :UInt32;
  visited @1 :UInt32;
}
