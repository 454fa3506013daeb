#include "reporting.h"

#include <capnp/dynamic.h>

#include <map>
#include <memory>

#include "event_kinds.h"
#include "ids.h"
#include "indicator_counts.h"

namespace mwp {

namespace indicator_keys {
std::string periodCounts(const std::string& period) {
  return "indp:" + period;
}
}  // namespace indicator_keys

namespace {

constexpr const char* kNothingDone = "nothing";
constexpr const char* kSomethingDone = "done";

// "report:<measure>:<YYYY-Qn>:<area>" → "<Unix seconds of the first report>:<nothing|done>"
std::string reportKey(int measure, const Period& quarter, const std::string& area) {
  return "report:" + std::to_string(measure) + ":" + quarter.name() + ":" + area;
}

struct Report {
  int64_t firstSentAt = 0;
  bool somethingDone = false;
};

std::optional<Report> parseReport(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  auto colon = value->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return Report{std::stoll(value->substr(0, colon)), value->substr(colon + 1) == kSomethingDone};
}

// Keeps the first time the area reported, and whether any report said something was done.
void noteReport(StateTx& state, int measure, const Period& quarter, const std::string& area,
                int64_t sentAt, bool somethingDone) {
  auto key = reportKey(measure, quarter, area);
  auto before = parseReport(state.get(key));
  Report now{sentAt, somethingDone};
  if (before) {
    now.firstSentAt = std::min(before->firstSentAt, sentAt);
    now.somethingDone = before->somethingDone || somethingDone;
    if (now.firstSentAt == before->firstSentAt && now.somethingDone == before->somethingDone)
      return;
  }
  state.put(key, std::to_string(now.firstSentAt) + ":" +
                     (now.somethingDone ? kSomethingDone : kNothingDone));
}

// Counts what the rules count for a year also for the quarter and 春运 window of the event's
// business day, when that day lies in the same year (a decision counted in the year of its
// request is not split by quarter). Medians, timers and computed indicators stay yearly.
class PeriodCountingTx : public StateTx {
 public:
  PeriodCountingTx(StateTx& inner, int32_t day, const Catalogue& catalogue)
      : inner_(inner),
        catalogue_(catalogue),
        yearHash_(indicator_keys::counts(yearOfDay(day))),
        periods_(periodsOf(day, catalogue)) {}

  std::optional<std::string> get(const std::string& key) override { return inner_.get(key); }
  void put(const std::string& key, std::string value) override {
    inner_.put(key, std::move(value));
  }
  void erase(const std::string& key) override { inner_.erase(key); }
  void add(const std::string& hash, const std::string& field, int64_t delta) override {
    inner_.add(hash, field, delta);
    if (hash != yearHash_) return;
    for (const auto& p : periods_) inner_.add(indicator_keys::periodCounts(p.name()), field, delta);
  }
  void index(const std::string& set, const std::string& member, double score) override {
    inner_.index(set, member, score);
  }
  void unindex(const std::string& set, const std::string& member) override {
    inner_.unindex(set, member);
  }
  void setTimer(const std::string& member, int64_t fireAt) override {
    inner_.setTimer(member, fireAt);
  }
  void clearTimer(const std::string& member) override { inner_.clearTimer(member); }
  StateTx& asOfDay(int32_t day) override {
    auto& other = otherDays_[day];
    if (!other) other = std::make_unique<PeriodCountingTx>(inner_, day, catalogue_);
    return *other;
  }

 private:
  StateTx& inner_;
  const Catalogue& catalogue_;
  std::string yearHash_;
  std::vector<Period> periods_;
  std::map<int32_t, std::unique_ptr<PeriodCountingTx>> otherDays_;
};

class ReportingRules : public EventRules {
 public:
  ReportingRules(std::unique_ptr<EventRules> inner, msg::Service owns, const Catalogue& catalogue)
      : inner_(std::move(inner)), owns_(owns), catalogue_(catalogue) {
    for (auto m : catalogue.data().getMeasures()) {
      if (m.getService() != owns) continue;
      for (auto kind : m.getKinds()) measuresOf_[kind.cStr()].push_back(m.getNumber());
    }
  }

  std::optional<Applied> apply(msg::Envelope::Reader event, StateTx& state,
                               int64_t nowSeconds) override {
    if (event.isPeriodReported()) return applyPeriodReported(event, state);
    auto measures = measuresCounting(event);
    if (measures.empty()) return inner_->apply(event, state, nowSeconds);
    int32_t day = businessDayOf(event);
    PeriodCountingTx periods(state, day, catalogue_);
    auto applied = inner_->apply(event, periods, nowSeconds);
    if (!applied || !applied->verdict.applied) return applied;
    // A derived event is a service's own conclusion (a case overdue), not an area office's report.
    if (isDerivedKind(kindOf(event))) return applied;
    auto sentAt = parseRfc3339(event.getOccurredAt().cStr());
    if (!sentAt) return applied;  // the bus checked it; a rule does not rely on that
    for (int m : measures)
      noteReport(state, m, quarterOf(day), event.getArea().cStr(), *sentAt, true);
    return applied;
  }

