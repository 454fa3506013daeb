// The bus's ingest: any bytes a client sends as a frame. Each gets an answer (accepted, or the
// reason why not) without a crash, a leak or undefined behaviour; what is accepted is checked by
// readAndCheck. Seeds: every kind of the fixture as a frame, and broken variants.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mwp::fuzz::readAndCheck(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
