// A small rule set standing in for a service in the tests of the shared loop: fairs counted once
// per fairId (a refusal otherwise: a read, then a write, of one key), and a derived event per
// certificate. A fair named "BOOM" makes the rules throw, as a defect would.
#pragma once

#include <stdexcept>
#include <string>

#include "derived_events.h"
#include "fixtures.h"
#include "rules.h"

namespace mwp::test {

// The stored verdict of a fair counted before (FairRules), as storedVerdict keeps it.
inline const std::string kFairRefused =
    R"({"status":"refused","rule":"record.once","reason":"fair already counted",)"
    R"("reasonZh":"招聘会已计数"})";

// The derived event a certificate causes: "subsidy:<its eventId>".
inline std::string subsidyFor(msg::Envelope::Reader event) {
  return deriveEvent(event, "subsidy", [&](msg::Envelope::Builder derived) {
    auto grant = derived.initSubsidyGranted();
    grant.setCertificateNo(event.getSkillCertified().getCertificateNo());
    grant.setLevel(event.getSkillCertified().getLevel());
    grant.setAmountYuan(1500);
  });
}

class FairRules : public EventRules {
 public:
  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state, int64_t) override {
    if (event.isJobFairHeld()) {
      if (event.getJobFairHeld().getFairId() == "BOOM") throw std::runtime_error("a defect");
      std::string key = std::string("fair:") + event.getJobFairHeld().getFairId().cStr();
      if (state.get(key)) return refuse(rules::record::once, "招聘会已计数", "fair already counted");
      state.put(key, event.getEventId().cStr());
      state.add("fairs", "all", 1);
      return Applied{};
    }
    if (event.isSkillCertified()) {
      Applied applied;
      applied.derived.push_back(subsidyFor(event));
      return applied;
    }
    return std::nullopt;
  }
  // The fair's key is read ahead with the batch, as a service's rules name what they will read.
  void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const override {
    if (event.isJobFairHeld()) {
      keys.push_back(std::string("fair:") + event.getJobFairHeld().getFairId().cStr());
    }
  }
};

// A jobFairHeld event with its eventId and fairId, as a frame.
inline std::string fairFrame(const std::string& eventId, const std::string& fairId) {
  std::string line = withEventId(fixtureLines()[2], eventId);
  line.replace(line.find("F-2026-001"), 10, fairId);
  return frameOf(line);
}

}  // namespace mwp::test
