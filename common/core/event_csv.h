// Events from a CSV file, one a row: what `mwpctl import` and POST /v1/events (text/csv) read.
//
// The columns are the envelope's fields (eventId, occurredAt, source, area, workerId, causedBy)
// and the kind's fields, by their schema names, in any order. They are read through Cap'n Proto's
// schema API, so a kind added to messages/events.capnp imports with no code here. A cell is read
// as its field's type: text as it is, an enum by its name, a number in decimal, a Bool as
// true/false (also TRUE/FALSE as Excel writes them, 是/否, 1/0); an empty cell is an absent field,
// which only an $optional field may be. The bus checks each event as it checks any other.
//
// Columns named `answer.…` are skipped: they are the ones the answer adds (answerCsv), so a clerk
// can keep the refused rows of an answer, mend them and send that file again. A dot is never in a
// schema name, so they cannot hide a field. A column with no name is skipped too when it is empty
// (Excel writes the touched cells beyond a table so), and refused when it holds a value. Pure
// functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "csv.h"
#include "rule_register.h"

namespace mwp {

struct CsvRow {
  size_t line = 0;                 // the file's line the row starts on; the header is line 1
  std::vector<std::string> cells;  // as in the file (decoded), one per column
  std::string eventId;             // its eventId cell, "-" when empty
  std::string source;              // its source cell
  std::string frame;               // the event, when the row is one
  std::string refusal;             // why it is not, naming the column ("zh / en")
  std::string rule;                // the rule its refusal or the bus's NACK names (docs/rules.md)

  // The answer, set by whoever sends the frames (sendCsvRows).
  std::string result;  // "ACK", "DUP" or "NACK"
  std::string reason;  // a NACK's, naming the column, in Chinese and English
  std::string stored;  // "partition:sequence" of an ACK or a DUP
};

struct EventCsv {
  std::string kind;
  csv::Encoding encoding = csv::Encoding::kUtf8;
  std::vector<std::string> columns;  // the header, as in the file
  std::vector<CsvRow> rows;          // rows of empty cells only (Excel's ",,,") are left out
};

// The file as events of `kind`, or why the whole of it is refused, in Chinese and English naming
// the kind, the column or the line: not UTF-8 or GB18030, an unknown or derived kind, an unknown
// or repeated column, a required column missing, a row with another number of fields than the
// header, a value in a column with no name, no rows. A header cell that is a resident ID (a file
// without its header) is named masked. A row's own fault (an empty required cell, a word that is not a number) is its
// `refusal`, under rules::bus::event::fields, and the other rows go on.
std::variant<EventCsv, csv::Error> readEventCsv(std::string_view kind, std::string_view bytes);

// A refused row's reason as the answer shows it, Chinese then English as the file's own refusals
// are, naming the column as the file does: the bus's "socialSecurityCardIssued.issuedOn 不是日期" and
// "socialSecurityCardIssued.issuedOn: not a date" become "issuedOn 不是日期 / issuedOn: not a date".
// English alone where there is no Chinese (an older bus).
std::string reasonForColumn(std::string_view kind, const Reason& why);

// The answer for the whole file, in its encoding: the columns answer.row, answer.result,
// answer.reason, answer.rule, then the file's own columns and cells, one line per row in the file's order.
std::string answerCsv(const EventCsv& file);

}  // namespace mwp
