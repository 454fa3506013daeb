#include "frames.h"

#include <kj/exception.h>

#include <cstring>

namespace mwp {

capnp::ReaderOptions untrustedReaderOptions() {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = kMaxFrameBytes / sizeof(capnp::word) * 2;
  options.nestingLimit = 16;
  return options;
}

FrameReader::FrameReader(std::string_view bytes) {
  if (bytes.size() % sizeof(capnp::word) != 0) {
    KJ_FAIL_REQUIRE("message size is not a whole number of 8-byte words: truncated?");
  }
  words_ = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  if (!bytes.empty()) memcpy(words_.begin(), bytes.data(), bytes.size());
  reader_.emplace(words_.asPtr(), untrustedReaderOptions());
  KJ_REQUIRE(reader_->getEnd() == words_.end(), "bytes after the end of the message");
}

std::string toBytes(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

}  // namespace mwp

namespace mwp {

std::string framedSegment(kj::ArrayPtr<const capnp::word> segment) {
  // canonicalize() returns the segment alone: put the one-segment table in front of it.
  uint32_t table[2] = {0, static_cast<uint32_t>(segment.size())};  // segment count − 1, size
  auto bytes = segment.asBytes();
  std::string out(reinterpret_cast<const char*>(table), sizeof table);
  out.append(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
  return out;
}

}  // namespace mwp
