@0x845bca289e0a548a;
# The event catalogue (shared/design/EVENTS.md) — the contract with department systems.
#
# JSON is what capnp::JsonCodec makes of this schema: camelCase names, the payload as one member
# named after its kind, enums by name. Fields may be added at higher ordinals; none may be renamed.
# Every enum starts with `unspecified`, which is always refused: a member left out of a JSON event
# must be an error, never silently the first enumerant.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using R = import "rules.capnp";

enum Department {
  unspecified @0;
  hrss @1;              # 市人社局
  employmentBureau @2;  # 市就业局
  housing @3;           # 市住建委
  providentFund @4;     # 市住房公积金中心
  education @5;         # 市教体局
  health @6;            # 市卫健委
  justice @7;           # 市司法局
  court @8;             # 市法院
  publicSecurity @9;    # 市公安局
  transport @10;        # 市交通运输局
  civilAffairs @11;     # 市民政局
  culture @12;          # 市文广旅局
  finance @13;          # 市财政局
  tradeUnion @14;       # 市总工会
  youthLeague @15;      # 团市委
  womensFederation @16; # 市妇联
  propaganda @17;       # 市委宣传部
  organisation @18;     # 市委组织部
  staffing @19;         # 市委编办
  areaGovernment @20;   # a county or park government; the envelope's `area` says which
  mwpService @21;       # an mwp service reporting a derived event (a subsidy decided, a case overdue)
  waterResources @22;   # 市水利局
  bank @23;             # a bank keeping projects' wage accounts (农民工工资专用账户); `area`: the project's county
}

struct Envelope {
  eventId @0 :Text $R.maxLength(64);
  # Unique per event, `[A-Za-z0-9._:-]{1,64}`: the idempotency key.
  occurredAt @1 :Text $R.time;
  source @2 :Department;
  area @3 :Text $R.maxLength(8);
  # The Mianyang county (GB/T 2260) or park (area table) whose office reports the event.
  workerId @4 :Text $R.residentId $R.optional;
  # Required for kinds about one person, absent otherwise (see $R.worker on each kind).
  causedBy @5 :Text $R.optional $R.maxLength(64);
  # For a derived event: the eventId of the event that caused it.

  union {
    noPayload @6 :Void;
    # Lowest discriminant, so an envelope whose payload is missing reads as this and is refused.

    # employment (measures 1–10, 16)
    workerRegistered @7 :WorkerRegistered;
    workerUpdated @8 :WorkerUpdated;
    jobFairHeld @9 :JobFairHeld;
    vacancyPublished @10 :VacancyPublished;
    employmentRegistered @11 :EmploymentRegistered;
    unemploymentRegistered @12 :UnemploymentRegistered;
    publicWelfareJobAssigned @13 :PublicWelfareJobAssigned;
    trainingCompleted @14 :TrainingCompleted;
    skillCertified @15 :SkillCertified;
    certificateMailed @16 :CertificateMailed;
    skillCompetitionEntered @17 :SkillCompetitionEntered;
    labourBrandEstablished @18 :LabourBrandEstablished;
    businessStarted @19 :BusinessStarted;
    demonstrationSiteRecognized @20 :DemonstrationSiteRecognized;
    guaranteeLoanApplied @21 :GuaranteeLoanApplied;
    guaranteeLoanDecided @22 :GuaranteeLoanDecided;
    socialSecurityCardIssued @23 :SocialSecurityCardIssued;
    insuranceTransferred @24 :InsuranceTransferred;
    crossRegionMedicalRegistered @25 :CrossRegionMedicalRegistered;

    # housing (measure 11)
    publicRentalAllocated @26 :PublicRentalAllocated;
    publicRentalVacated @27 :PublicRentalVacated;
    dormitoryBedsProvided @28 :DormitoryBedsProvided;
    rentSubsidyGranted @29 :RentSubsidyGranted;
    providentFundEnrolled @30 :ProvidentFundEnrolled;

    # education (measure 14)
    schoolPlacementRequested @31 :SchoolPlacementRequested;
    schoolPlacementDecided @32 :SchoolPlacementDecided;

