@0xe39b76470b142ebf;
# What the bus takes and answers on its ingest socket besides an Envelope: one reply per frame
# received, in the order received; several events in one message (IngestBatch) and their replies.

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

# Several events in one message: the message is two frames, the text `batch` and an IngestBatch;
# its answer is two frames, `batch` and an IngestBatchReply. What each event gets is what it would
# get sent on its own; the batch only saves the sealing (CurveZMQ) and handling of a message each.
struct IngestBatch {
  frames @0 :List(Data);  # each what a message of one frame carries: an unpacked Envelope
}

struct IngestBatchReply {
  # One for each frame of the batch whose storing is confirmed, in the batch's order: a frame left
  # out went unanswered (resend it). A batch that cannot be read at all gets one `nack` of eventId
  # "", for all its frames.
  replies @0 :List(IngestReply);
}
