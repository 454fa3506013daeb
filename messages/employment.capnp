@0x90bbe3d55d6c5474;
# The employment service's record of one worker (measures 2–4, 6–8, 10, 16): its state in Redis
# and, encoded as JSON, the worker's employment section for the gateway.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using E = import "events.capnp";

struct EmploymentRecord {
  profile @0 :Profile;
  employmentRegistrations @1 :List(EmploymentRegistration);
  unemploymentRegistrations @2 :List(UnemploymentRegistration);
  publicWelfareJobs @3 :List(PublicWelfareJob);
  trainings @4 :List(Training);
  certificates @5 :List(Certificate);
  competitions @6 :List(Competition);
  businesses @7 :List(Business);
  loans @8 :List(Loan);
  socialSecurityCardIssuedOn @9 :Text;  # "" until issued
  insuranceTransfers @10 :List(InsuranceTransfer);
  medicalRegistrations @11 :List(MedicalRegistration);
  insurance @12 :Insurance;       # measure 16: insured once, whatever the schemes
  poorListing @13 :PoorListing;   # measure 3: 建档立卡 poor labour
  insuranceEnrolments @14 :List(InsuranceEnrolment);
}

struct Insurance {
  insuredOn @0 :Text;  # the earliest enrolledOn of any scheme; "" while not insured
  area @1 :Text;       # the office of that enrolment: the area the worker counts in
}

struct InsuranceEnrolment {
  scheme @0 :E.InsuranceScheme;
  employerCode @1 :Text;
  enrolledOn @2 :Text;
}

struct PoorListing {
  listedOn @0 :Text;   # "" while not listed
  area @1 :Text;
  placedOn @2 :Text;   # the first employment registration or public-welfare job; "" until then
}

struct Profile {
  registered @0 :Bool;   # in the real-name registry (measure 2)
  name @1 :Text;
  gender @2 :E.Gender;
  phone @3 :Text;
  hukouArea @4 :Text;
  currentArea @5 :Text;
  currentCity @6 :Text;
  employerCode @7 :Text;
  employed @8 :Bool;
  registeredOn @9 :Text;
  updatedOn @10 :Text;   # the last registration or update: stale 92 days after
  area @11 :Text;        # the office that keeps the record
}

struct EmploymentRegistration {
  employerCode @0 :Text;
  startedOn @1 :Text;
  registeredPoor @2 :Bool;
}

struct UnemploymentRegistration {
  residentSince @0 :Text;
  registeredOn @1 :Text;
}

struct PublicWelfareJob {
  position @0 :Text;
  startedOn @1 :Text;
}

struct Training {
  programme @0 :E.TrainingProgramme;
  hours @1 :UInt32;
  provider @2 :Text;
  completedOn @3 :Text;
}

struct Certificate {
  certificateNo @0 :Text;
  occupation @1 :Text;
  level @2 :E.SkillLevel;
  issuedOn @3 :Text;
  mailedOn @4 :Text;     # "" until mailed
  trackingNo @5 :Text;
  subsidy :union {       # the skill-upgrade subsidy decision (measure 4)
    undecided @6 :Void;
    grantedYuan @7 :UInt32;
    deniedBecause @8 :Text;
  }
  claimedOn @9 :Text;    # the day the certificate was reported: the subsidy's claim ("" before
                         # mwp kept it)
}

struct Competition {
  competition @0 :Text;
  heldOn @1 :Text;
  award @2 :Text;
}

struct Business {
  businessCode @0 :Text;
  sector @1 :Text;
  jobsCreated @2 :UInt32;
  startedOn @3 :Text;
}

struct Loan {
  applicationNo @0 :Text;
  amountYuan @1 :UInt32;
  eligible @2 :Bool;
  appliedOn @3 :Text;
  decision :union {
    pending @4 :Void;
    approvedYuan @5 :UInt32;
    refusedBecause @6 :Text;
  }
  decidedOn @7 :Text;
}

struct InsuranceTransfer {
  fromArea @0 :Text;
  toArea @1 :Text;
  transferredOn @2 :Text;
}

struct MedicalRegistration {
  insuredArea @0 :Text;
  registeredOn @1 :Text;
}
