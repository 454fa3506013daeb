#include "csv.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>

namespace mwp::csv {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string lineText(size_t line) {
  return std::to_string(line);
}

// `bytes` converted by iconv from `from` to `to`, or the offset of the first byte it cannot
// convert (a truncated sequence at the end too). glibc checks UTF-8 strictly (no overlong forms,
// no surrogates), so UTF-8 to UTF-8 is the validity check.
struct Converted {
  std::string text;
  std::optional<size_t> badByte;
};
Converted convert(std::string_view bytes, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw std::runtime_error(std::string("iconv cannot convert ") + from + " to " + to);
  }
  Converted out;
  out.text.resize(bytes.size() * 2 + 16);  // GB18030 → UTF-8 grows 2 bytes to 3 at most
  char* in = const_cast<char*>(bytes.data());
  size_t inLeft = bytes.size();
  char* write = out.text.data();
  size_t writeLeft = out.text.size();
  while (inLeft > 0) {
    if (iconv(cd, &in, &inLeft, &write, &writeLeft) != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {
      out.badByte = bytes.size() - inLeft;
      break;
    }
    size_t used = write - out.text.data();
    out.text.resize(out.text.size() * 2);
    write = out.text.data() + used;
    writeLeft = out.text.size() - used;
  }
  iconv_close(cd);
  out.text.resize(write - out.text.data());
  return out;
}

size_t lineAt(std::string_view bytes, size_t offset) {
  return 1 + std::count(bytes.begin(), bytes.begin() + offset, '\n');
}

bool isSpace(char c) {
  return c == ' ' || c == '\t';
}

std::string trimmed(const std::string& s) {
  size_t first = 0, last = s.size();
  while (first < last && isSpace(s[first])) ++first;
  while (last > first && isSpace(s[last - 1])) --last;
  return s.substr(first, last - first);
}

}  // namespace

const char* encodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8WithBom:
      return "UTF-8 with BOM";
    case Encoding::kGb18030:
      return "GB18030";
    default:
      return "UTF-8";
  }
}

std::variant<Text, Error> decode(std::string_view bytes) {
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    return Error{
        "文件是 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8”或“CSV” / the file is UTF-16 (Excel's "
        "\"Unicode text\"): save it as \"CSV UTF-8\" or \"CSV\""};
  }
  bool bom = bytes.substr(0, kBom.size()) == kBom;
  if (bom) bytes.remove_prefix(kBom.size());
  auto utf8 = convert(bytes, "UTF-8", "UTF-8");
  if (!utf8.badByte) {
    return Text{std::string(bytes), bom ? Encoding::kUtf8WithBom : Encoding::kUtf8};
  }
  if (bom) {  // declared UTF-8, so not GB18030: say where it breaks
    size_t line = lineAt(bytes, *utf8.badByte);
    return Error{"第 " + lineText(line) + " 行不是有效的 UTF-8 / line " + lineText(line) +
                 ": not valid UTF-8, though the file starts with a UTF-8 BOM"};
  }
  auto gb = convert(bytes, "GB18030", "UTF-8");
  if (gb.badByte) {
    size_t line = lineAt(bytes, *gb.badByte);
    return Error{"第 " + lineText(line) + " 行既不是 UTF-8 也不是 GB18030 编码 / line " +
                 lineText(line) + ": neither UTF-8 nor GB18030 text"};
  }
  return Text{std::move(gb.text), Encoding::kGb18030};
}

std::string encode(std::string_view utf8, Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8WithBom:
      return std::string(kBom) + std::string(utf8);
    case Encoding::kGb18030: {
      auto gb = convert(utf8, "UTF-8", "GB18030");  // GB18030 maps every Unicode code point
      if (gb.badByte) throw std::invalid_argument("csv::encode: the text is not UTF-8");
      return gb.text;
    }
    default:
      return std::string(utf8);
  }
}

std::variant<std::vector<Record>, Error> parse(std::string_view text) {
  std::vector<Record> records;
  size_t line = 1, i = 0;
  auto atEndOfRecord = [&] {
    return i >= text.size() || text[i] == '\n' ||
           (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] == '\n'));
  };
  while (i < text.size()) {
    Record record{line, {}};
    for (;;) {
      std::string field;
      if (text[i] == '"') {
        size_t opened = line;
        for (++i;; ++i) {
          if (i >= text.size()) {
            return Error{"第 " + lineText(opened) + " 行的引号没有闭合 / line " + lineText(opened) +
                         ": a quoted field is not closed"};
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              ++i;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i];
        }
        if (!atEndOfRecord() && text[i] != ',') {
          return Error{
              "第 " + lineText(line) + " 行的引号后还有字符 / line " + lineText(line) +
              ": text after a closing quote (write a quote inside a quoted field as \"\")"};
        }
      } else {
        while (!atEndOfRecord() && text[i] != ',') field += text[i++];
        field = trimmed(field);
      }
      record.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        if (i < text.size()) continue;
        record.fields.emplace_back();  // "a,b," at the very end: the last field is empty
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') {
      ++i;
      ++line;
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string formatRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (f) out += ',';
    const auto& v = fields[f];
    bool quote = v.find_first_of(",\"\r\n") != std::string::npos ||
                 (!v.empty() && (isSpace(v.front()) || isSpace(v.back())));
    if (!quote) {
      out += v;
      continue;
    }
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace mwp::csv
