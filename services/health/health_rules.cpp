#include "health_rules.h"

#include "derived_events.h"
#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/health.capnp.h"
#include "stored_record.h"

namespace mwp::health {
namespace {

constexpr int kMeasure = 15;
using Type = msg::HealthCheckType;

// The indicator a check type counts toward besides health_checks, or nullptr.
const char* typeIndicator(Type type) {
  switch (type) {
    case Type::OCCUPATIONAL:
      return "occupational_checks";
    case Type::PREMARITAL:
    case Type::PRE_PREGNANCY:
      return "premarital_and_pre_pregnancy_checks";
    case Type::HIV:
    case Type::ECHINOCOCCOSIS:
      return "infectious_disease_checks";
    case Type::CERVICAL_CANCER:
    case Type::BREAST_CANCER:
      return "womens_cancer_checks";
    default:
      return nullptr;
  }
}

Applied checkCompleted(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getHealthCheckCompleted();
  bool forWomen =
      e.getCheckType() == Type::CERVICAL_CANCER || e.getCheckType() == Type::BREAST_CANCER;
  // 措施十五: 免费为符合条件的女性农民工提供宫颈癌、乳腺癌检查.
  if (forWomen && residentIdIsMale(event.getWorkerId().cStr())) {
    return refuse(enumName(e.getCheckType()) +
                  " checks are for women (措施十五); the resident ID is a man's");
  }
  StoredRecord<msg::HealthRecord> record(state,
                                         std::string("worker:") + event.getWorkerId().cStr());
  auto r = record.get();
  auto check = appendTo<msg::HealthCheck>(record.orphanage(), r.getChecks(),
                                          [&](auto o) { r.adoptChecks(kj::mv(o)); });
  check.setCheckType(e.getCheckType());
  check.setFree(e.getFree());
  check.setResult(e.getResult());
  check.setPerformedOn(e.getPerformedOn());
  record.save();

  std::string area = event.getArea().cStr();
  int year = yearOf(e.getPerformedOn().cStr());
  auto count = [&](const char* indicator) {
    countIndicator(state, kMeasure, indicator, area, year);
  };
  count("health_checks");
  if (const char* byType = typeIndicator(e.getCheckType())) count(byType);
  if (e.getFree()) count("free_checks");
  if (e.getResult() == msg::HealthCheckResult::REFERRED) count("checks_referred");
  return {};
}

Applied incidentReported(msg::Envelope::Reader event, StateTx& state) {
  auto e = event.getOccupationalIncidentReported();
  if (seenBefore(state, std::string("incident:") + e.getIncidentId().cStr(), event)) {
    return refuse(std::string("incident ") + e.getIncidentId().cStr() + " is already reported");
  }
  std::string area = event.getArea().cStr();
  int year = yearOf(e.getOccurredOn().cStr());
  countIndicator(state, kMeasure, "incidents", area, year);
  if (e.getSeverity() == msg::IncidentSeverity::SERIOUS) {
    countIndicator(state, kMeasure, "serious_incidents", area, year);
  }
  // 确保不发生重大职业健康事件: the target is none; Prometheus alerts on the first.
  if (e.getSeverity() == msg::IncidentSeverity::MAJOR) {
    countIndicator(state, kMeasure, "major_incidents", area, year);
  }
  return {};
}

}  // namespace

std::optional<Applied> HealthRules::apply(msg::Envelope::Reader event, StateTx& state, int64_t) {
  if (event.isHealthCheckCompleted()) return checkCompleted(event, state);
  if (event.isOccupationalIncidentReported()) return incidentReported(event, state);
  return std::nullopt;
}

}  // namespace mwp::health