    # health (measure 15)
    healthCheckCompleted @33 :HealthCheckCompleted;
    occupationalIncidentReported @34 :OccupationalIncidentReported;

    # rights (measures 20–22)
    wageClaimFiled @35 :WageClaimFiled;
    wageClaimAccepted @36 :WageClaimAccepted;
    wageClaimExtended @37 :WageClaimExtended;
    wageClaimResolved @38 :WageClaimResolved;
    disputeFiled @39 :DisputeFiled;
    disputeAccepted @40 :DisputeAccepted;
    disputeRejected @41 :DisputeRejected;
    disputeMediated @42 :DisputeMediated;
    disputeExtended @43 :DisputeExtended;
    disputeAwarded @44 :DisputeAwarded;
    disputeClosed @45 :DisputeClosed;
    legalAidRequested @46 :LegalAidRequested;
    legalAidDecided @47 :LegalAidDecided;
    disputeSuspended @63 :DisputeSuspended;
    disputeResumed @64 :DisputeResumed;
    wageClaimRejected @65 :WageClaimRejected;
    legalAidMaterialRequested @66 :LegalAidMaterialRequested;
    legalAidMaterialSupplied @67 :LegalAidMaterialSupplied;

    # outreach (measures 12, 13, 17–19, 23–30)
    activityReported @48 :ActivityReported;

    # derived: emitted by the services, with ids derived from their cause
    subsidyGranted @49 :SubsidyGranted;
    subsidyDenied @50 :SubsidyDenied;
    caseOverdue @51 :CaseOverdue;

    # wage payment at the source (measure 20): every event names its project, the subject
    projectRegistered @52 :ProjectRegistered;
    wageAccountOpened @53 :WageAccountOpened;
    wageDepositLodged @54 :WageDepositLodged;
    labourCostTransferred @55 :LabourCostTransferred;
    projectWorkerEnrolled @56 :ProjectWorkerEnrolled;
    attendanceReported @57 :AttendanceReported;
    wagePaid @58 :WagePaid;
    projectWorkerLeft @59 :ProjectWorkerLeft;
    projectCompleted @60 :ProjectCompleted;
    wageWarningRaised @61 :WageWarningRaised;
    wageWarningCleared @62 :WageWarningCleared;

    # coverage: the people (or units) each promise of full coverage is about (measures 3, 11,
    # 15, 16, 23), so coverage is served ÷ should-be-served, with the list of who was missed
    insuranceEnrolled @68 :InsuranceEnrolled;
    poorLabourListed @69 :PoorLabourListed;
    workerReturned @70 :WorkerReturned;
    familyVisited @71 :FamilyVisited;
    hazardExposureRegistered @72 :HazardExposureRegistered;
    publicRentalCompleted @73 :PublicRentalCompleted;

    # reporting (any measure): an area office's explicit report for a quarter
    periodReported @74 :PeriodReported;
  }
}

# ---------------------------------------------------------------------------------------------
# employment

enum Gender { unspecified @0; male @1; female @2; }

struct WorkerRegistered $R.worker(required) {
  name @0 :Text $R.maxLength(50);
  gender @1 :Gender;  # must agree with the resident ID's 17th digit (odd = male)
  phone @2 :Text $R.maxLength(20);
  hukouArea @3 :Text $R.areaCode;
  currentArea @4 :Text $R.areaCode;
  currentCity @5 :Text $R.maxLength(50);
  employerCode @6 :Text $R.creditCode $R.optional;
  registeredOn @7 :Text $R.date;
}

struct WorkerUpdated $R.worker(required) {
  currentArea @0 :Text $R.areaCode;
  currentCity @1 :Text $R.maxLength(50);
  employerCode @2 :Text $R.creditCode $R.optional;
  employed @3 :Bool;
  updatedOn @4 :Text $R.date;
}

enum JobFairCampaign {
  unspecified @0;
  regular @1;
  springBreeze @2;            # 春风行动
  privateEnterpriseWeek @3;   # 民营企业招聘周
  jobsToCountryside @4;       # 送岗位下乡
}

