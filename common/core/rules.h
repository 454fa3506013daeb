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
#include "state.h"

namespace mwp {

// Unix seconds now. Injected so rules and tests control time.
using Clock = std::function<int64_t()>;
int64_t systemClock();

struct Verdict {
  bool applied = true;
  // Why it was refused; for an applied event, what a sender must know of how it counted (a
  // visit applied but not coverage), or empty. Shown as "refused: …" / "applied: …".
  std::string reason;
};

struct Applied {
  Verdict verdict;
  std::vector<std::string> derived;  // envelopes (flat bytes) to send through the bus
};

// Applied, with a note for the sender on how it counted.
inline Applied appliedWithNote(std::string note) {
  return Applied{Verdict{true, std::move(note)}, {}};
}

// A refusal: the event is recorded with the reason and changes nothing.
inline Applied refuse(std::string reason) {
  return Applied{Verdict{false, std::move(reason)}, {}};
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
