#include "csv_sender.h"

#include <algorithm>

namespace mwp {

void sendCsvRows(Publisher& publisher, EventCsv& file, size_t chunk,
                 const std::function<void(size_t)>& progress) {
  for (size_t first = 0; first < file.rows.size(); first += chunk) {
    size_t end = std::min(file.rows.size(), first + chunk);
    std::vector<std::string> frames;
    for (size_t r = first; r < end; ++r) {
      if (!file.rows[r].frame.empty()) frames.push_back(file.rows[r].frame);
    }
    auto results = frames.empty() ? std::vector<IngestResult>{} : publisher.publish(frames);
    size_t next = 0;
    for (size_t r = first; r < end; ++r) {
      auto& row = file.rows[r];
      if (row.frame.empty()) {
        row.result = "NACK";
        row.reason = row.refusal;
        continue;
      }
      const auto& answer = results[next++];
      using Status = msg::IngestReply::Status;
      if (answer.status == Status::NACK) {
        row.result = "NACK";
        row.rule = answer.rule;
        row.reason = reasonForColumn(file.kind, {answer.rule, answer.reasonZh, answer.reason});
      } else {
        row.result = answer.status == Status::ACK ? "ACK" : "DUP";
        row.stored = std::to_string(answer.partition) + ":" + std::to_string(answer.sequence);
      }
    }
    if (progress) progress(end);
  }
}

}  // namespace mwp