  Applied onTimer(const std::string& member, StateTx& state, int64_t nowSeconds) override {
    return inner_->onTimer(member, state, nowSeconds);
  }

  void keysToRead(msg::Envelope::Reader event, std::vector<std::string>& keys) const override {
    inner_->keysToRead(event, keys);
    if (isDerivedKind(kindOf(event))) return;
    for (int m : measuresCounting(event)) {
      keys.push_back(reportKey(m, quarterOf(businessDayOf(event)), event.getArea().cStr()));
    }
  }

 private:
  // The measures of this service the event counts toward.
  std::vector<int> measuresCounting(msg::Envelope::Reader event) const {
    auto found = measuresOf_.find(kindOf(event));
    if (found == measuresOf_.end()) return {};
    if (event.isActivityReported()) {
      int m = event.getActivityReported().getMeasure();
      for (int owned : found->second) {
        if (owned == m) return {m};
      }
      return {};
    }
    return found->second;
  }

  std::optional<Applied> applyPeriodReported(msg::Envelope::Reader event, StateTx& state) {
    auto r = event.getPeriodReported();
    int measure = r.getMeasure();
    if (!catalogue_.hasMeasure(measure) || catalogue_.measure(measure).getService() != owns_) {
      return std::nullopt;  // another service's measure
    }
    auto quarter = parseQuarter(r.getPeriod().cStr());
    if (!quarter) {
      std::string period = r.getPeriod().cStr();
      return refuse(rules::bus::event::period_reported,
                    "periodReported.period 不是 YYYY-Qn 形式的季度：\"" + period + "\"",
                    "periodReported.period: not a quarter YYYY-Qn: \"" + period + "\"");
    }
    auto sentAt = parseRfc3339(event.getOccurredAt().cStr());
    if (!sentAt) {
      return refuse(rules::bus::event::occurred_at, "occurredAt 不是带时区的 RFC 3339 时间",
                    "occurredAt: not an RFC 3339 time");
    }
    noteReport(state, measure, *quarter, event.getArea().cStr(), *sentAt, !r.getNothingToReport());
    return Applied{};
  }

  std::unique_ptr<EventRules> inner_;
  msg::Service owns_;
  const Catalogue& catalogue_;
  std::map<std::string, std::vector<int>, std::less<>> measuresOf_;
};

}  // namespace

std::unique_ptr<EventRules> withReporting(std::unique_ptr<EventRules> rules, msg::Service owns,
                                          const Catalogue& catalogue) {
  return std::make_unique<ReportingRules>(std::move(rules), owns, catalogue);
}

int32_t businessDayOf(msg::Envelope::Reader event) {
  capnp::DynamicStruct::Reader envelope = event;
  KJ_IF_MAYBE (field, envelope.which()) {
    if (field->getType().isStruct()) {
      auto payload = envelope.get(*field).as<capnp::DynamicStruct>();
      std::optional<int32_t> first;
      for (auto f : payload.getSchema().getFields()) {
        if (!findAnnotation(f, annotation::kDate)) continue;
        auto day = parseDate(payload.get(f).as<capnp::Text>().cStr());
        if (!day) continue;
        std::string name = f.getProto().getName().cStr();
        if (name.size() > 2 && name.compare(name.size() - 2, 2, "On") == 0) return *day;
        if (!first) first = day;
      }
      if (first) return *first;
    }
  }
  return chinaDayOf(parseRfc3339(event.getOccurredAt().cStr()).value_or(0));
}

std::vector<std::string> areasOwing(msg::Measure::Reader m, const Catalogue& catalogue) {
  if (m.getReportedBy().size() == 0) return catalogue.reportingAreas();
  std::vector<std::string> out;
  for (auto a : m.getReportedBy()) out.emplace_back(a.cStr());
  return out;
}

std::vector<AreaReporting> reportingOf(const StateReader& state, const Catalogue& catalogue,
                                       msg::Service owns, int year, int onTimeDays,
                                       int64_t nowSeconds) {
  int32_t today = chinaDayOf(nowSeconds);
  std::vector<AreaReporting> out;
  std::vector<std::string> keys;
  for (auto m : catalogue.data().getMeasures()) {
    if (m.getService() != owns) continue;
    for (int q = 1; q <= 4; ++q) {
      Period quarter = quarterPeriod(year, q);
      if (quarter.firstDay > today) break;
      for (const auto& area : areasOwing(m, catalogue)) {
        out.push_back({m.getNumber(), quarter, area});
        keys.push_back(reportKey(m.getNumber(), quarter, area));
      }
    }
  }
  auto values = state.getMany(keys);
  for (size_t i = 0; i < out.size(); ++i) {
    auto report = parseReport(values[i]);
    if (!report) continue;
    out[i].reported = true;
    out[i].nothingToReport = !report->somethingDone;
    // On time: sent, in China, by the onTimeDays-th day after the quarter's last day.
    out[i].onTime = chinaDayOf(report->firstSentAt) <= out[i].quarter.lastDay + onTimeDays;
  }
  return out;
}

}  // namespace mwp
