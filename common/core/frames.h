// Cap'n Proto messages in and out of single ZeroMQ frames and Redis strings.
#pragma once

#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwp {

// The largest frame the bus reads; anything longer is refused before it is parsed.
constexpr size_t kMaxFrameBytes = 64 * 1024;

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

// A message read from bytes it does not own. ZeroMQ hands out frames at any alignment and
// Cap'n Proto 0.9.2 throws "Detected unaligned data" on them, so the bytes are always copied into
// a word array first; the copy is the price of never trusting the caller's buffer.
class FrameReader {
 public:
  // Throws kj::Exception when the bytes are not a well-formed message (truncated, bad segment
  // table, over the limits).
  explicit FrameReader(std::string_view bytes);
  template <typename T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

 private:
  kj::Array<capnp::word> words_;
  std::optional<capnp::FlatArrayMessageReader> reader_;
};

// The flat (unpacked) serialization of a message, as one string.
std::string toBytes(capnp::MessageBuilder& message);

// A struct's canonical form (one segment, no slack, nothing unreachable) as a flat message.
// Equal content gives equal bytes, whoever built it; state records shed the garbage that list
// growth leaves behind.
std::string framedSegment(kj::ArrayPtr<const capnp::word> segment);
// `words` zeroed words of this thread's, kept for the next call: what the canonical form is built
// in. Valid until the next call on the same thread.
kj::ArrayPtr<capnp::word> canonicalScratch(size_t words);
template <typename Reader>
std::string canonicalFrame(Reader reader) {
  // What capnp::canonicalize() does, less its two allocations and its walk of the result to
  // assert it canonical (the bus canonicalises every event): a struct's canonical form is never
  // larger than its total size, plus the root pointer.
  capnp::FlatMessageBuilder builder(
      canonicalScratch(capnp::AnyStruct::Reader(reader).totalSize().wordCount + 1));
  builder.initRoot<capnp::AnyPointer>().setCanonicalAs<capnp::FromReader<Reader>>(reader);
  return framedSegment(builder.getSegmentsForOutput()[0]);
}

}  // namespace mwp
