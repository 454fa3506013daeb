#include "event_rules.h"

#include <capnp/any.h>
#include <capnp/dynamic.h>

#include <bit>
#include <map>
#include <stdexcept>
#include <vector>

#include "event_kinds.h"
#include "frames.h"
#include "ids.h"
#include "periods.h"

namespace mwp {
namespace {

size_t utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) with no control
// characters: what a clerk's text can be. Anything else would break the JSON the gateway and
// mwpctl tail show, and the terminals and logs it reaches.
// The whole of a text field. A Cap'n Proto Text may hold NUL bytes: read up to the first one (as
// cStr() does), a check would pass what the stored event and its JSON still carry after it.
std::string_view whole(capnp::Text::Reader text) {
  return {text.begin(), text.size()};
}

bool isCleanText(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || c > 0xF4 || i + length > s.size()) return false;
    uint32_t point = c & (0x3F >> (length - 1));
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < kLeast[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
      return false;
    if (point >= 0x80 && point < 0xA0) return false;  // C1 controls
    i += length;
  }
  return true;
}

// How a payload field's value is read: the kinds of value the checks look at, straight from the
// struct's data or pointer section at the field's slot — what the generated accessors do. Reading
// through DynamicStruct instead rebuilt the field's type from the schema on every get (7 % of
// the bus's CPU). Decided once per field from the schema; fields of other types are not checked.
enum class Slot { kText, kEnum, kUint, kFloat32, kFloat64, kUnchecked };

// What the annotations of one payload field ask, read once from the schema.
struct FieldRule {
  std::string name;  // "skillCertified.issuedOn", for messages
  Slot slot = Slot::kUnchecked;
  uint32_t offset = 0;     // in the data section, in units of the value's width; or a pointer index
  uint8_t bytes = 0;       // of an unsigned integer
  uint16_t enumerants = 0; // of an enum: raw values from here on are unknown to this schema
  bool optional = false, date = false, month = false, time = false, residentId = false,
       creditCode = false, areaCode = false, positive = false, village = false;
  size_t maxLength = kDefaultMaxTextLength;
  std::optional<uint64_t> atMost = std::nullopt;
};

// The slot a field is read from. Reading a slot straight assumes no default other than zero or
// empty (capnp stores a value XOR its default) and no union inside a payload: a schema that breaks
// either stops the bus at its first event instead of being checked wrongly.
void readSlotOf(capnp::StructSchema::Field f, FieldRule& r) {
  auto proto = f.getProto();
  if (!proto.isSlot()) return;  // a group: not checked, as before
  if (proto.getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT ||
      proto.getSlot().getHadExplicitDefault()) {
    throw std::logic_error(r.name + ": a default or a union in a payload needs the dynamic reader");
  }
  r.offset = proto.getSlot().getOffset();
  auto type = f.getType();
  switch (type.which()) {
    case capnp::schema::Type::TEXT: r.slot = Slot::kText; break;
    case capnp::schema::Type::ENUM:
      r.slot = Slot::kEnum;
      r.enumerants = static_cast<uint16_t>(type.asEnum().getEnumerants().size());
      break;
    case capnp::schema::Type::UINT8: r.slot = Slot::kUint, r.bytes = 1; break;
    case capnp::schema::Type::UINT16: r.slot = Slot::kUint, r.bytes = 2; break;
    case capnp::schema::Type::UINT32: r.slot = Slot::kUint, r.bytes = 4; break;
    case capnp::schema::Type::UINT64: r.slot = Slot::kUint, r.bytes = 8; break;
    case capnp::schema::Type::FLOAT32: r.slot = Slot::kFloat32; break;
    case capnp::schema::Type::FLOAT64: r.slot = Slot::kFloat64; break;
    default: break;
  }
}

