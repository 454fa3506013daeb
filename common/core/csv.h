// CSV files as offices save them: RFC 4180 records in UTF-8 (with or without a BOM) or GB18030,
// which is what Excel writes for "CSV" on a Chinese system. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mwp::csv {

// Why a file cannot be read, in Chinese and English, naming the line: shown to the clerk.
struct Error {
  std::string message;
};

enum class Encoding { kUtf8, kUtf8WithBom, kGb18030 };

// "UTF-8", "UTF-8 with BOM", "GB18030": how the answer says what was detected.
const char* encodingName(Encoding encoding);

struct Text {
  std::string utf8;  // without the BOM
  Encoding encoding;
};

// Valid UTF-8 is UTF-8 (a GB18030 file of Chinese text is almost never valid UTF-8, while every
// UTF-8 file of it is invalid GB18030 somewhere); anything else is read as GB18030 (GB 18030-2005,
// a superset of GBK and GB2312) through iconv. A file that is neither, or is UTF-16 (Excel's
// "Unicode text"), is an Error naming the line.
std::variant<Text, Error> decode(std::string_view bytes);

// `utf8` as it would be saved in `encoding` (a BOM first for kUtf8WithBom): the answer to a file
// goes back in the file's encoding, so Excel opens it as it opened the file.
std::string encode(std::string_view utf8, Encoding encoding);

struct Record {
  size_t line;  // the line it starts on, from 1; a quoted newline makes a record span lines
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by commas, records by CRLF or LF; a field in double quotes may hold
// commas, newlines and doubled quotes (""). Spaces around an unquoted field are dropped (a clerk's
// stray space is never meant); a quoted field is kept exactly. A blank line is a record of one
// empty field. Error: a quote not closed, or text after a closing quote, naming the line.
std::variant<std::vector<Record>, Error> parse(std::string_view utf8);

// One record as RFC 4180 writes it, quoting what needs it, ending with CRLF.
std::string formatRecord(const std::vector<std::string>& fields);

}  // namespace mwp::csv