struct JobFairHeld $R.worker(none) {
  fairId @0 :Text $R.subject;
  campaign @1 :JobFairCampaign;
  heldOn @2 :Text $R.date;
  employers @3 :UInt32 $R.positive;
  vacancies @4 :UInt32;
  attendees @5 :UInt32;
  agreementsSigned @6 :UInt32;
}

enum VacancyChannel { unspecified @0; website @1; wechat @2; app @3; serviceHall @4; }

struct VacancyPublished $R.worker(none) {
  vacancyId @0 :Text $R.subject;
  employerCode @1 :Text $R.creditCode;
  title @2 :Text;
  positions @3 :UInt32 $R.positive;
  monthlyWageYuan @4 :UInt32;
  channel @5 :VacancyChannel;
}

struct EmploymentRegistered $R.worker(required) {
  employerCode @0 :Text $R.creditCode;
  startedOn @1 :Text $R.date;
  registeredPoor @2 :Bool;  # 建档立卡贫困劳动力
}

struct UnemploymentRegistered $R.worker(required) {
  residentSince @0 :Text $R.date;
  registeredOn @1 :Text $R.date;
}

struct PublicWelfareJobAssigned $R.worker(required) {
  position @0 :Text;
  startedOn @1 :Text $R.date;
}

enum TrainingProgramme {
  unspecified @0;
  labourBrand @1;
  ruralYouth @2;
  ecommerce @3;
  directed @4;
  postBased @5;
  orderBased @6;
  other @7;
}

struct TrainingCompleted $R.worker(required) {
  programme @0 :TrainingProgramme;
  hours @1 :UInt32 $R.positive;
  provider @2 :Text;
  completedOn @3 :Text $R.date;
}

enum SkillLevel {
  unspecified @0;
  junior @1;
  intermediate @2;
  senior @3;
  technician @4;
  seniorTechnician @5;
}

struct SkillCertified $R.worker(required) {
  certificateNo @0 :Text $R.maxLength(64);
  occupation @1 :Text;
  level @2 :SkillLevel;
  issuedOn @3 :Text $R.date;
  insuredMonths @4 :UInt32;  # months of unemployment insurance paid, for the subsidy rule
}

struct CertificateMailed $R.worker(required) {
  certificateNo @0 :Text $R.maxLength(64);
  trackingNo @1 :Text $R.maxLength(64);
  mailedOn @2 :Text $R.date;
}

struct SkillCompetitionEntered $R.worker(required) {
  competition @0 :Text;
  heldOn @1 :Text $R.date;
  award @2 :Text $R.optional;
}

struct LabourBrandEstablished $R.worker(none) {
  brand @0 :Text $R.subject;
  sector @1 :Text;
  establishedOn @2 :Text $R.date;
}

struct BusinessStarted $R.worker(required) {
  businessCode @0 :Text $R.creditCode;
  sector @1 :Text;
  jobsCreated @2 :UInt32;
  startedOn @3 :Text $R.date;
}

enum DemonstrationLevel { unspecified @0; municipal @1; provincial @2; national @3; }

struct DemonstrationSiteRecognized $R.worker(none) {
  name @0 :Text $R.subject;
  level @1 :DemonstrationLevel;
  recognizedOn @2 :Text $R.date;
}

struct GuaranteeLoanApplied $R.worker(required) {
  applicationNo @0 :Text $R.maxLength(64);
  amountYuan @1 :UInt32 $R.positive;
  eligible @2 :Bool;
  appliedOn @3 :Text $R.date;
}

struct GuaranteeLoanDecided $R.worker(required) {
  applicationNo @0 :Text $R.maxLength(64);
  approved @1 :Bool;
  amountYuan @2 :UInt32;
  reason @3 :Text $R.optional;
  decidedOn @4 :Text $R.date;
}

struct SocialSecurityCardIssued $R.worker(required) {
  issuedOn @0 :Text $R.date;
}

struct InsuranceTransferred $R.worker(required) {
  fromArea @0 :Text $R.areaCode;
  toArea @1 :Text $R.areaCode;
  transferredOn @2 :Text $R.date;
}

