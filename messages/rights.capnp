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
  mediatedOn @15 :Text;   # disputes: the day mediation inside arbitration ended ("" while none)
  owedUntil @16 :Text;    # wage claims: the last day the wages were owed, when the complaint says
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
  calendarMissing @5 :UInt16;  # a year the working days were counted through without its
                               # holiday notice (weekends alone: dueOn is provisional); 0: none
  pausedOn @6 :Text;     # the clock stopped on this day (a dispute suspended, legal-aid material
                         # missing); dueOn is then the day it would have been, and moves by the
                         # stopped time when the clock restarts. "" while running
  rule @7 :Text;         # the rule that sets the period (an id of common/core/rules.json)
}

struct WorkerCases {
  cases @0 :List(Text);     # state keys of the worker's cases
  projects @1 :List(Text);  # state keys of the worker's enrolments (project:<id>:worker:<id>), sorted
}

# ---------------------------------------------------------------------------------------------
# Measure 20, wage payment at the source: the layout is described in wage_payment.h.

struct WageWarning {
  warningId @0 :Text;       # derived from its cause: <projectId>:<kind>[:<month>][:<worker digest>]
  kind @1 :E.WageWarningRule;  # the name integrators and alerts key on (workerUnpaid)
  level @2 :E.WarningLevel; # yellow may rise to red in place
  month @3 :Text;           # "" for a warning about the whole project or a worker's leaving
  workerId @4 :Text;        # "" for a warning about the project
  dueOn @5 :Text;           # the day its condition was due: the day it is raised on
  raisedOn @6 :Text;
  redOn @7 :Text;           # the day it rose to red ("" while yellow)
  clearedOn @8 :Text;       # "" while open
  # Its rule in the register (rights.wage_warning.worker_unpaid) and why it was raised, as a clerk
  # would write it, with its figures: from the register's template (rules.json "reason"), set
  # when raised and again when it rises to red. "" in a warning stored before they were kept.
  rule @9 :Text;
  reason @10 :Text;         # English
  reasonZh @11 :Text;
}

struct WageDeposit {
  amountYuan @0 :UInt32;
  form @1 :E.DepositForm;
  lodgedOn @2 :Text;
}

# One month of a project's ledger.
struct ProjectMonth {
  month @0 :Text;                # YYYY-MM
  labourCostYuan @1 :UInt64;     # transferred into the wage account for this month
  labourCostOn @2 :Text;         # the first transfer's day ("" while none)
  workersAttended @3 :UInt32;    # workers with daysWorked > 0
  workersPaid @4 :UInt32;        # of them, paid anything for the month
  workersPaidByPayday @5 :UInt32;  # of them, paid by the payday of the next month
  lastPaidOn @6 :Text;           # the latest day a worker was paid for the month
}

struct WageProject {
  projectId @0 :Text;
  area @1 :Text;                 # the county of the project: the registering event's area
  name @2 :Text;
  sector @3 :E.ProjectSector;
  ownerCode @4 :Text;
  contractorCode @5 :Text;
  governmentInvested @6 :Bool;
  contractYuan @7 :UInt64;
  startOn @8 :Text;
  plannedEndOn @9 :Text;
  payday @10 :UInt8;
  countedYear @11 :Int32;        # the year (of the first startOn) its figures count in
  accountBank @12 :Text;
  accountOpenedOn @13 :Text;     # "" while it has no wage account
  deposits @14 :List(WageDeposit);
  months @15 :List(ProjectMonth);  # in the order first reported
  workersEnrolled @16 :UInt32;
  warnings @17 :List(WageWarning); # the project's own: noWageAccount, noWageDeposit, labourCostLate, manyUnpaid
  completedOn @18 :Text;
  arrearYears @19 :List(Int32);  # government-invested: the years it had a red warning in
  openYellow @20 :UInt32;        # open warnings, its own and its workers', by level
  openRed @21 :UInt32;
}

# One worker's month on a project.
struct WorkerMonth {
  month @0 :Text;
  daysWorked @1 :UInt8;
  paidYuan @2 :UInt32;           # every payment for the month, summed
  firstPaidOn @3 :Text;          # "" while unpaid
  lastPaidOn @4 :Text;
  outsideAccountOn @5 :Text;     # the first payment not through the wage account
  throughAccountOn @6 :Text;     # the latest payment through the wage account
}

# A worker's enrolment on a project (real-name registration, 条例 art. 28).
struct ProjectWorker {
  projectId @0 :Text;
  workerId @1 :Text;
  employerCode @2 :Text;
  trade @3 :Text;
  contractSigned @4 :Bool;
  enrolledOn @5 :Text;
  leftOn @6 :Text;               # "" while on the project
  months @7 :List(WorkerMonth);  # in the order first reported
  warnings @8 :List(WageWarning);
  unpaidCountedYear @9 :Int32;   # the year workers_unpaid counts the worker in; 0 when not counted
}