// The little-endian value of `bytes` bytes at `offset` (in units of `bytes`) of a struct's data
// section; 0, the default, past its end (a struct from an older schema is shorter).
uint64_t dataAt(capnp::AnyStruct::Reader s, uint32_t offset, size_t bytes) {
  auto data = s.getDataSection();
  size_t at = size_t{offset} * bytes;
  if (at + bytes > data.size()) return 0;
  uint64_t value = 0;
  for (size_t i = bytes; i-- > 0;) value = value << 8 | data[at + i];
  return value;
}

capnp::Text::Reader textAt(capnp::AnyStruct::Reader s, uint32_t pointer) {
  auto pointers = s.getPointerSection();
  if (pointer >= pointers.size()) return {};
  return pointers[pointer].getAs<capnp::Text>();
}

// Everything the checks need to know of one kind, read once from the schema.
struct KindRules {
  std::string kind;
  uint32_t payload = 0;  // the payload's pointer in the envelope
  rules::WorkerRule worker = rules::WorkerRule::NONE;
  std::vector<FieldRule> fields;
  std::optional<FieldRule> subject;
};

// Every kind's rules by its payload's union discriminant. Built on first use; immutable after.
const std::map<uint16_t, KindRules>& kindRules() {
  static const std::map<uint16_t, KindRules> all = [] {
    std::map<uint16_t, KindRules> out;
    for (const auto& kind : allKinds()) {
      auto payload = *kindField(kind);
      KindRules k{kind, payload.getProto().getSlot().getOffset(), workerRule(kind), {},
                  std::nullopt};
      for (auto f : payload.getType().asStruct().getFields()) {
        FieldRule r{kind + "." + f.getProto().getName().cStr()};
        readSlotOf(f, r);
        auto has = [&](uint64_t id) { return findAnnotation(f, id).has_value(); };
        r.optional = has(annotation::kOptional);
        r.date = has(annotation::kDate);
        r.month = has(annotation::kMonth);
        r.time = has(annotation::kTime);
        r.residentId = has(annotation::kResidentId);
        r.creditCode = has(annotation::kCreditCode);
        r.areaCode = has(annotation::kAreaCode);
        r.positive = has(annotation::kPositive);
        r.village = has(annotation::kVillage);
        if (auto max = findAnnotation(f, annotation::kMaxLength)) r.maxLength = max->getUint32();
        if (auto most = findAnnotation(f, annotation::kAtMost)) r.atMost = most->getUint32();
        if (has(annotation::kSubject)) {
          k.subject = r;
          k.subject->name = f.getProto().getName().cStr();
        }
        if (r.slot != Slot::kUnchecked) k.fields.push_back(std::move(r));
      }
      out.emplace(payload.getProto().getDiscriminantValue(), std::move(k));
    }
    return out;
  }();
  return all;
}

capnp::AnyStruct::Reader payloadOf(msg::Envelope::Reader event, const KindRules& k) {
  auto pointers = capnp::AnyStruct::Reader(event).getPointerSection();
  // An envelope whose pointer section ends before its payload's (a forged or cut frame) has the
  // default payload, as the generated accessors read it and the stored canonical form keeps it.
  if (k.payload >= pointers.size()) return {};
  return pointers[k.payload].getAs<capnp::AnyStruct>();
}

const KindRules* rulesOf(msg::Envelope::Reader event) {
  auto it = kindRules().find(static_cast<uint16_t>(event.which()));
  return it == kindRules().end() ? nullptr : &it->second;
}

// A field not as its annotations say (rules::bus::event::fields): "name: en" and "name zh".
Reason badField(const std::string& name, std::string_view zh, std::string_view en) {
  return {rules::bus::event::fields.id, name + " " + std::string(zh), name + ": " + std::string(en)};
}

