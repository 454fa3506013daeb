// The CSV import (mwpctl import, POST /v1/events as text/csv): any bytes are read as events or
// refused with a reason, never a crash. The input is a kind's name, a newline, and the file.
// Every row is an event or has its refusal; what is an event goes through the bus's reading as a
// frame; and the answer for the file reads back as the same rows with the same cells.
#include <algorithm>

#include "event_csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mwp;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto kind = input.substr(0, newline);
  auto read = readEventCsv(kind, input.substr(newline + 1));
  if (auto* error = std::get_if<csv::Error>(&read)) {
    if (error->message.empty()) fuzz::fail("a refusal without a reason");
    return 0;
  }
  auto& file = std::get<EventCsv>(read);
  for (auto& row : file.rows) {
    if (row.frame.empty() == row.refusal.empty()) fuzz::fail("a row neither an event nor refused");
    if (!row.frame.empty()) fuzz::readAndCheck(row.frame);
    row.result = row.frame.empty() ? "NACK" : "ACK";
    row.reason = row.refusal;
  }
  std::string answer = answerCsv(file);
  auto again = readEventCsv(kind, answer);
  auto* second = std::get_if<EventCsv>(&again);
  if (!second) {
    fuzz::fail(("the answer does not read back: " + std::get<csv::Error>(again).message).c_str());
  }
  // ASCII alone is UTF-8 and GB18030 alike (the file's other bytes may have been in an answer.*
  // column, which the answer replaces).
  bool ascii = std::all_of(answer.begin(), answer.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (second->encoding != file.encoding && !ascii) fuzz::fail("the answer is in another encoding");
  if (second->rows.size() != file.rows.size()) fuzz::fail("the answer has other rows");
  for (size_t r = 0; r < file.rows.size(); ++r) {
    if (second->rows[r].refusal != file.rows[r].refusal ||
        second->rows[r].frame != file.rows[r].frame)
      fuzz::fail("a row of the answer reads back otherwise");
  }
  return 0;
}
