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
  # Units first let before a completion with a unit still unlet was reported: given to the next
  # phase reported.
  unattributed @1 :UInt32;

  struct Completion {
    area @0 :Text;
    year @1 :UInt16;
    units @2 :UInt32;
    allocated @3 :UInt32;  # of `units`, how many are let to migrant workers
  }
}
