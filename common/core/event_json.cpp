#include "event_json.h"

#include <capnp/compat/json.h>
#include <capnp/dynamic.h>

#include <optional>
#include <set>

#include "event_kinds.h"

namespace mwp {
namespace {

using capnp::JsonValue;

std::string memberName(const std::string& path, kj::StringPtr name) {
  return path.empty() ? std::string(name.cStr()) : path + "." + name.cStr();
}

bool isOptional(capnp::StructSchema::Field field) {
  return findAnnotation(field, annotation::kOptional).has_value();
}

// Every member a field, every required field present, exactly one union member. Returns what is
// wrong, or nullopt.
std::optional<std::string> checkMembers(JsonValue::Reader value, capnp::StructSchema schema,
                                        const std::string& path) {
  if (value.which() != JsonValue::OBJECT) {
    return (path.empty() ? std::string("the event") : path) + ": expected a JSON object";
  }
  std::vector<std::string> unionMembers;
  std::set<std::string> present;
  for (auto member : value.getObject()) {
    auto name = member.getName();
    KJ_IF_MAYBE (field, schema.findFieldByName(name)) {
      if (member.getValue().which() == JsonValue::NULL_) continue;  // null is absence
      if (!present.insert(name.cStr()).second) {
        return memberName(path, name) + ": given twice";
      }
      if (field->getProto().getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT) {
        unionMembers.emplace_back(name.cStr());
      }
      if (field->getType().isStruct()) {
        auto nested =
            checkMembers(member.getValue(), field->getType().asStruct(), memberName(path, name));
        if (nested) return nested;
      }
    } else {
      return memberName(path, name) + ": unknown field";
    }
  }
  for (auto field : schema.getNonUnionFields()) {
    auto name = field.getProto().getName();
    if (!isOptional(field) && !present.count(name.cStr())) {
      return memberName(path, name) + ": missing";
    }
  }
  if (schema.getUnionFields().size() > 0) {
    if (unionMembers.empty()) return "no payload: name one kind, e.g. \"workerRegistered\": {…}";
    if (unionMembers.size() > 1) {
      return "more than one payload (" + unionMembers[0] + ", " + unionMembers[1] +
             "): one event, one kind";
    }
  }
  return std::nullopt;
}

std::string eventIdOf(JsonValue::Reader value) {
  if (value.which() != JsonValue::OBJECT) return "-";
  for (auto member : value.getObject()) {
    if (member.getName() == "eventId" && member.getValue().which() == JsonValue::STRING) {
      std::string id = member.getValue().getString().cStr();
      return id.empty() ? "-" : id.substr(0, 64);
    }
  }
  return "-";
}

void appendUtf8(std::string& out, uint32_t point) {
  if (point < 0x80) {
    out += static_cast<char>(point);
  } else if (point < 0x800) {
    out += static_cast<char>(0xC0 | (point >> 6));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else if (point < 0x10000) {
    out += static_cast<char>(0xE0 | (point >> 12));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (point >> 18));
    out += static_cast<char>(0x80 | ((point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  }
}

std::optional<uint32_t> hex4(std::string_view json, size_t at) {
  if (at + 4 > json.size()) return std::nullopt;
  uint32_t value = 0;
  for (size_t i = at; i < at + 4; ++i) {
    char c = json[i];
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0) return std::nullopt;
    value = value * 16 + static_cast<uint32_t>(digit);
  }
  return value;
}

// The JSON with every \uXXXX escape in its strings written out as UTF-8. Cap'n Proto 0.9's
// JsonCodec (Debian bookworm's) reads the hex letters of \u escapes wrongly (capnproto PR 1552,
// fixed in 0.10.3): Python's json.dumps escapes all Chinese text that way by default, and 张三
// would have been stored as other characters. Found by fuzzing.
std::variant<std::string, JsonError> withUnicodeEscapesDecoded(std::string_view json) {
  if (json.find("\\u") == std::string_view::npos) return std::string(json);
  std::string out;
  out.reserve(json.size());
  bool inString = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (!inString) {
      inString = c == '"';
      out += c;
      continue;
    }
    if (c == '"') {
      inString = false;
      out += c;
      continue;
    }
    if (c != '\\' || i + 1 >= json.size()) {
      out += c;
      continue;
    }
    if (json[i + 1] != 'u') {  // \" \\ \n …: kept as they are
      out += c;
      out += json[++i];
      continue;
    }
    auto point = hex4(json, i + 2);
    if (!point) return JsonError{"-", "not valid JSON: a \\u escape needs four hex digits"};
    i += 5;
    if (*point >= 0xD800 && *point <= 0xDBFF) {  // a UTF-16 pair: \uD83D\uDE00
      auto low = json.substr(i + 1, 2) == "\\u" ? hex4(json, i + 3) : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) {
        return JsonError{"-", "not valid JSON: a \\u escape of half a UTF-16 pair"};
      }
      point = 0x10000 + ((*point - 0xD800) << 10) + (*low - 0xDC00);
      i += 6;
    } else if (*point >= 0xDC00 && *point <= 0xDFFF) {
      return JsonError{"-", "not valid JSON: a \\u escape of half a UTF-16 pair"};
    }
    if (*point == 0) return JsonError{"-", "not valid JSON: a NUL character in a string"};
    if (*point == '"' || *point == '\\') {
      out += '\\';
      out += static_cast<char>(*point);
    } else {
      appendUtf8(out, *point);  // control characters too: the bus's text rule refuses them
    }
  }
  return out;
}

}  // namespace

std::variant<DecodedEvent, JsonError> decodeEventJson(std::string_view json) {
  capnp::JsonCodec codec;
  codec.setMaxNestingDepth(8);
  capnp::MallocMessageBuilder raw;
  auto value = raw.initRoot<JsonValue>();
  auto unescaped = withUnicodeEscapesDecoded(json);
  if (auto* error = std::get_if<JsonError>(&unescaped)) return *error;
  const auto& text = std::get<std::string>(unescaped);
  kj::ArrayPtr<const char> input(text.data(), text.size());
  KJ_IF_MAYBE (exception, kj::runCatchingExceptions([&] { codec.decodeRaw(input, value); })) {
    return JsonError{"-", std::string("not valid JSON: ") + exception->getDescription().cStr()};
  }
  std::string eventId = eventIdOf(value.asReader());
  if (auto problem = checkMembers(value.asReader(), capnp::Schema::from<msg::Envelope>(), "")) {
    return JsonError{eventId, *problem};
  }
  DecodedEvent decoded{std::make_unique<capnp::MallocMessageBuilder>()};
  auto envelope = decoded.message->initRoot<msg::Envelope>();
  KJ_IF_MAYBE (exception, kj::runCatchingExceptions([&] {
                 codec.decode(value.asReader(), capnp::DynamicStruct::Builder(envelope));
               })) {
    return JsonError{eventId,
                     std::string("does not fit the schema: ") + exception->getDescription().cStr()};
  }
  return decoded;
}

std::string encodeEventJson(msg::Envelope::Reader envelope) {
  capnp::JsonCodec codec;
  return codec.encode(envelope).cStr();
}

Reason refusalOf(const JsonError& error) {
  return {rules::bus::event::json.id, "不是可读的 JSON 事件：" + error.reason, error.reason};
}

}  // namespace mwp
