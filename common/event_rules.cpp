#include "event_rules.h"

#include <capnp/dynamic.h>

#include "event_kinds.h"
#include "ids.h"

namespace mwp {
namespace {

size_t utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool has(capnp::StructSchema::Field field, uint64_t id) {
  return findAnnotation(field, id).has_value();
}

std::optional<std::string> checkText(capnp::StructSchema::Field field, std::string_view text,
                                     const std::string& name) {
  if (text.empty()) {
    if (has(field, annotation::kOptional)) return std::nullopt;
    return name + ": must not be empty";
  }
  size_t limit = kDefaultMaxTextLength;
  if (auto max = findAnnotation(field, annotation::kMaxLength)) limit = max->getUint32();
  if (utf8Length(text) > limit) {
    return name + ": longer than " + std::to_string(limit) + " characters";
  }
  if (has(field, annotation::kDate) && !parseDate(text)) {
    return name + ": not a date in the form YYYY-MM-DD";
  }
  if (has(field, annotation::kTime) && !parseRfc3339(text)) {
    return name + ": not an RFC 3339 time with offset, e.g. 2026-03-01T09:30:00+08:00";
  }
  if (has(field, annotation::kResidentId) && !isValidResidentId(text)) {
    return name + ": not a valid resident ID (18 characters, GB 11643 check character)";
  }
  if (has(field, annotation::kCreditCode) && !isValidCreditCode(text)) {
    return name + ": not a valid unified social credit code (GB 32100 check character)";
  }
  if (has(field, annotation::kAreaCode) && !isAreaCodeForm(text)) {
    return name + ": not a GB/T 2260 area code (six digits with a real province prefix)";
  }
  return std::nullopt;
}

// Walks every field of a payload and applies the rules its annotations name.
std::optional<std::string> checkFields(capnp::DynamicStruct::Reader payload,
                                       const std::string& kind) {
  for (auto field : payload.getSchema().getFields()) {
    std::string name = kind + "." + field.getProto().getName().cStr();
    auto value = payload.get(field);
    switch (value.getType()) {
      case capnp::DynamicValue::TEXT: {
        auto text = value.as<capnp::Text>();
        if (auto problem = checkText(field, std::string_view(text.begin(), text.size()), name))
          return problem;
        break;
      }
      case capnp::DynamicValue::ENUM:
        if (value.as<capnp::DynamicEnum>().getRaw() == 0) return name + ": missing";
        break;
      case capnp::DynamicValue::UINT:
        if (has(field, annotation::kPositive) && value.as<uint64_t>() == 0)
          return name + ": must be at least 1";
        break;
      case capnp::DynamicValue::FLOAT:
        if (!(value.as<double>() >= 0)) return name + ": must be a number ≥ 0";
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkWorker(msg::Envelope::Reader event, const std::string& kind) {
  bool present = event.hasWorkerId() && event.getWorkerId().size() > 0;
  switch (workerRule(kind)) {
    case rules::WorkerRule::REQUIRED:
      if (!present) return "workerId: required for " + kind;
      break;
    case rules::WorkerRule::NONE:
      if (present) return "workerId: must be absent for " + kind + " (not about one person)";
      return std::nullopt;
    case rules::WorkerRule::OPTIONAL:
      if (!present) return std::nullopt;
      break;
  }
  if (!isValidResidentId(event.getWorkerId().cStr())) {
    return "workerId: not a valid resident ID (18 characters, GB 11643 check character)";
  }
  return std::nullopt;
}

// Rules between fields that still need no state.
std::optional<std::string> checkAcrossFields(msg::Envelope::Reader event,
                                             const Catalogue& catalogue) {
  switch (event.which()) {
    case msg::Envelope::WORKER_REGISTERED: {
      bool male = event.getWorkerRegistered().getGender() == msg::Gender::MALE;
      if (male != residentIdIsMale(event.getWorkerId().cStr())) {
        return "workerRegistered.gender: does not agree with the resident ID's 17th digit";
      }
      break;
    }
    case msg::Envelope::ACTIVITY_REPORTED: {
      auto activity = event.getActivityReported();
      int measure = activity.getMeasure();
      if (!catalogue.hasMeasure(measure) ||
          catalogue.measure(measure).getService() != msg::Service::OUTREACH) {
        return "activityReported.measure: " + std::to_string(measure) +
               " is not an outreach measure (12, 13, 17–19, 23–30)";
      }
      if (!catalogue.isListedActivity(measure, activity.getActivity().cStr())) {
        std::string listed;
        for (auto a : catalogue.measure(measure).getActivities()) {
          listed += (listed.empty() ? "" : ", ") + std::string(a.cStr());
        }
        return "activityReported.activity: measure " + std::to_string(measure) + " lists " + listed;
      }
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> checkEvent(msg::Envelope::Reader event, const Catalogue& catalogue,
                                      int64_t nowSeconds) {
  if (!isValidEventId(event.getEventId().cStr())) {
    return "eventId: 1–64 characters of A–Z a–z 0–9 . _ : -";
  }
  auto occurredAt = parseRfc3339(event.getOccurredAt().cStr());
  if (!occurredAt) return "occurredAt: not an RFC 3339 time with offset";
  if (*occurredAt > nowSeconds + kMaxClockSkewSeconds) {
    return "occurredAt: more than 5 minutes in the future";
  }
  if (event.getSource() == msg::Department::UNSPECIFIED) return "source: missing";
  if (!catalogue.isReportingArea(event.getArea().cStr())) {
    return "area: not a Mianyang county code or a park of the area table";
  }
  std::string kind = kindOf(event);
  if (kind == "unknown") return "unknown kind: this bus's schema does not have it (newer sender?)";
  if (kind == "noPayload") return "no payload: name one kind, e.g. \"workerRegistered\": {…}";
  if (event.hasCausedBy() && event.getCausedBy().size() > 0 &&
      !isValidEventId(event.getCausedBy().cStr())) {
    return "causedBy: not an eventId";
  }
  if (auto problem = checkWorker(event, kind)) return problem;

  capnp::DynamicStruct::Reader envelope = event;
  auto payload = envelope.get(*kindField(kind)).as<capnp::DynamicStruct>();
  if (auto problem = checkFields(payload, kind)) return problem;
  if (auto problem = checkAcrossFields(event, catalogue)) return problem;

  int activityMeasure = kind == "activityReported" ? event.getActivityReported().getMeasure() : 0;
  if (!catalogue.mayReport(event.getSource(), kind, activityMeasure)) {
    return "source: " + enumName(event.getSource()) + " may not report " + kind +
           (activityMeasure ? " for measure " + std::to_string(activityMeasure) : "");
  }
  return std::nullopt;
}

std::string subjectOf(msg::Envelope::Reader event) {
  std::string kind = kindOf(event);
  if (auto field = kindField(kind)) {
    capnp::DynamicStruct::Reader envelope = event;
    auto payload = envelope.get(*field).as<capnp::DynamicStruct>();
    for (auto f : payload.getSchema().getFields()) {
      if (findAnnotation(f, annotation::kSubject)) {
        // Named by the field, not the kind, so every event of a case (caseOverdue too) shares it.
        return std::string(f.getProto().getName().cStr()) + ":" +
               payload.get(f).as<capnp::Text>().cStr();
      }
    }
  }
  if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
    return std::string("worker:") + event.getWorkerId().cStr();
  }
  return std::string("event:") + event.getEventId().cStr();
}

uint32_t partitionOf(std::string_view subject, uint32_t partitionCount) {
  return static_cast<uint32_t>(fnv1a64(subject) % partitionCount);
}

}  // namespace mwp
