// The JSON event decoder (mwpctl publish, POST /v1/events): any text is decoded or refused with a
// reason, never a crash; what decodes goes through the bus's reading as a frame, and what the bus
// accepts is checked by readAndCheck (its JSON decodes back to the same event).
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mwp;
  auto decoded = decodeEventJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* event = std::get_if<DecodedEvent>(&decoded)) {
    fuzz::readAndCheck(toBytes(*event->message));
  } else if (std::get<JsonError>(decoded).reason.empty()) {
    fuzz::fail("a refusal without a reason");
  }
  return 0;
}