std::optional<Reason> checkText(const FieldRule& r, std::string_view text) {
  if (text.empty()) {
    if (r.optional) return std::nullopt;
    return badField(r.name, "不得为空", "must not be empty");
  }
  if (!isCleanText(text)) {
    return badField(r.name, "不是 UTF-8 文本，或含控制字符",
                    "not UTF-8 text, or holds a control character");
  }
  if (utf8Length(text) > r.maxLength) {
    std::string most = std::to_string(r.maxLength);
    return badField(r.name, "超过 " + most + " 个字符", "longer than " + most + " characters");
  }
  if (r.date && !parseDate(text)) {
    return badField(r.name, "不是 YYYY-MM-DD 格式的日期", "not a date in the form YYYY-MM-DD");
  }
  if (r.month && !parseMonth(text)) {
    return badField(r.name, "不是 YYYY-MM 格式的月份", "not a month in the form YYYY-MM");
  }
  if (r.time && !parseRfc3339(text)) {
    return badField(r.name, "不是带时区的 RFC 3339 时间，例如 2026-03-01T09:30:00+08:00",
                    "not an RFC 3339 time with offset, e.g. 2026-03-01T09:30:00+08:00");
  }
  if (r.residentId && !isValidResidentId(text)) {
    return badField(r.name, "不是有效的身份证号码（18 位，GB 11643 校验码）",
                    "not a valid resident ID (18 characters, GB 11643 check character)");
  }
  if (r.creditCode && !isValidCreditCode(text)) {
    return badField(r.name, "不是校验位正确的统一社会信用代码",
                    "not a valid unified social credit code (GB 32100 check character)");
  }
  if (r.areaCode && !isAreaCodeForm(text)) {
    return badField(r.name, "不是 GB/T 2260 行政区划代码（六位数字，省级前缀真实）",
                    "not a GB/T 2260 area code (six digits with a real province prefix)");
  }
  return std::nullopt;
}

// A village must be one of Mianyang's (Catalogue::isVillage), so that it counts in a county.
std::optional<Reason> checkVillage(const FieldRule& r, std::string_view text,
                                   const Catalogue& catalogue) {
  if (catalogue.isVillage(text)) return std::nullopt;
  if (!isVillageCodeForm(text)) {
    return Reason{rules::bus::event::village.id, r.name + " 不是12位统计用区划代码",
                  r.name + ": not a 12-digit village code (统计用区划代码)"};
  }
  return Reason{rules::bus::event::village.id, r.name + " 前六位不是绵阳市的县（市、区）",
                r.name + ": the first six digits are not a Mianyang county"};
}

// Reads every checked field of a payload and applies the rules its annotations name.
std::optional<Reason> checkFields(capnp::AnyStruct::Reader payload, const KindRules& k,
                                  const Catalogue& catalogue) {
  for (const auto& r : k.fields) {
    switch (r.slot) {
      case Slot::kText: {
        auto text = textAt(payload, r.offset);
        std::string_view view(text.begin(), text.size());
        if (auto problem = checkText(r, view)) return problem;
        if (r.village) {
          if (auto problem = checkVillage(r, view, catalogue)) return problem;
        }
        break;
      }
      case Slot::kEnum: {
        auto raw = dataAt(payload, r.offset, 2);
        if (raw == 0) {
          if (r.optional) break;
          return badField(r.name, "缺失", "missing");
        }
        // A value from a newer schema: nothing here could show it or apply a rule to it.
        if (raw >= r.enumerants) {
          return badField(r.name, "的取值不在本总线的 schema 中", "a value this bus's schema does not have");
        }
        break;
      }
      case Slot::kUint: {
        uint64_t value = dataAt(payload, r.offset, r.bytes);
        if (r.positive && value == 0) return badField(r.name, "不得小于 1", "must be at least 1");
        if (r.atMost && value > *r.atMost) {
          std::string most = std::to_string(*r.atMost);
          return badField(r.name, "不得大于 " + most, "must be at most " + most);
        }
        break;
      }
      case Slot::kFloat32:
      case Slot::kFloat64: {
        double value = r.slot == Slot::kFloat32
                           ? std::bit_cast<float>(static_cast<uint32_t>(dataAt(payload, r.offset, 4)))
                           : std::bit_cast<double>(dataAt(payload, r.offset, 8));
        if (!(value >= 0)) return badField(r.name, "须是 ≥ 0 的数", "must be a number ≥ 0");
        break;
      }
      case Slot::kUnchecked:
        break;
    }
  }
  return std::nullopt;
}

