// Sends the rows of a CSV import (event_csv.h) to the bus and answers each one: the one loop that
// `mwpctl import` and POST /v1/events (text/csv) share.
#pragma once

#include <functional>

#include "bus_client.h"
#include "event_csv.h"

namespace mwp {

// Sends the rows of `file` that are events, `chunk` rows at a time (the publisher keeps its
// window of frames in flight within a chunk), and sets every row's answer in the file's order:
// the bus's ACK, DUP or NACK, or NACK with the row's own refusal (never sent). Calls
// `progress(rowsAnswered)` after each chunk. Throws BusUnreachable as Publisher::publish does:
// rows answered before it keep their answers, and every row may be sent again safely (the bus
// de-duplicates by eventId).
void sendCsvRows(Publisher& publisher, EventCsv& file, size_t chunk,
                 const std::function<void(size_t)>& progress = {});

}  // namespace mwp
