#include "event_csv.h"

#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "mwp/rule_names.h"

namespace mwp {
namespace {

constexpr std::string_view kAnswerPrefix = "answer.";

bool isAnswerColumn(const std::string& name) {
  return name.rfind(kAnswerPrefix, 0) == 0;
}

// Where a column's cells go: a field of the envelope or of the kind's payload; neither for the
// answer's own columns.
struct Column {
  std::optional<capnp::StructSchema::Field> field;
  bool inPayload = false;
  bool required = false;  // its column must be there, and its cells not empty
};

bool isOptional(capnp::StructSchema::Field field) {
  return findAnnotation(field, annotation::kOptional).has_value();
}

std::string fieldName(capnp::StructSchema::Field field) {
  return field.getProto().getName().cStr();
}

bool readableFromCell(capnp::Type type) {
  return !(type.isStruct() || type.isList() || type.isData() || type.isAnyPointer() ||
           type.isInterface());
}

// workerId is $optional in the envelope; each kind says whether it needs one ($R.worker).
bool isRequired(capnp::StructSchema::Field field, rules::WorkerRule worker) {
  return fieldName(field) == "workerId" ? worker == rules::WorkerRule::REQUIRED
                                        : !isOptional(field);
}

// A header cell as messages quote it: a file without a header has data in line 1, and a
// resident ID is not repeated in a message (it may reach a log).
std::string nameOf(const std::string& column) {
  return isValidResidentId(column) ? maskResidentId(column) : column.substr(0, 64);
}

// The columns of a header for `kind`, or why the header is refused.
std::variant<std::vector<Column>, csv::Error> columnsOf(capnp::StructSchema::Field kind,
                                                        const std::vector<std::string>& header) {
  auto envelope = capnp::Schema::from<msg::Envelope>();
  auto payload = kind.getType().asStruct();
  std::string kindName = fieldName(kind);
  auto worker = workerRule(kindName);
  std::vector<Column> columns;
  std::set<std::string> seen;
  for (const auto& name : header) {
    if (isAnswerColumn(name) || name.empty()) {  // an unnamed column must be empty: readEventCsv
      columns.push_back({});
      continue;
    }
    if (!seen.insert(name).second) {
      return csv::Error{"第 1 行：列 " + nameOf(name) + " 出现了两次 / line 1: column " +
                        nameOf(name) + " is given twice"};
    }
    kj::StringPtr key(name.c_str());
    std::optional<Column> column;
    KJ_IF_MAYBE (f, envelope.findFieldByName(key)) {
      if (f->getProto().getDiscriminantValue() == capnp::schema::Field::NO_DISCRIMINANT)
        column = Column{*f, false, isRequired(*f, worker)};
    }
    KJ_IF_MAYBE (f, payload.findFieldByName(key)) {
      if (column) {
        return csv::Error{"第 1 行：列 " + name + " 有两种含义 / line 1: column " + name +
                          " names a field of both the envelope and " + kindName};
      }
      column = Column{*f, true, isRequired(*f, worker)};
    }
    if (column && !column->inPayload && name == "workerId" && worker == rules::WorkerRule::NONE) {
      return csv::Error{"第 1 行：" + kindName + " 不针对个人，不应有 workerId 列 / line 1: a " +
                        kindName + " is about no one person, so it has no workerId column"};
    }
    if (!column) {
      return csv::Error{"第 1 行：列 " + nameOf(name) + " 不是 " + kindName +
                        " 的字段 / line 1: column " + nameOf(name) + " is not a field of " +
                        kindName + " or of the envelope"};
    }
    if (!readableFromCell(column->field->getType())) {
      return csv::Error{"第 1 行：列 " + name + " 的类型不能用 CSV 填写 / line 1: column " + name +
                        " is of a type a CSV cell cannot give"};
    }
    columns.push_back(*column);
  }
  auto requireEach = [&](auto fields) -> std::optional<csv::Error> {
    for (auto f : fields) {
      std::string name = fieldName(f);
      if (isRequired(f, worker) && !seen.count(name)) {
        return csv::Error{"第 1 行：缺少列 " + name + " / line 1: column " + name +
                          " is missing (" + kindName + " needs it)"};
      }
    }
    return std::nullopt;
  };
  if (auto missing = requireEach(envelope.getNonUnionFields())) return *missing;
  if (auto missing = requireEach(payload.getFields())) return *missing;
  return columns;
}

template <typename T>
std::optional<T> numberIn(const std::string& cell) {
  T value{};
  auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (error != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
  return value;
}

// A whole number of a field's type, or nullopt (not a number, or out of the type's range).
std::optional<capnp::DynamicValue::Reader> wholeNumber(const std::string& cell, int64_t least,
                                                       uint64_t most) {
  if (least < 0) {
    auto v = numberIn<int64_t>(cell);
    if (!v || *v < least || *v > static_cast<int64_t>(most)) return std::nullopt;
    return capnp::DynamicValue::Reader(*v);
  }
  auto v = numberIn<uint64_t>(cell);
  if (!v || *v > most) return std::nullopt;
  return capnp::DynamicValue::Reader(*v);
}

template <typename T>
std::pair<int64_t, uint64_t> rangeOf() {
  return {static_cast<int64_t>(std::numeric_limits<T>::min()),
          static_cast<uint64_t>(std::numeric_limits<T>::max())};
}

// How Excel saves a cell of 18 digits it took for a number: 5.10722E+17, the digits past the
// fifteenth gone (IEEE 754 doubles).
bool isExcelsNumber(const std::string& cell) {
  return cell.find_first_of("Ee") != std::string::npos && numberIn<double>(cell).has_value();
}

std::optional<bool> truthOf(const std::string& cell) {
  for (const char* yes : {"true", "TRUE", "True", "是", "1"})
    if (cell == yes) return true;
  for (const char* no : {"false", "FALSE", "False", "否", "0"})
    if (cell == no) return false;
  return std::nullopt;
}

// Sets `field` of `target` from a non-empty cell; returns why it cannot, naming the column.
std::optional<std::string> setFromCell(capnp::DynamicStruct::Builder target,
                                       capnp::StructSchema::Field field, const std::string& cell) {
  std::string name = fieldName(field);
  auto type = field.getType();
  using W = capnp::schema::Type::Which;
  std::optional<std::pair<int64_t, uint64_t>> range;
  switch (type.which()) {
    case W::TEXT:
      if (findAnnotation(field, annotation::kResidentId) && isExcelsNumber(cell)) {
        return name +
               ": Excel 把身份证号存成了数字（如 "
               "5.10722E+17），后几位已丢失，请把该列设为“文本”后重新录入"
               " / Excel saved the resident ID as a number (like 5.10722E+17) and lost its last "
               "digits: format the column as Text and type the IDs again";
      }
      target.set(field, capnp::Text::Reader(cell.c_str(), cell.size()));
      return std::nullopt;
    case W::BOOL:
      if (auto truth = truthOf(cell)) {
        target.set(field, *truth);
        return std::nullopt;
      }
      return name + ": 应为 true 或 false（是/否） / not true or false (also 是/否, 1/0)";
    case W::ENUM: {
      auto schema = type.asEnum();
      KJ_IF_MAYBE (e, schema.findEnumerantByName(kj::StringPtr(cell.c_str()))) {
        target.set(field, capnp::DynamicEnum(*e));
        return std::nullopt;
      }
      std::string names;
      for (auto e : schema.getEnumerants()) {
        std::string n = e.getProto().getName().cStr();
        if (n != "unspecified") names += (names.empty() ? "" : ", ") + n;
      }
      return name + ": 不是可用的值 / not one of " + names;
    }
    case W::FLOAT32:
    case W::FLOAT64: {
      auto v = numberIn<double>(cell);
      if (!v || !std::isfinite(*v)) return name + ": 不是数字 / not a number";
      target.set(field, *v);
      return std::nullopt;
    }
    case W::INT8:
      range = rangeOf<int8_t>();
      break;
    case W::INT16:
      range = rangeOf<int16_t>();
      break;
    case W::INT32:
      range = rangeOf<int32_t>();
      break;
    case W::INT64:
      range = rangeOf<int64_t>();
      break;
    case W::UINT8:
      range = rangeOf<uint8_t>();
      break;
    case W::UINT16:
      range = rangeOf<uint16_t>();
      break;
    case W::UINT32:
      range = rangeOf<uint32_t>();
      break;
    case W::UINT64:
      range = rangeOf<uint64_t>();
      break;
    default:
      break;  // columnsOf lets no other type through
  }
  if (!range) return name + ": 不能用 CSV 填写 / cannot be given in CSV";
  auto value = wholeNumber(cell, range->first, range->second);
  if (!value) {
    std::string least = std::to_string(range->first), most = std::to_string(range->second);
    return name + ": 应为 " + least + "–" + most + " 的整数 / not a whole number from " + least +
           " to " + most;
  }
  target.set(field, *value);
  return std::nullopt;
}

// The row as an event of `kind` (its frame), or why it is not one.
void readRow(CsvRow& row, capnp::StructSchema::Field kind, const std::vector<Column>& columns,
             const std::vector<std::string>& header) {
  capnp::MallocMessageBuilder message(256);
  capnp::DynamicStruct::Builder envelope = message.initRoot<msg::Envelope>();
  auto payload = envelope.init(kind).as<capnp::DynamicStruct>();
  for (size_t c = 0; c < columns.size(); ++c) {
    const auto& cell = row.cells[c];
    if (header[c] == "eventId" && !cell.empty()) row.eventId = cell.substr(0, 64);
    if (header[c] == "source") row.source = cell;
    if (!columns[c].field || !row.refusal.empty()) continue;
    if (cell.empty()) {
      if (columns[c].required) row.refusal = header[c] + ": 不能为空 / must not be empty";
      continue;
    }
    if (auto problem =
            setFromCell(columns[c].inPayload ? payload : envelope, *columns[c].field, cell))
      row.refusal = *problem;
  }
  if (row.refusal.empty()) {
    row.frame = toBytes(message);
  } else {
    row.rule = rules::bus::event::fields.id;  // a cell not as its field's type, or left empty
  }
}

bool allEmpty(const std::vector<std::string>& cells) {
  for (const auto& c : cells)
    if (!c.empty()) return false;
  return true;
}

}  // namespace

std::variant<EventCsv, csv::Error> readEventCsv(std::string_view kind, std::string_view bytes) {
  auto field = kindField(kind);
  std::string name(kind.substr(0, 64));
  if (!field) {
    return csv::Error{"kind=" + name + "：没有这种事件 / kind=" + name +
                      ": no such event kind (messages/events.capnp lists them)"};
  }
  if (isDerivedKind(name)) {
    return csv::Error{"kind=" + name + "：这类事件由 mwp 的服务产生，不能导入 / kind=" + name +
                      ": decided by mwp's services, never sent by a department"};
  }
  auto text = csv::decode(bytes);
  if (auto* e = std::get_if<csv::Error>(&text)) return *e;
  auto records = csv::parse(std::get<csv::Text>(text).utf8);
  if (auto* e = std::get_if<csv::Error>(&records)) return *e;
  auto& all = std::get<std::vector<csv::Record>>(records);
  if (all.empty() || allEmpty(all[0].fields)) {
    return csv::Error{
        "文件是空的，第 1 行应为列名 / the file is empty: line 1 must name the columns"};
  }
  EventCsv file{name, std::get<csv::Text>(text).encoding, std::move(all[0].fields), {}};
  auto columns = columnsOf(*field, file.columns);
  if (auto* e = std::get_if<csv::Error>(&columns)) return *e;
  for (size_t r = 1; r < all.size(); ++r) {
    auto& record = all[r];
    if (allEmpty(record.fields)) continue;
    if (record.fields.size() != file.columns.size()) {
      std::string line = std::to_string(record.line), got = std::to_string(record.fields.size()),
                  want = std::to_string(file.columns.size());
      return csv::Error{"第 " + line + " 行有 " + got + " 个字段，表头有 " + want + " 个 / line " +
                        line + " has " + got + " fields, the header " + want};
    }
    for (size_t c = 0; c < file.columns.size(); ++c) {
      if (!file.columns[c].empty() || record.fields[c].empty()) continue;
      std::string line = std::to_string(record.line), at = std::to_string(c + 1);
      return csv::Error{"第 " + line + " 行第 " + at +
                        " 列有值，但第 1 行没有给这一列命名 / line " + line + ": column " + at +
                        " has a value but no name in line 1"};
    }
    CsvRow row;
    row.line = record.line;
    row.eventId = "-";
    row.cells = std::move(record.fields);
    readRow(row, *field, std::get<std::vector<Column>>(columns), file.columns);
    file.rows.push_back(std::move(row));
  }
  if (file.rows.empty()) {
    return csv::Error{"第 1 行之后没有数据行 / no rows under the header"};
  }
  return file;
}

std::string reasonForColumn(std::string_view kind, const Reason& why) {
  std::string prefix = std::string(kind) + ".";
  auto column = [&](const std::string& reason) {
    return reason.starts_with(prefix) ? reason.substr(prefix.size()) : reason;
  };
  if (why.zh.empty()) return column(why.en);
  return column(why.zh) + " / " + column(why.en);
}

std::string answerCsv(const EventCsv& file) {
  std::vector<std::string> header{"answer.row", "answer.result", "answer.reason", "answer.rule"};
  std::vector<size_t> kept;  // the file's columns, less the answer of an earlier import
  for (size_t c = 0; c < file.columns.size(); ++c) {
    if (isAnswerColumn(file.columns[c])) continue;
    kept.push_back(c);
    header.push_back(file.columns[c]);
  }
  std::string out = csv::formatRecord(header);
  for (const auto& row : file.rows) {
    std::vector<std::string> fields{std::to_string(row.line), row.result, row.reason, row.rule};
    for (size_t c : kept) fields.push_back(row.cells[c]);
    out += csv::formatRecord(fields);
  }
  return csv::encode(out, file.encoding);
}

}  // namespace mwp
