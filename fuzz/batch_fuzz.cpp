// The bus's ingest: any bytes a client sends as a batch (the frame after `batch`). Each is either
// refused whole, with the reason in both languages, or read as frames that each get an answer as
// a frame of its own does (readAndCheck), without a crash, a leak or undefined behaviour. Seeds:
// batches of the fixture's frames, one cut short, one with a frame cut short.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<mwp::FrameReader> reader;
  auto frames = mwp::bus::readBatch(bytes, reader);
  if (auto* refused = std::get_if<mwp::Reason>(&frames)) {
    if (refused->rule != "bus.frame.batch" || refused->zh.empty() || refused->en.empty()) {
      mwp::fuzz::fail("a batch refused without its rule and reasons");
    }
    if (reader) mwp::fuzz::fail("a refused batch's reader kept");
    return 0;
  }
  for (auto frame : std::get<std::vector<std::string_view>>(frames)) {
    mwp::fuzz::readAndCheck(std::string(frame));
  }
  return 0;
}
