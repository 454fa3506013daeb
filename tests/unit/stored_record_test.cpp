// StoredRecord over the in-memory state: a record saved under a key is the one read back under it.
#include "stored_record.h"

#include <capnp/message.h>
#include <gtest/gtest.h>

#include "mwp/messages/employment.capnp.h"
#include "mwp/messages/housing.capnp.h"
#include "mwp/messages/rights.capnp.h"

namespace mwp {
namespace {

using Cases = StoredRecord<msg::WorkerCases>;

TEST(StoredRecord, ARecordSavedUnderAKeyIsReadBackUnderIt) {
  MemoryState state;
  {
    Cases first(state, "worker:510722198803040026");
    EXPECT_FALSE(first.existed());
    first.get().initCases(1).set(0, "case:LD-1");
    first.save();
  }
  Cases again(state, "worker:510722198803040026");
  ASSERT_TRUE(again.existed());
  ASSERT_EQ(again.get().getCases().size(), 1u);
  EXPECT_EQ(std::string(again.get().getCases()[0].cStr()), "case:LD-1");
  EXPECT_FALSE(Cases(state, "worker:510722198803040034").existed()) << "another key: a new record";
  EXPECT_FALSE(state.values.count("")) << "nothing read or written under an empty key";
}

TEST(StoredRecord, AppendKeepsTheEarlierElementsAndReturnsTheNewLastOne) {
  MemoryState state;
  using W = msg::RightsCase::Builder;
  for (auto stage :
       {msg::CaseStage::WAGE_CLAIM_ACCEPTANCE, msg::CaseStage::WAGE_CLAIM_RESOLUTION}) {
    StoredRecord<msg::RightsCase> record(state, "case:wage:WC-1");
    record.append(&W::getDeadlines, &W::adoptDeadlines).setStage(stage);
    record.save();
  }
  StoredRecord<msg::RightsCase> again(state, "case:wage:WC-1");
  auto deadlines = again.get().getDeadlines();
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0].getStage(), msg::CaseStage::WAGE_CLAIM_ACCEPTANCE);
  EXPECT_EQ(deadlines[1].getStage(), msg::CaseStage::WAGE_CLAIM_RESOLUTION);
}

std::vector<std::string> pairedNames(capnp::StructSchema from, capnp::StructSchema to) {
  std::vector<std::string> names;
  for (const auto& f : sameNamedFields(from, to)) names.emplace_back(f.to.getProto().getName());
  return names;
}

TEST(SameNamedFields, PairsThePlainFieldsBothHaveButNotAUnionOrAFieldTheRecordLacks) {
  using Names = std::vector<std::string>;
  // insuredMonths is the subsidy rule's input, not part of the certificate; the subsidy union is
  // the rule's decision.
  EXPECT_EQ(pairedNames(capnp::Schema::from<msg::SkillCertified>(),
                        capnp::Schema::from<msg::Certificate>()),
            (Names{"certificateNo", "occupation", "level", "issuedOn"}));
  EXPECT_EQ(
      pairedNames(capnp::Schema::from<msg::Certificate>(), capnp::Schema::from<msg::Certificate>()),
      (Names{"certificateNo", "occupation", "level", "issuedOn", "mailedOn", "trackingNo",
             "claimedOn"}));
  EXPECT_EQ(pairedNames(capnp::Schema::from<msg::WorkerRegistered>(),
                        capnp::Schema::from<msg::Profile>()),
            (Names{"name", "gender", "phone", "hukouArea", "currentArea", "currentCity",
                   "employerCode", "registeredOn"}));
  // The same name with another type is not the same field: a site's DemonstrationLevel is no
  // certificate's SkillLevel.
  EXPECT_EQ(pairedNames(capnp::Schema::from<msg::DemonstrationSiteRecognized>(),
                        capnp::Schema::from<msg::Certificate>()),
            Names{});
}

TEST(SameNamedFields, CopiesEachSharedFieldEvenAnEmptyOneAsRulesSettingThemByHandDid) {
  capnp::MallocMessageBuilder event, record;
  auto e = event.initRoot<msg::TrainingCompleted>();
  e.setProgramme(msg::TrainingProgramme::RURAL_YOUTH);
  e.setHours(48);
  e.setCompletedOn("2026-03-01");  // provider left empty
  auto t = record.initRoot<msg::Training>();
  copySameNamedFields(e.asReader(), t);
  EXPECT_EQ(t.getProgramme(), msg::TrainingProgramme::RURAL_YOUTH);
  EXPECT_EQ(t.getHours(), 48u);
  EXPECT_EQ(std::string(t.getCompletedOn().cStr()), "2026-03-01");
  // t.setProvider(e.getProvider()) stored an empty text, not none: the stored bytes stay the same.
  EXPECT_TRUE(t.hasProvider());
}

TEST(SameNamedFields, LeavesOutTheFieldsARuleExcludesAndRefusesAMisspeltExclusion) {
  capnp::MallocMessageBuilder from, to;
  auto held = from.initRoot<msg::Allocation>();
  held.setUnitId("U-1");
  held.setVacatedOn("2026-01-01");
  auto past = to.initRoot<msg::Allocation>();
  copySameNamedFields(held.asReader(), past, {"vacatedOn"});
  EXPECT_EQ(std::string(past.getUnitId().cStr()), "U-1");
  EXPECT_FALSE(past.hasVacatedOn());
  EXPECT_THROW(copySameNamedFields(held.asReader(), past, {"vacatedAt"}), std::logic_error);
}

}  // namespace
}  // namespace mwp
