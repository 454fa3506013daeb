// Measure 15 (做好健康服务): health checks by type and occupational-health incidents by severity.
#include "derived_events.h"
#include "event_kinds.h"
#include "health_rules.h"
#include "ids.h"
#include "indicator_counts.h"
#include "mwp/messages/health.capnp.h"
#include "rule_fields.h"
#include "stored_record.h"

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
  using W = msg::HealthRecord::Builder;
  appendEntry(state, std::string("worker:") + event.getWorkerId().cStr(), e, &W::getChecks,
              &W::adoptChecks);

  std::string area = event.getArea().cStr();
  auto count = [&](Indicator indicator) { countIndicator(state, indicator, area, year); };
  count(measure15::kHealthChecks);
  if (auto byType = typeIndicator(e.getCheckType())) count(*byType);
  if (e.getFree()) count(measure15::kFreeChecks);
  if (e.getResult() == msg::HealthCheckResult::REFERRED) count(measure15::kChecksReferred);
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
  return std::nullopt;
}

}  // namespace mwp::health