std::optional<Reason> checkWorker(msg::Envelope::Reader event, const KindRules& k) {
  auto workerId = [](std::string zh, std::string en) {
    return Reason{rules::bus::event::worker_id.id, "workerId " + zh, "workerId: " + en};
  };
  bool present = event.hasWorkerId() && event.getWorkerId().size() > 0;
  switch (k.worker) {
    case rules::WorkerRule::REQUIRED:
      if (!present) return workerId(k.kind + " 须填写", "required for " + k.kind);
      break;
    case rules::WorkerRule::NONE:
      if (present) {
        return workerId(k.kind + " 不涉及个人，不得填写",
                        "must be absent for " + k.kind + " (not about one person)");
      }
      return std::nullopt;
    case rules::WorkerRule::OPTIONAL:
      if (!present) return std::nullopt;
      break;
  }
  if (!isValidResidentId(whole(event.getWorkerId()))) {
    return workerId("不是有效的身份证号码（18 位，GB 11643 校验码）",
                    "not a valid resident ID (18 characters, GB 11643 check character)");
  }
  return std::nullopt;
}

// Rules between fields that still need no state.
std::optional<Reason> checkAcrossFields(msg::Envelope::Reader event,
                                             const Catalogue& catalogue) {
  switch (event.which()) {
    case msg::Envelope::WORKER_REGISTERED: {
      bool male = event.getWorkerRegistered().getGender() == msg::Gender::MALE;
      if (male != residentIdIsMale(whole(event.getWorkerId()))) {
        return Reason{rules::bus::event::gender_matches_id.id,
                      "workerRegistered.gender 与身份证号码第 17 位不一致",
                      "workerRegistered.gender: does not agree with the resident ID's 17th digit"};
      }
      break;
    }
    case msg::Envelope::ACTIVITY_REPORTED: {
      auto activity = event.getActivityReported();
      int measure = activity.getMeasure();
      if (!catalogue.hasMeasure(measure) ||
          catalogue.measure(measure).getService() != msg::Service::OUTREACH) {
        return Reason{rules::catalogue::activity_listed.id,
                      "activityReported.measure " + std::to_string(measure) +
                          " 不是宣传服务的措施（12、13、17–19、23–30）",
                      "activityReported.measure: " + std::to_string(measure) +
                          " is not an outreach measure (12, 13, 17–19, 23–30)"};
      }
      if (!catalogue.isListedActivity(measure, whole(activity.getActivity()))) {
        std::string listed;
        for (auto a : catalogue.measure(measure).getActivities()) {
          listed += (listed.empty() ? "" : ", ") + std::string(a.cStr());
        }
        return Reason{rules::catalogue::activity_listed.id,
                      "activityReported.activity 须是措施 " + std::to_string(measure) +
                          " 所列的活动：" + listed,
                      "activityReported.activity: measure " + std::to_string(measure) +
                          " lists " + listed};
      }
      break;
    }
    case msg::Envelope::PERIOD_REPORTED: {
      auto report = event.getPeriodReported();
      if (!catalogue.hasMeasure(report.getMeasure())) {
        return Reason{rules::bus::event::period_reported.id,
                      "periodReported.measure " + std::to_string(report.getMeasure()) +
                          " 不是 1–30 的措施编号",
                      "periodReported.measure: " + std::to_string(report.getMeasure()) +
                          " is not a measure (1–30)"};
      }
      auto quarter = parseQuarter(whole(report.getPeriod()));
      if (!quarter) {
        return Reason{rules::bus::event::period_reported.id,
                      "periodReported.period 不是2019年起 YYYY-Qn 形式的季度，例如 2026-Q1",
                      "periodReported.period: not a quarter YYYY-Qn of 2019 on, e.g. 2026-Q1"};
      }
      auto sentAt = parseRfc3339(whole(event.getOccurredAt()));
      if (sentAt && quarter->firstDay > chinaDayOf(*sentAt)) {
        return Reason{rules::bus::event::period_reported.id,
                      "periodReported.period 所报季度 " + quarter->name() + " 在 occurredAt 时尚未开始",
                      "periodReported.period: " + quarter->name() + " has not begun by occurredAt"};
      }
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

// The first field of `s` (a member of a list as field[i]) whose pointer cannot be followed, by its
// path from the envelope; "" when every one can. Only on the way to a refusal: it reads the whole
// message once more.
std::string unreadableField(capnp::DynamicStruct::Reader s, const std::string& path);

std::string unreadableValue(const capnp::DynamicValue::Reader& value, const std::string& path) {
  switch (value.getType()) {
    case capnp::DynamicValue::STRUCT:
      return unreadableField(value.as<capnp::DynamicStruct>(), path + ".");
    case capnp::DynamicValue::LIST: {
      auto list = value.as<capnp::DynamicList>();
      for (uint32_t i = 0; i < list.size(); ++i) {
        std::string element = path + "[" + std::to_string(i) + "]";
        try {
          if (auto inner = unreadableValue(list[i], element); !inner.empty()) return inner;
        } catch (const kj::Exception&) {
          return element;
        }
      }
      return "";
    }
    default:
      return "";  // texts and data were bounds-checked when read
  }
}

std::string unreadableField(capnp::DynamicStruct::Reader s, const std::string& path) {
  for (auto field : s.getSchema().getFields()) {
    std::string name = path + field.getProto().getName().cStr();
    try {
      if (!s.has(field)) continue;  // absent, or a member of the union not chosen
      if (auto inner = unreadableValue(s.get(field), name); !inner.empty()) return inner;
    } catch (const kj::Exception&) {
      return name;
    }
  }
  return "";
}

}  // namespace

std::string unreadableEnvelopeReason(std::string_view bytes) {
  if (auto problem = frameProblem(bytes)) return *problem;
  try {
    FrameReader reader(bytes);
    std::string field = unreadableField(reader.root<msg::Envelope>(), "");
    if (!field.empty()) {
      return unreadableReason(field, "指向消息之外，无法读取", "it points outside the message");
    }
  } catch (const kj::Exception&) {
    return unreadableReason("frame", "根指针指向消息之外", "its root points outside the message");
  }
  // Every field reads alone: together they went past the reading limits (a part reached through
  // many pointers, or nested too deep).
  return unreadableReason("frame", "超过读取上限（嵌套过深，或同一部分被多次引用）",
                          "reading it goes past the limits (nested too deep, or one part reached "
                          "many times)");
}

std::optional<Reason> checkEvent(msg::Envelope::Reader event, const Catalogue& catalogue,
                                 int64_t nowSeconds) {
  auto refuse = [](RuleId rule, std::string zh, std::string en) {
    return Reason{rule.id, std::move(zh), std::move(en)};
  };
  if (!isValidEventId(whole(event.getEventId()))) {
    return refuse(rules::bus::event::event_id, "eventId 须为 1–64 个 A–Z a–z 0–9 . _ : - 字符",
                  "eventId: 1–64 characters of A–Z a–z 0–9 . _ : -");
  }
  auto occurredAt = parseRfc3339(whole(event.getOccurredAt()));
  if (!occurredAt) {
    return refuse(rules::bus::event::occurred_at, "occurredAt 不是带时区的 RFC 3339 时间",
                  "occurredAt: not an RFC 3339 time with offset");
  }
  if (*occurredAt > nowSeconds + kMaxClockSkewSeconds) {
    return refuse(rules::bus::event::occurred_at, "occurredAt 晚于当前时间 5 分钟以上",
                  "occurredAt: more than 5 minutes in the future");
  }
  if (event.getSource() == msg::Department::UNSPECIFIED) {
    return refuse(rules::bus::event::source, "source 缺失", "source: missing");
  }
  static const size_t departments = capnp::Schema::from<msg::Department>().getEnumerants().size();
  if (static_cast<uint16_t>(event.getSource()) >= departments) {
    return refuse(rules::bus::event::source, "source 不是本总线 schema 中的部门",
                  "source: a department this bus's schema does not have");
  }
  if (!catalogue.isReportingArea(whole(event.getArea()))) {
    return refuse(rules::bus::event::area, "area 不是绵阳市的区县代码，也不是地区表中的园区",
                  "area: not a Mianyang county code or a park of the area table");
  }
  if (event.isNoPayload()) {
    return refuse(rules::bus::event::kind, "没有事件内容：请写明一种事件，例如 \"workerRegistered\": {…}",
                  "no payload: name one kind, e.g. \"workerRegistered\": {…}");
  }
  const KindRules* k = rulesOf(event);
  if (!k) {
    return refuse(rules::bus::event::kind, "未知的事件种类：本总线的 schema 中没有（发送方版本较新？）",
                  "unknown kind: this bus's schema does not have it (newer sender?)");
  }
  const std::string& kind = k->kind;
  if (event.hasCausedBy() && event.getCausedBy().size() > 0 &&
      !isValidEventId(whole(event.getCausedBy()))) {
    return refuse(rules::bus::event::caused_by, "causedBy 不是 eventId", "causedBy: not an eventId");
  }
  if (auto problem = checkWorker(event, *k)) return problem;

  if (auto problem = checkFields(payloadOf(event, *k), *k, catalogue)) return problem;
  if (auto problem = checkAcrossFields(event, catalogue)) return problem;

  int namedMeasure = event.isActivityReported() ? event.getActivityReported().getMeasure()
                     : event.isPeriodReported()  ? event.getPeriodReported().getMeasure()
                                                 : 0;
  if (!catalogue.mayReport(event.getSource(), event.which(), namedMeasure)) {
    std::string measure = namedMeasure ? std::to_string(namedMeasure) : "";
    return refuse(rules::bus::event::source_may_report,
                  "source " + enumName(event.getSource()) + " 不能报送" +
                      (namedMeasure ? "措施 " + measure + " 的 " : " ") + kind,
                  "source: " + enumName(event.getSource()) + " may not report " + kind +
                      (namedMeasure ? " for measure " + measure : ""));
  }
  return std::nullopt;
}

namespace {
// A subject as its two parts, "<field>:<value>", read in place (no string built).
struct SubjectParts {
  std::string_view field;
  std::string_view value;
};
SubjectParts subjectParts(msg::Envelope::Reader event) {
  const KindRules* k = rulesOf(event);
  if (k && k->subject) {
    auto subject = textAt(payloadOf(event, *k), k->subject->offset);
    // Named by the field, not the kind, so every event of a case (caseOverdue too) shares it.
    // An optional subject left empty (an activity without an activityId) names nothing.
    if (subject.size() > 0) return {k->subject->name, {subject.begin(), subject.size()}};
  }
  if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
    auto worker = event.getWorkerId();
    return {"worker", {worker.begin(), worker.size()}};
  }
  auto id = event.getEventId();
  return {"event", {id.begin(), id.size()}};
}
}  // namespace

std::string subjectOf(msg::Envelope::Reader event) {
  auto [field, value] = subjectParts(event);
  std::string subject;
  subject.reserve(field.size() + 1 + value.size());
  return subject.append(field).append(1, ':').append(value);
}

uint32_t partitionOf(std::string_view subject, uint32_t partitionCount) {
  return static_cast<uint32_t>(fnv1a64(subject) % partitionCount);
}

uint32_t partitionOfEvent(msg::Envelope::Reader event, uint32_t partitionCount) {
  // FNV-1a reads a byte at a time, so hashing the parts in turn is hashing the subject.
  auto [field, value] = subjectParts(event);
  uint64_t hash = fnv1a64(value, fnv1a64(":", fnv1a64(field)));
  return static_cast<uint32_t>(hash % partitionCount);
}

}  // namespace mwp