struct CrossRegionMedicalRegistered $R.worker(required) {
  insuredArea @0 :Text $R.areaCode;
  registeredOn @1 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# housing

struct PublicRentalAllocated $R.worker(required) {
  unitId @0 :Text $R.maxLength(64);
  estate @1 :Text $R.maxLength(100);  # as publicRentalCompleted names it: measure 11's share
  areaSqm @2 :Float64;
  monthlyRentYuan @3 :UInt32;
  leaseStart @4 :Text $R.date;
  leaseEnd @5 :Text $R.date;
}

struct PublicRentalVacated $R.worker(required) {
  unitId @0 :Text $R.maxLength(64);
  vacatedOn @1 :Text $R.date;
}

struct DormitoryBedsProvided $R.worker(none) {
  employerCode @0 :Text $R.creditCode $R.subject;
  beds @1 :UInt32 $R.positive;
  providedOn @2 :Text $R.date;
}

struct RentSubsidyGranted $R.worker(required) {
  monthlyYuan @0 :UInt32 $R.positive;
  months @1 :UInt32 $R.positive;
  grantedOn @2 :Text $R.date;
}

struct ProvidentFundEnrolled $R.worker(required) {
  employerCode @0 :Text $R.creditCode;
  monthlyContributionYuan @1 :UInt32;
  enrolledOn @2 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# education — the envelope's workerId is the parent

enum SchoolStage { unspecified @0; primary @1; juniorSecondary @2; }

struct SchoolPlacementRequested $R.worker(required) {
  childId @0 :Text $R.residentId;
  childName @1 :Text $R.maxLength(50);
  stage @2 :SchoolStage;
  residenceArea @3 :Text $R.areaCode;
  requestedOn @4 :Text $R.date;
}

struct SchoolPlacementDecided $R.worker(required) {
  childId @0 :Text $R.residentId;
  school @1 :Text;
  schoolArea @2 :Text $R.areaCode;
  placed @3 :Bool;
  reason @4 :Text $R.optional;
  decidedOn @5 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# health

enum HealthCheckType {
  unspecified @0;
  occupational @1;
  premarital @2;
  prePregnancy @3;
  hiv @4;
  echinococcosis @5;  # 包虫病
  cervicalCancer @6;
  breastCancer @7;
  general @8;
}

enum HealthCheckResult { unspecified @0; normal @1; followUp @2; referred @3; }

struct HealthCheckCompleted $R.worker(required) {
  checkType @0 :HealthCheckType;
  free @1 :Bool;
  result @2 :HealthCheckResult;
  performedOn @3 :Text $R.date;
}

enum IncidentSeverity { unspecified @0; minor @1; serious @2; major @3; }

struct OccupationalIncidentReported $R.worker(none) {
  incidentId @0 :Text $R.subject;
  employerCode @1 :Text $R.creditCode;
  severity @2 :IncidentSeverity;
  affectedWorkers @3 :UInt32 $R.positive;
  occurredOn @4 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# rights — every event of a case carries its caseNo, so a case is one subject and one partition

enum ClaimChannel { unspecified @0; hotline @1; online @2; inPerson @3; referral @4; }

struct WageClaimFiled $R.worker(optional) {
  caseNo @0 :Text $R.subject;
  employerCode @1 :Text $R.creditCode;
  project @2 :Text;
  governmentInvested @3 :Bool;
  amountYuan @4 :UInt32 $R.positive;
  workersAffected @5 :UInt32 $R.positive;
  channel @6 :ClaimChannel;
  filedOn @7 :Text $R.date;
  owedUntil @8 :Text $R.date $R.optional;
  # The last day the wages were owed (the violation ended): more than 2 years before filedOn is
  # past the limit of 劳动保障监察条例 art. 20.
}

struct WageClaimAccepted $R.worker(none) {
  caseNo @0 :Text $R.subject;
  acceptedOn @1 :Text $R.date;
}

struct WageClaimExtended $R.worker(none) {
  caseNo @0 :Text $R.subject;
  days @1 :UInt32 $R.positive;
  extendedOn @2 :Text $R.date;
}

# 不予受理: the complaint refused within the days of acceptance, with the reason; then closed.
struct WageClaimRejected $R.worker(none) {
  caseNo @0 :Text $R.subject;
  reason @1 :Text;
  decidedOn @2 :Text $R.date;
}

enum WageClaimOutcome { unspecified @0; paid @1; partlyPaid @2; referred @3; unfounded @4; }

struct WageClaimResolved $R.worker(none) {
  caseNo @0 :Text $R.subject;
  recoveredYuan @1 :UInt32;
  outcome @2 :WageClaimOutcome;
  resolvedOn @3 :Text $R.date;
}

enum DisputeCategory {
  unspecified @0; wages @1; injury @2; contract @3; socialInsurance @4; other @5;
}

struct DisputeFiled $R.worker(required) {
  caseNo @0 :Text $R.subject;
  category @1 :DisputeCategory;
  claimYuan @2 :UInt32;
  filedOn @3 :Text $R.date;
}

struct DisputeAccepted $R.worker(none) {
  caseNo @0 :Text $R.subject;
  simplified @1 :Bool;  # 简易程序
  acceptedOn @2 :Text $R.date;
}

struct DisputeRejected $R.worker(none) {
  caseNo @0 :Text $R.subject;
  reason @1 :Text;
  decidedOn @2 :Text $R.date;
}

struct DisputeMediated $R.worker(none) {
  caseNo @0 :Text $R.subject;
  settled @1 :Bool;
  mediatedOn @2 :Text $R.date;
}

struct DisputeExtended $R.worker(none) {
  caseNo @0 :Text $R.subject;
  days @1 :UInt32 $R.positive;
  extendedOn @2 :Text $R.date;
}

struct DisputeAwarded $R.worker(none) {
  caseNo @0 :Text $R.subject;
  awardedYuan @1 :UInt32;
  final @2 :Bool;  # 终局裁决
  awardedOn @3 :Text $R.date;
}

enum DisputeOutcome { unspecified @0; settled @1; awarded @2; withdrawn @3; rejected @4; }

struct DisputeClosed $R.worker(none) {
  caseNo @0 :Text $R.subject;
  outcome @1 :DisputeOutcome;
  closedOn @2 :Text $R.date;
}

# 中止审理 (劳动人事争议仲裁办案规则 art. 47): the award clock stops until the case resumes.
struct DisputeSuspended $R.worker(none) {
  caseNo @0 :Text $R.subject;
  suspendedOn @1 :Text $R.date;
}

struct DisputeResumed $R.worker(none) {
  caseNo @0 :Text $R.subject;
  resumedOn @1 :Text $R.date;
}

enum LegalAidMatter { unspecified @0; wages @1; injury @2; other @3; }

struct LegalAidRequested $R.worker(required) {
  caseNo @0 :Text $R.subject;
  matter @1 :LegalAidMatter;
  requestedOn @2 :Text $R.date;
}

# Why aid was refused. 法律援助法 art. 42: a migrant worker claiming wages or work-injury damages
# is exempt from the means test, so `meansTest` cannot be the ground of refusing such a request.
enum LegalAidGround { unspecified @0; meansTest @1; outOfScope @2; noMerit @3; other @4; }

struct LegalAidDecided $R.worker(none) {
  caseNo @0 :Text $R.subject;
  granted @1 :Bool;
  reason @2 :Text $R.optional;
  decidedOn @3 :Text $R.date;
  ground @4 :LegalAidGround $R.optional;  # of a refusal
}

# The application is incomplete: the decision clock stops until the material is supplied
# (办理法律援助案件程序规定 2012 art. 13: the time to supply it does not count).
struct LegalAidMaterialRequested $R.worker(none) {
  caseNo @0 :Text $R.subject;
  requestedOn @1 :Text $R.date;
}

struct LegalAidMaterialSupplied $R.worker(none) {
  caseNo @0 :Text $R.subject;
  suppliedOn @1 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# wage payment at the source (measure 20, 源头治理; 保障农民工工资支付条例, State Council order 724).
# Every event carries its projectId, so a project is one subject and one partition: its events
# apply in the order the bus acknowledged them.

enum ProjectSector { unspecified @0; building @1; transport @2; water @3; other @4; }

struct ProjectRegistered $R.worker(none) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  name @1 :Text;
  sector @2 :ProjectSector;
  ownerCode @3 :Text $R.creditCode;        # 建设单位
  contractorCode @4 :Text $R.creditCode;   # 施工总承包单位
  governmentInvested @5 :Bool;
  contractYuan @6 :UInt64 $R.positive;
  startOn @7 :Text $R.date;
  plannedEndOn @8 :Text $R.date;
  payday @9 :UInt8 $R.positive $R.atMost(28);
  # The day of the month by which the previous month's wages are due (条例 art. 11: 按月足额支付).
}

struct WageAccountOpened $R.worker(none) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  bankName @1 :Text;
  openedOn @2 :Text $R.date;
}

enum DepositForm { unspecified @0; cash @1; bankGuarantee @2; insurance @3; }

struct WageDepositLodged $R.worker(none) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  amountYuan @1 :UInt32 $R.positive;
  form @2 :DepositForm;
  lodgedOn @3 :Text $R.date;
}

struct LabourCostTransferred $R.worker(none) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  month @1 :Text $R.month;   # the month of work the labour cost is for
  amountYuan @2 :UInt32 $R.positive;
  transferredOn @3 :Text $R.date;
}

struct ProjectWorkerEnrolled $R.worker(required) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  employerCode @1 :Text $R.creditCode;  # the subcontractor that employs the worker
  trade @2 :Text;
  contractSigned @3 :Bool;
  enrolledOn @4 :Text $R.date;
}

