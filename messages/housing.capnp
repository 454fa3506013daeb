@0xce42267f83ade6e2;
# The housing service's record of one worker (measure 11): state and, as JSON, the section.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");

struct HousingRecord {
  allocation @0 :Allocation;             # the public rental unit held now; unitId "" when none
  pastAllocations @1 :List(Allocation);  # vacated, with vacatedOn
  rentSubsidies @2 :List(RentSubsidy);
  providentFund @3 :List(ProvidentFundEnrolment);
}

struct Allocation {
  unitId @0 :Text;
  estate @1 :Text;
  areaSqm @2 :Float64;
  monthlyRentYuan @3 :UInt32;
  leaseStart @4 :Text;
  leaseEnd @5 :Text;
  vacatedOn @6 :Text;
}

struct RentSubsidy {
  monthlyYuan @0 :UInt32;
  months @1 :UInt32;
  grantedOn @2 :Text;
}

struct ProvidentFundEnrolment {
  employerCode @0 :Text;
  monthlyContributionYuan @1 :UInt32;
  enrolledOn @2 :Text;
}

# The public rental units of one estate completed, phase by phase (publicRentalCompleted), and how
# many of each phase are let to migrant workers: the numerator of measure 11's share, counted in
# the area and year of the phase. State key estate:<estate>.
struct EstateRecord {
  completions @0 :List(Completion);
  # Units let that no phase completed by their lease's start has room for: in no share.
  unattributed @1 :UInt32;
  # The lease's first day (days since 1970-01-01) of each unit of the estate the first time it
  # was let to a migrant worker, earliest first. The phases' `allocated` are worked out from
  # these and the phases alone (settleLettings), so they do not depend on which of an estate's
  # lettings and completions, events of different partitions, was applied first.
  letDays @2 :List(Int32);

  struct Completion {
    area @0 :Text;
    year @1 :UInt16;
    units @2 :UInt32;
    allocated @3 :UInt32;  # of `units`, how many are let to migrant workers
    day @4 :Int32;         # completedOn, days since 1970-01-01: the order phases fill in
  }
}
