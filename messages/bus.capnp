@0xe39b76470b142ebf;
# What the bus answers on its ingest socket, one reply per frame received, in the order received.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");

struct IngestReply {
  eventId @0 :Text;  # as read from the frame; empty when the frame could not be read at all
  status @1 :Status;
  partition @2 :UInt32;
  sequence @3 :UInt64;
  reason @4 :Text;   # for a NACK: what is wrong, in words a clerk can act on (English)
  rule @5 :Text;     # for a NACK: the rule it breaks, an id of common/core/rules.json
  reasonZh @6 :Text; # for a NACK: the reason in Chinese

  enum Status {
    ack @0;        # stored durably now
    duplicate @1;  # stored earlier under the same eventId; partition and sequence of the original
    nack @2;       # refused; nothing stored but the audit copy in the rejected-events stream
  }
}