struct AttendanceReported $R.worker(required) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  month @1 :Text $R.month;
  daysWorked @2 :UInt8 $R.atMost(31);
}

struct WagePaid $R.worker(required) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  month @1 :Text $R.month;   # the month of work paid for
  amountYuan @2 :UInt32 $R.positive;
  throughWageAccount @3 :Bool;
  paidOn @4 :Text $R.date;
}

struct ProjectWorkerLeft $R.worker(required) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  leftOn @1 :Text $R.date;
}

struct ProjectCompleted $R.worker(none) {
  projectId @0 :Text $R.subject $R.maxLength(64);
  completedOn @1 :Text $R.date;
}

# The eight warning rules (MEASURES.md, "Wage payment at the source"). Integrators and alerts key
# on these names.
enum WageWarningRule {
  unspecified @0;
  noWageAccount @1;       # 条例 art. 26
  noWageDeposit @2;       # art. 32
  labourCostLate @3;      # art. 24
  workerUnpaid @4;        # arts. 11–12, 31
  manyUnpaid @5;          # platform practice
  paidOutsideAccount @6;  # art. 31
  leftUnpaid @7;          # art. 30
  belowMinimumWage @8;    # 最低工资规定
}

enum WarningLevel { unspecified @0; yellow @1; red @2; }

