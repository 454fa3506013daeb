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
