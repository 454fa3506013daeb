@0xb8e4c7d21a9f3e55;
# The rights service's record of one case (measures 20–22): its state in Redis and, as JSON, what
# the gateway shows of it.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using E = import "events.capnp";

struct RightsCase {
  type @0 :CaseType;
  caseNo @1 :Text;
  workerId @2 :Text;      # "" when the complaint names no single worker
  area @3 :Text;          # the office handling it
  status @4 :CaseStatus;
  filedOn @5 :Text;
  acceptedOn @6 :Text;
  closedOn @7 :Text;
  outcome @8 :Text;       # resolved / closed / decided: the outcome's name
  extendedDays @9 :UInt32;
  claimedYuan @10 :UInt32;
  recoveredYuan @11 :UInt32;  # wage claims: recovered; disputes: awarded
  governmentInvested @12 :Bool;
  detail @13 :Text;       # category, matter, or project
  deadlines @14 :List(Deadline);
}

enum CaseType { wageClaim @0; dispute @1; legalAid @2; }

enum CaseStatus {
  filed @0;      # waiting for acceptance (or the legal-aid decision)
  accepted @1;   # in progress
  closed @2;     # resolved, closed, rejected or decided
}

struct Deadline {
  stage @0 :E.CaseStage;
  dueOn @1 :Text;
  doneOn @2 :Text;       # "" while the stage is open
  overdue @3 :Bool;      # caseOverdue emitted
  late @4 :Bool;         # done after dueOn
}

struct WorkerCases {
  cases @0 :List(Text);  # state keys of the worker's cases
}