struct WageWarningRaised $R.worker(optional) $R.derived {
  warningId @0 :Text $R.maxLength(200);
  projectId @1 :Text $R.subject $R.maxLength(64);
  rule @2 :WageWarningRule;
  level @3 :WarningLevel;   # a warning rising from yellow to red is raised again, red
  month @4 :Text $R.month $R.optional;
  dueOn @5 :Text $R.date;
  ruleId @6 :Text $R.maxLength(100) $R.optional;  # `rule` in the register (common/core/rules.json)
}

struct WageWarningCleared $R.worker(optional) $R.derived {
  warningId @0 :Text $R.maxLength(200);
  clearedOn @1 :Text $R.date;
  projectId @2 :Text $R.subject $R.maxLength(64);
  # Not in EVENTS.md's first list: it keeps the event in its project's partition, after the
  # warning it clears.
}

# ---------------------------------------------------------------------------------------------
# outreach

struct ActivityReported $R.worker(none) {
  measure @0 :UInt8;     # 12, 13, 17–19 or 23–30
  activity @1 :Text;     # one the catalogue lists for that measure
  heldOn @2 :Text $R.date;
  count @3 :UInt32 $R.positive;
  participants @4 :UInt32;
  fundsYuan @5 :UInt32;
  note @6 :Text $R.optional $R.maxLength(500);
  activityId @7 :Text $R.optional $R.subject $R.maxLength(64);
  # One activity reported by two departments (the trade union and the county) counts once when
  # both give the same activityId; without one, every report counts. The subject, so both
  # reports are applied in order by one instance.
}

