// Cap'n Proto messages in and out of single ZeroMQ frames and Redis strings.
#pragma once

#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/arena.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwp {

// The largest frame the bus reads; anything longer is refused before it is parsed.
constexpr size_t kMaxFrameBytes = 64 * 1024;

// Several events in one message (docs/ingest.md, "Several events in one message"): two frames,
// this text and an IngestBatch of messages/bus.capnp, answered by this text and an
// IngestBatchReply. CurveZMQ seals each message on its own, so a batch costs one seal where its
// events one at a time cost one each.
constexpr std::string_view kBatchMarker = "batch";
// The most frames one batch carries.
constexpr size_t kMaxBatchFrames = 1024;
// The largest message the bus receives, a batch's included: ZeroMQ drops a connection whose
// message is longer without handing it over, so nothing could answer it.
constexpr size_t kMaxMessageBytes = 4 * kMaxFrameBytes;

// Why a frame of `bytes` is refused for its size, in Chinese and English; nullopt within the
// limit. The bus and every sender (Publisher) refuse with these same words.
std::optional<std::string> frameSizeProblem(size_t bytes);

// Why `bytes` are not a message FrameReader can read, in Chinese and English (its length, its
// segment table, bytes after its end); nullopt when they are. Never the library's own text: that
// quotes addresses of this process's memory.
std::optional<std::string> frameProblem(std::string_view bytes);

// "part: zh / not a readable Cap'n Proto envelope: en": how every reason for an unreadable frame
// reads, `part` being "frame" or the field at fault.
std::string unreadableReason(std::string_view part, std::string_view zh, std::string_view en);

// Limits for reading untrusted frames: a 64 KiB event never needs more.
capnp::ReaderOptions untrustedReaderOptions();
// Limits for reading a batch (or its answer) of up to kMaxMessageBytes: its list of frames, each
// then read on its own under untrustedReaderOptions().
capnp::ReaderOptions batchReaderOptions();

// A message read from bytes it does not own. ZeroMQ hands out frames at any alignment and
// Cap'n Proto 0.9.2 throws "Detected unaligned data" on them, so the bytes are copied into a word
// array first; the copy is the price of never trusting the caller's buffer.
class FrameReader {
 public:
  // Throws kj::Exception when the bytes are not a well-formed message (truncated, bad segment
  // table, over the limits).
  explicit FrameReader(std::string_view bytes);
  // The same, reading the bytes where they are when they are word-aligned (a std::string's heap
  // buffer): no allocation and no copy. The caller keeps the bytes unchanged as long as the reader
  // and what it read are used — the bus and the publisher, which read each frame while they hold
  // its message. Unaligned bytes (most of ZeroMQ's messages: its decoder hands them out as views
  // into its receive buffer: 83 % unaligned in a test of 2,000 frames, 95 % with CURVE) are copied.
  // Every copy goes into the reader itself when it fits, onto the heap when not.
  struct Borrowed {};
  FrameReader(std::string_view bytes, Borrowed);
  FrameReader(std::string_view bytes, Borrowed, capnp::ReaderOptions options);
  // The reader points into itself: it stays where it was made.
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;
  template <typename T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

 private:
  FrameReader(std::string_view bytes, bool copy, capnp::ReaderOptions options);
  // Room for an unaligned frame of an event's usual size (the fixture's are ~400 bytes).
  static constexpr size_t kInlineWords = 128;
  alignas(capnp::word) unsigned char inline_[kInlineWords * sizeof(capnp::word)];
  kj::Array<capnp::word> words_;  // the copy, when one was made and did not fit in inline_
  std::optional<capnp::FlatArrayMessageReader> reader_;
};

// The flat (unpacked) serialization of a message, as one string.
std::string toBytes(capnp::MessageBuilder& message);

// A struct's canonical form (one segment, no slack, nothing unreachable) as a flat message.
// Equal content gives equal bytes, whoever built it; state records shed the garbage that list
// growth leaves behind.
std::string framedSegment(kj::ArrayPtr<const capnp::word> segment);
// This thread's zeroed words, at first as many as the canonical form of a message read under
// untrustedReaderOptions() can take: what the canonical form is built in, kept for the next call.
// Valid until the next call on the same thread. What the last build wrote (canonicalScratchUsed;
// all of it after one that threw) is zeroed first, so a build costs neither a walk to size it
// nor zeroing more than it took. canonicalScratchAtLeast() grows it, for a larger message.
kj::ArrayPtr<capnp::word> canonicalScratch();
void canonicalScratchUsed(size_t words);
void canonicalScratchAtLeast(size_t words);
// The same, written into `arena` (with a NUL after it, as Cap'n Proto's texts have): the bus keeps
// a batch's envelopes in one arena instead of a string each.
std::string_view framedSegment(kj::ArrayPtr<const capnp::word> segment, kj::Arena& arena);
// A struct's canonical form as one segment, in this thread's scratch (valid until the next call):
// what capnp::canonicalize() does, less its two allocations, its walk of the struct to size the
// result and its walk of the result to assert it canonical (the bus canonicalises every event).
// The scratch is large enough for any struct of a message read with untrustedReaderOptions():
// each word copied is a word its reader counted against the traversal limit, which throws first.
// A larger struct (one built here, which no limit bounds) is sized, and built again.
template <typename Reader>
kj::ArrayPtr<const capnp::word> canonicalSegment(Reader reader) {
  for (bool sized = false;; sized = true) {
    try {
      capnp::FlatMessageBuilder builder(canonicalScratch());
      builder.initRoot<capnp::AnyPointer>().setCanonicalAs<capnp::FromReader<Reader>>(reader);
      auto segment = builder.getSegmentsForOutput()[0];
      canonicalScratchUsed(segment.size());
      return segment;
    } catch (const kj::Exception&) {
      if (sized) throw;  // not for want of room: unreadable, as sizing it would find again
      canonicalScratchAtLeast(capnp::AnyStruct::Reader(reader).totalSize().wordCount + 1);
    }
  }
}
template <typename Reader>
std::string canonicalFrame(Reader reader) {
  return framedSegment(canonicalSegment(reader));
}

}  // namespace mwp
