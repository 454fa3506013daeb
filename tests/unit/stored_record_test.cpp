// StoredRecord over the in-memory state: a record saved under a key is the one read back under it.
#include "stored_record.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mwp