# ---------------------------------------------------------------------------------------------
# coverage (measures 3, 11, 15, 16, 23)

enum InsuranceScheme { unspecified @0; pension @1; unemployment @2; workInjury @3; medical @4; }

struct InsuranceEnrolled $R.worker(required) {
  scheme @0 :InsuranceScheme;
  employerCode @1 :Text $R.creditCode $R.optional;
  enrolledOn @2 :Text $R.date;
  # An insured worker counts once, whatever the schemes: insured from the earliest enrolledOn.
}

struct PoorLabourListed $R.worker(required) {
  listedOn @0 :Text $R.date;
  # 建档立卡贫困劳动力: placed once an employment registration or a public-welfare job is recorded.
}

enum ReturnReason { unspecified @0; springFestival @1; jobLoss @2; startBusiness @3; family @4; other @5; }

struct WorkerReturned $R.worker(required) {
  returnedOn @0 :Text $R.date;
  village @1 :Text $R.village;
  reason @2 :ReturnReason;
}

enum VisitForm { unspecified @0; inPerson @1; phone @2; video @3; }

struct FamilyVisited $R.worker(required) {
  visitedOn @0 :Text $R.date;
  village @1 :Text $R.village;
  form @2 :VisitForm;
  note @3 :Text $R.optional $R.maxLength(500);
}

enum Hazard { unspecified @0; dust @1; chemical @2; noise @3; radiation @4; biological @5; other @6; }

struct HazardExposureRegistered $R.worker(required) {
  employerCode @0 :Text $R.creditCode;
  hazard @1 :Hazard;
  registeredOn @2 :Text $R.date;
  # Exposed in the year of registeredOn: should have an occupational check that year.
}

struct PublicRentalCompleted $R.worker(none) {
  estate @0 :Text $R.subject $R.maxLength(100);
  units @1 :UInt32 $R.positive;
  completedOn @2 :Text $R.date;
}

# ---------------------------------------------------------------------------------------------
# reporting

# An area office reports a measure for a quarter, even with nothing done, so that "nothing done"
# and "no report" differ (DHIS2's reporting completeness). Applied by the service that owns the
# measure (common/core/reporting.h).
struct PeriodReported $R.worker(none) {
  measure @0 :UInt8;                 # 1–30
  period @1 :Text $R.maxLength(7);   # YYYY-Qn, e.g. 2026-Q1
  nothingToReport @2 :Bool;
  note @3 :Text $R.optional $R.maxLength(500);
}

# ---------------------------------------------------------------------------------------------
# derived

struct SubsidyGranted $R.worker(required) $R.derived {
  certificateNo @0 :Text $R.maxLength(64);
  level @1 :SkillLevel;
  amountYuan @2 :UInt32;
}

struct SubsidyDenied $R.worker(required) $R.derived {
  certificateNo @0 :Text $R.maxLength(64);
  reason @1 :Text $R.maxLength(500);   # English
  rule @2 :Text $R.maxLength(100) $R.optional;  # the register's id (common/core/rules.json)
  reasonZh @3 :Text $R.maxLength(500) $R.optional;
}

enum CaseStage {
  unspecified @0;
  wageClaimAcceptance @1;   # 5 working days from filing
  wageClaimResolution @2;   # 60 working days from acceptance, +30 once extended
  disputeAcceptance @3;     # 5 days from filing
  disputeMediation @4;      # no longer given: mediation inside arbitration (劳动争议调解仲裁法
                            # art. 42) has no deadline of its own; kept so that old logs read
  disputeAward @5;          # 45 days from acceptance, +15 once extended, suspensions not counted
  legalAidDecision @6;      # 7 working days from the request, material missing not counted
}

struct CaseOverdue $R.worker(none) $R.derived {
  caseNo @0 :Text $R.subject;
  stage @1 :CaseStage;
  dueOn @2 :Text $R.date;
}
