// Measure 15 (做好健康服务): health checks by type and occupational-health incidents by severity,
// and the coverage of occupational checks.
//
// occupational_check_coverage = exposed workers with an occupational check in the year ÷ exposed
// workers. A worker is exposed in a year when a hazard exposure is registered for them dated in
// it (职业病防治法 art. 35: a worker exposed to a hazard is checked while so employed, which the
// county health offices follow up yearly), once whatever the hazards, in the area of the first
// registration of that year; checked when an occupational check is dated in the same year,
// before or after the registration.
#include "derived_events.h"
#include "event_kinds.h"
#include "health_rules.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/health.capnp.h"
#include "rule_fields.h"
#include "stored_record.h"
#include "worklists.h"

namespace mwp::health {
namespace {

using Type = msg::HealthCheckType;

// The indicator a check type counts toward besides health_checks, if any.
std::optional<Indicator> typeIndicator(Type type) {
  switch (type) {
    case Type::OCCUPATIONAL:
      return measure15::kOccupationalChecks;
    case Type::PREMARITAL:
    case Type::PRE_PREGNANCY:
      return measure15::kPremaritalAndPrePregnancyChecks;
    case Type::HIV:
    case Type::ECHINOCOCCOSIS:
      return measure15::kInfectiousDiseaseChecks;
    case Type::CERVICAL_CANCER:
    case Type::BREAST_CANCER:
      return measure15::kWomensCancerChecks;
    default:
      return std::nullopt;
  }
}

using Record = StoredRecord<msg::HealthRecord>;
using W = msg::HealthRecord::Builder;

std::string workerKey(msg::Envelope::Reader event) {
  return std::string("worker:") + event.getWorkerId().cStr();
}

const WorklistInfo& notChecked() { return *worklistNamed("exposedNotChecked"); }

// The worker's first exposure registered in `year`, if any.
std::optional<msg::Exposure::Builder> exposureIn(W w, int year) {
  for (auto x : w.getExposures()) {
    if (yearOf(x.getRegisteredOn().cStr()) == year) return x;
  }
  return std::nullopt;
}

bool checkedIn(W w, int year) {
  for (auto c : w.getChecks()) {
    if (c.getCheckType() == Type::OCCUPATIONAL && yearOf(c.getPerformedOn().cStr()) == year) {
      return true;
    }
  }
  return false;
}

WorklistEntry entryOf(msg::Envelope::Reader event, msg::Exposure::Builder exposure) {
  return {event.getWorkerId().cStr(), yearOf(exposure.getRegisteredOn().cStr()), "",
          dayOf(exposure.getRegisteredOn(), "hazardExposureRegistered.registeredOn")};
}

// An occupational check in `year` of a worker exposed that year and not yet checked: the worker
// is covered, counted in the area of the exposure, and off the worklist. False for a worker with
// no exposure registered in `year`: not in the population of the promise.
bool coverExposure(msg::Envelope::Reader event, StateTx& state, int year) {
  Record record(state, workerKey(event));
  auto w = record.get();
  auto exposure = exposureIn(w, year);
  if (!exposure) return false;
  if (checkedIn(w, year)) return true;
  countIndicator(state, measure15::kExposedChecked, exposure->getArea().cStr(), year);
  takeOffWorklist(state, notChecked(), exposure->getArea().cStr(), entryOf(event, *exposure));
  return true;
}

Applied exposureRegistered(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getHazardExposureRegistered();
  int year = yearOfField(e.getRegisteredOn(), "registeredOn");
  Record record(state, workerKey(event));
  auto w = record.get();
  bool counted = exposureIn(w, year).has_value();
  auto exposure = record.append(&W::getExposures, &W::adoptExposures);
  copySameNamedFields(e, exposure);
  exposure.setArea(event.getArea());
  record.save();
  if (counted) {  // exposed to several hazards in a year: one worker to check
    return appliedWithNote(
        rules::health::occupational::exposed_in_year,
        "该农民工 " + std::to_string(year) + " 年已有接害登记，计为一人",
        "already exposed in " + std::to_string(year) + ": one worker to check, counted once");
  }
  std::string area = event.getArea().cStr();
  countIndicator(state, measure15::kExposedWorkers, area, year);
  w = record.get();
  if (checkedIn(w, year)) {
    countIndicator(state, measure15::kExposedChecked, area, year);
  } else {
    putOnWorklist(state, notChecked(), area, entryOf(event, exposure));
  }
  return {};
}

Applied checkCompleted(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getHealthCheckCompleted();
  bool forWomen =
      e.getCheckType() == Type::CERVICAL_CANCER || e.getCheckType() == Type::BREAST_CANCER;
  // 措施十五: 免费为符合条件的女性农民工提供宫颈癌、乳腺癌检查.
  if (forWomen && residentIdIsMale(event.getWorkerId().cStr())) {
    return refuse(rules::health::screening::women_only,
                  enumName(e.getCheckType()) + " 检查面向女性农民工（措施十五），该身份证号码为男性",
                  enumName(e.getCheckType()) +
                      " checks are for women (措施十五); the resident ID is a man's");
  }
  int year = yearOfField(e.getPerformedOn(), "performedOn");
  bool exposed = e.getCheckType() != Type::OCCUPATIONAL || coverExposure(event, state, year);
  appendEntry(state, workerKey(event), e, &W::getChecks, &W::adoptChecks);

  std::string area = event.getArea().cStr();
  auto count = [&](Indicator indicator) { countIndicator(state, indicator, area, year); };
  count(measure15::kHealthChecks);
  if (auto byType = typeIndicator(e.getCheckType())) count(*byType);
  if (e.getFree()) count(measure15::kFreeChecks);
  if (e.getResult() == msg::HealthCheckResult::REFERRED) count(measure15::kChecksReferred);
  if (!exposed) {
    std::string y = std::to_string(year);
    return appliedWithNote(
        rules::health::occupational::exposed_in_year,
        "该农民工 " + y + " 年无接害登记：职业健康检查予以记录，但不计入职业健康检查覆盖率，" +
            "登记 " + y + " 年接害后计入",
        "no hazard exposure registered for this worker in " + y +
            ": the occupational check is recorded but is not coverage until an exposure of " + y +
            " is registered");
  }
  return {};
}

Applied incidentReported(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getOccupationalIncidentReported();
  if (seenBefore(state, std::string("incident:") + e.getIncidentId().cStr(), event)) {
    return refuse(rules::record::once, std::string("事故 ") + e.getIncidentId().cStr() + " 已报告",
                  std::string("incident ") + e.getIncidentId().cStr() + " is already reported");
  }
  std::string area = event.getArea().cStr();
  int year = yearOfField(e.getOccurredOn(), "occurredOn");
  countIndicator(state, measure15::kIncidents, area, year);
  if (e.getSeverity() == msg::IncidentSeverity::SERIOUS) {
    countIndicator(state, measure15::kSeriousIncidents, area, year);
  }
  // 确保不发生重大职业健康事件: the target is none; Prometheus alerts on the first.
  if (e.getSeverity() == msg::IncidentSeverity::MAJOR) {
    countIndicator(state, measure15::kMajorIncidents, area, year);
  }
  return {};
}

}  // namespace

std::optional<Applied> applyEvent(msg::Envelope::Reader event, StateTx& state, int64_t) {
  if (event.isHealthCheckCompleted()) return checkCompleted(event, state);
  if (event.isOccupationalIncidentReported()) return incidentReported(event, state);
  if (event.isHazardExposureRegistered()) return exposureRegistered(event, state);
  return std::nullopt;
}

}  // namespace mwp::health
