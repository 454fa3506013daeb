@0x9a6fe4aefe999d0c;
# The education service's record of one parent's requests for their children (measure 14).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using E = import "events.capnp";

struct EducationRecord {
  placements @0 :List(Placement);
}

struct Placement {
  childName @0 :Text;
  childIdMasked @1 :Text;     # 510***********1234: the child's full ID stays in the request key
  stage @2 :E.SchoolStage;
  residenceArea @3 :Text;
  requestedOn @4 :Text;
  decision :union {
    pending @5 :Void;
    placed @6 :Text;          # the school
    refusedBecause @7 :Text;
  }
  schoolArea @8 :Text;
  decidedOn @9 :Text;
  overdue @10 :Bool;          # decided more than 30 days after the request (a request still
                              # waiting counts in the undecided_over_30_days indicator)
}
