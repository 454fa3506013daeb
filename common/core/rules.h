// The interface of a service's rules: a pure function of (state, event, clock) → (verdict, derived
// events), written through StateTx. Rules link mwp::core only: they cannot reach Redis, ZeroMQ or
// the loop that drives them (common/runtime/service_loop.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mwp/messages/events.capnp.h"
#include "mwp/rule_names.h"
#include "state.h"

namespace mwp {

// Unix seconds now. Injected so rules and tests control time.
using Clock = std::function<int64_t()>;
int64_t systemClock();

// A refusal names its rule (rules.json) and says why in both languages, as a clerk would write
// it: "失业登记需在城镇居住满6个月（措施三），2026-05-01 满足". All empty when applied.
struct Verdict {
  bool applied = true;
  // For a refusal, the rule and why it was refused; for an applied event, what a sender must know
  // of how it counted (a visit applied but not coverage) and the rule that decided it, or empty.
  std::string rule;
  std::string reason;    // English
  std::string reasonZh;  // Chinese
};

struct Applied {
  Verdict verdict;
  std::vector<std::string> derived;  // envelopes (flat bytes) to send through the bus
};

// Applied, with a note for the sender on how it counted, naming the rule that decided it.
inline Applied appliedWithNote(RuleId rule, std::string zh, std::string en) {
  return Applied{Verdict{true, rule.id, std::move(en), std::move(zh)}, {}};
}

// Applied, naming the rule it was counted under, with nothing the sender must know beyond that.
inline Applied appliedUnder(RuleId rule) {
  return Applied{Verdict{true, rule.id, {}, {}}, {}};
}

// A refusal: the event is recorded with its rule and reasons and changes nothing.
inline Applied refuse(RuleId rule, std::string zh, std::string en) {
  return Applied{Verdict{false, rule.id, std::move(en), std::move(zh)}, {}};
}
inline Applied refuse(const Reason& why) {
  return Applied{Verdict{false, why.rule, why.en, why.zh}, {}};
}

class EventRules {
 public:
  virtual ~EventRules() = default;
  // nullopt for kinds the service does not own. Must not throw for bad content: refuse it.
  virtual std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                                       int64_t nowSeconds) = 0;
  // A timer the rules set has come due (it is already cleared). The verdict is ignored.
  virtual Applied onTimer(const std::string& member, StateTx& state, int64_t nowSeconds) {
    (void)member;
    (void)state;
    (void)nowSeconds;
    return {};
  }
  // State keys apply() will probably read for `event`: the loop reads them for a whole batch in
  // one round trip instead of one round trip per event. Only a hint — a key not named is read
  // when asked for. By default the worker's record, "worker:<workerId>", which most rules keep.
  virtual void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const {
    if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
      keys.push_back(std::string("worker:") + event.getWorkerId().cStr());
    }
  }
};

}  // namespace mwp
