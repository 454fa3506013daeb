#include "frames.h"

#include <kj/exception.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace mwp {

capnp::ReaderOptions untrustedReaderOptions() {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = kMaxFrameBytes / sizeof(capnp::word) * 2;
  options.nestingLimit = 16;
  return options;
}

capnp::ReaderOptions batchReaderOptions() {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = kMaxMessageBytes / sizeof(capnp::word) * 2;
  options.nestingLimit = 4;  // the batch, its list, a frame's bytes
  return options;
}

namespace {
kj::Array<capnp::word> copiedWords(std::string_view bytes) {
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  if (!bytes.empty()) memcpy(words.begin(), bytes.data(), words.size() * sizeof(capnp::word));
  return words;
}
}  // namespace

std::optional<std::string> frameSizeProblem(size_t bytes) {
  if (bytes <= kMaxFrameBytes) return std::nullopt;
  std::string size = std::to_string(bytes), limit = std::to_string(kMaxFrameBytes);
  return "frame: " + size + " 字节，超过 " + limit + " 字节的上限 / frame of " + size +
         " bytes is over the limit of " + limit;
}

std::string unreadableReason(std::string_view part, std::string_view zh, std::string_view en) {
  std::string reason(part);
  reason.append(": ").append(zh).append(" / not a readable Cap'n Proto envelope: ").append(en);
  return reason;
}

std::optional<std::string> frameProblem(std::string_view bytes) {
  if (bytes.size() % sizeof(capnp::word) != 0) {
    return unreadableReason("frame", "长度不是 8 字节的整数倍（被截断？）",
                            "its length is not a whole number of 8-byte words (truncated?)");
  }
  auto words = copiedWords(bytes);
  try {
    capnp::FlatArrayMessageReader reader(words.asPtr(), untrustedReaderOptions());
    if (reader.getEnd() != words.end()) {
      return unreadableReason("frame", "消息结束后还有多余的字节",
                              "bytes after the end of the message");
    }
  } catch (const kj::Exception&) {
    return unreadableReason("frame", "段表与长度不符",
                            "its segment table does not match its length");
  }
  return std::nullopt;
}

FrameReader::FrameReader(std::string_view bytes)
    : FrameReader(bytes, true, untrustedReaderOptions()) {}

FrameReader::FrameReader(std::string_view bytes, Borrowed)
    : FrameReader(bytes, false, untrustedReaderOptions()) {}

FrameReader::FrameReader(std::string_view bytes, Borrowed, capnp::ReaderOptions options)
    : FrameReader(bytes, false, options) {}

FrameReader::FrameReader(std::string_view bytes, bool copy, capnp::ReaderOptions options) {
  // The conditions' values are left out of the exceptions: they would be addresses.
  if (bytes.size() % sizeof(capnp::word) != 0) {
    KJ_FAIL_REQUIRE("message size is not a whole number of 8-byte words: truncated?");
  }
  kj::ArrayPtr<const capnp::word> words;
  size_t count = bytes.size() / sizeof(capnp::word);
  if (!copy && reinterpret_cast<uintptr_t>(bytes.data()) % alignof(capnp::word) == 0) {
    words = kj::arrayPtr(reinterpret_cast<const capnp::word*>(bytes.data()), count);
  } else if (count <= kInlineWords) {
    if (count > 0) memcpy(inline_, bytes.data(), bytes.size());
    words = kj::arrayPtr(reinterpret_cast<const capnp::word*>(inline_), count);
  } else {
    words_ = copiedWords(bytes);
    words = words_.asPtr();
  }
  reader_.emplace(words, options);
  if (reader_->getEnd() != words.end()) KJ_FAIL_REQUIRE("bytes after the end of the message");
}

std::string toBytes(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

}  // namespace mwp

namespace mwp {

namespace {
struct CanonicalScratch {
  // The traversal limit, the root pointer, and a word to spare.
  kj::Array<capnp::word> words =
      kj::heapArray<capnp::word>(untrustedReaderOptions().traversalLimitInWords + 2);
  size_t dirty = words.size();  // how much may not be zero: all of it, until a build says less
};
thread_local CanonicalScratch canonical;
}  // namespace

kj::ArrayPtr<capnp::word> canonicalScratch() {
  memset(canonical.words.begin(), 0, canonical.dirty * sizeof(capnp::word));
  // Until the build says how much it used: one that throws leaves it all to be zeroed again.
  canonical.dirty = canonical.words.size();
  return canonical.words;
}

void canonicalScratchUsed(size_t words) { canonical.dirty = std::min(words, canonical.words.size()); }

void canonicalScratchAtLeast(size_t words) {
  if (words <= canonical.words.size()) return;
  canonical.words = kj::heapArray<capnp::word>(words);
  canonical.dirty = canonical.words.size();  // zeroed by the next canonicalScratch()
}

std::string framedSegment(kj::ArrayPtr<const capnp::word> segment) {
  // canonicalize() returns the segment alone: put the one-segment table in front of it.
  uint32_t table[2] = {0, static_cast<uint32_t>(segment.size())};  // segment count − 1, size
  auto bytes = segment.asBytes();
  std::string out;
  out.reserve(sizeof table + bytes.size());
  out.append(reinterpret_cast<const char*>(table), sizeof table);
  out.append(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
  return out;
}

std::string_view framedSegment(kj::ArrayPtr<const capnp::word> segment, kj::Arena& arena) {
  uint32_t table[2] = {0, static_cast<uint32_t>(segment.size())};
  auto bytes = segment.asBytes();
  auto out = arena.allocateArray<char>(sizeof table + bytes.size() + 1);
  memcpy(out.begin(), table, sizeof table);
  memcpy(out.begin() + sizeof table, bytes.begin(), bytes.size());
  out[out.size() - 1] = '\0';
  return {out.begin(), out.size() - 1};
}

}  // namespace mwp
