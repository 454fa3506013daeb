// The case of measures 20, 21 and 22 and the lifecycle counters it keeps for its measure.
#include "rights_case.h"

#include <algorithm>
#include <vector>

#include "ids.h"
#include "rights_rules.h"

namespace mwp::rights {
namespace {

// How verdicts name a case of the type, in English and Chinese.
struct TypeName {
  const char* en;
  const char* zh;
};

TypeName typeName(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return {"wage claim", "欠薪投诉"};
    case msg::CaseType::DISPUTE:
      return {"dispute", "劳动争议仲裁案件"};
    default:
      return {"legal-aid request", "法律援助申请"};
  }
}

// What every case counts toward its own measure: open cases, overdue cases, stages done late.
struct Lifecycle {
  Indicator open, overdue, late;
};

Lifecycle lifecycleOf(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return {measure20::kCasesOpen, measure20::kCasesOverdue, measure20::kStagesLate};
    case msg::CaseType::DISPUTE:
      return {measure21::kCasesOpen, measure21::kCasesOverdue, measure21::kStagesLate};
    default:
      return {measure22::kCasesOpen, measure22::kCasesOverdue, measure22::kStagesLate};
  }
}

std::string caseKey(msg::CaseType type, capnp::Text::Reader caseNo) {
  return std::string("case:") + typeKey(type) + ":" + caseNo.cStr();
}

}  // namespace

void addToWorker(
    StateTx& state, const std::string& workerId, const std::string& key,
    capnp::List<capnp::Text>::Builder (msg::WorkerCases::Builder::*list)(),
    void (msg::WorkerCases::Builder::*adopt)(capnp::Orphan<capnp::List<capnp::Text>>&&)) {
  StoredRecord<msg::WorkerCases> worker(state, "worker:" + workerId);
  std::vector<std::string> keys{key};
  for (auto k : (worker.get().*list)()) keys.emplace_back(k.cStr());
  std::sort(keys.begin(), keys.end());
  auto sorted = worker.orphanage().newOrphan<capnp::List<capnp::Text>>(keys.size());
  for (unsigned i = 0; i < keys.size(); ++i) sorted.get().set(i, keys[i]);
  (worker.get().*adopt)(kj::mv(sorted));
  worker.save();
}

int64_t endOfDay(int32_t day) {
  return (int64_t{day} + 1) * 86400 - 8 * 3600;
}

const char* typeKey(msg::CaseType type) {
  switch (type) {
    case msg::CaseType::WAGE_CLAIM:
      return "wage";
    case msg::CaseType::DISPUTE:
      return "dispute";
    default:
      return "aid";
  }
}

Case::Case(StateTx& state, msg::CaseType type, capnp::Text::Reader caseNo)
    : state_(state),
      key_(caseKey(type, caseNo)),
      name_(std::string(typeName(type).en) + " " + caseNo.cStr()),
      nameZh_(std::string(typeName(type).zh) + " " + caseNo.cStr()),
      record_(state, key_),
      type_(type) {}

void Case::count(Indicator indicator, int64_t delta) {
  countIndicator(state_, indicator, get().getArea().cStr(),
                 yearOfField(get().getFiledOn(), "filedOn"), delta);
}

void Case::countDaysToEnd(Indicator median, capnp::Text::Reader endedOn, std::string_view field) {
  int32_t filed = dayOf(get().getFiledOn(), "filedOn");
  countForMedian(state_, median, get().getArea().cStr(), yearOfDay(filed),
                 dayOf(endedOn, field) - filed);
}

void Case::open(msg::Envelope::Reader event, capnp::Text::Reader caseNo,
                capnp::Text::Reader filedOn, std::string_view field) {
  int32_t filed = dayOf(filedOn, field);
  auto c = get();
  c.setType(type_);
  c.setCaseNo(caseNo);
  c.setArea(event.getArea());
  c.setFiledOn(filedOn);
  c.setStatus(msg::CaseStatus::FILED);
  if (event.hasWorkerId() && event.getWorkerId().size() > 0) {
    c.setWorkerId(event.getWorkerId());
    addToWorker(state_, event.getWorkerId().cStr(), key_, &msg::WorkerCases::Builder::getCases,
                &msg::WorkerCases::Builder::adoptCases);
  }
  for (const char* area : {c.getArea().cStr(), "all"}) {
    state_.index(caseIndex("open", area), key_, filed);
  }
  count(lifecycleOf(type_).open);
}

void Case::close(capnp::Text::Reader closedOn, std::string_view field, const std::string& outcome) {
  auto c = get();
  c.setStatus(msg::CaseStatus::CLOSED);
  c.setClosedOn(closedOn);
  c.setOutcome(outcome);
  // Stages still open end with the case: nothing is due from a closed case.
  for (auto d : c.getDeadlines()) {
    if (d.getDoneOn().size() == 0) finish(d.getStage(), closedOn, field);
  }
  for (const char* area : {c.getArea().cStr(), "all"}) {
    state_.unindex(caseIndex("open", area), key_);
  }
  count(lifecycleOf(type_).open, -1);
}

msg::Deadline::Builder Case::deadline(Stage stage) {
  for (auto d : get().getDeadlines()) {
    if (d.getStage() == stage) return d;
  }
  auto d = record_.append(&msg::RightsCase::Builder::getDeadlines,
                          &msg::RightsCase::Builder::adoptDeadlines);
  d.setStage(stage);
  return d;
}

void Case::due(RuleId rule, Stage stage, int32_t dueDay) {
  moveDue(stage, dueDay);
  deadline(stage).setRule(rule.id);
}

void Case::due(RuleId rule, Stage stage, WorkingDeadline dueDay) {
  due(rule, stage, dueDay.day);
  deadline(stage).setCalendarMissing(static_cast<uint16_t>(dueDay.missingYear));
}

msg::Deadline::Builder Case::moveDue(Stage stage, int32_t dueDay) {
  auto d = deadline(stage);
  d.setDueOn(formatDate(dueDay));
  // A stage already recorded overdue (its alarm came back before a suspension or missing material
  // stopped the clock) needs no second alarm: the moved day is kept, the timer is not set again.
  if (!d.getOverdue()) state_.setTimer(timer(stage), endOfDay(dueDay));
  return d;
}

void Case::finish(Stage stage, capnp::Text::Reader doneOn, std::string_view field) {
  for (auto d : get().getDeadlines()) {
    if (d.getStage() != stage || d.getDoneOn().size() > 0) continue;
    d.setDoneOn(doneOn);
    int32_t stopped =
        d.getPausedOn().size() > 0 ? dayOf(d.getPausedOn(), "pausedOn") : dayOf(doneOn, field);
    if (stopped > dayOf(d.getDueOn(), "dueOn")) {
      d.setLate(true);
      count(lifecycleOf(type_).late);
    }
    state_.clearTimer(timer(stage));
  }
}

std::optional<msg::Deadline::Builder> Case::openDeadline(Stage stage) {
  for (auto d : get().getDeadlines()) {
    if (d.getStage() == stage && d.getDoneOn().size() == 0) return d;
  }
  return std::nullopt;
}

void Case::pause(msg::Deadline::Builder d, capnp::Text::Reader on) {
  d.setPausedOn(on);
  state_.clearTimer(timer(d.getStage()));
}

void Case::resume(msg::Deadline::Builder d, int32_t dueDay) {
  d.setPausedOn("");
  moveDue(d.getStage(), dueDay);
}

void Case::resume(msg::Deadline::Builder d, WorkingDeadline dueDay) {
  d.setPausedOn("");
  moveDue(d.getStage(), dueDay.day)
      .setCalendarMissing(static_cast<uint16_t>(dueDay.missingYear));
}

void Case::markOverdue(msg::Deadline::Builder d) {
  d.setOverdue(true);
  count(lifecycleOf(type_).overdue);
  for (const char* area : {get().getArea().cStr(), "all"}) {
    state_.index(caseIndex("overdue", area), key_, dayOf(get().getFiledOn(), "filedOn"));
  }
  state_.clearTimer(timer(d.getStage()));
}

std::string Case::timer(Stage stage) const {
  return key_ + "|" + enumName(stage);
}

Applied refuseCase(RuleId rule, const Case& c, const std::string& zh, const std::string& en) {
  return refuse(rule, c.nameZh() + zh, c.name() + en);
}

std::optional<Applied> needsAccepted(Case& c) {
  if (!c.exists()) return refuseCase(rules::record::exists_first, c, " 未登记", " is not filed");
  switch (c.get().getStatus()) {
    case msg::CaseStatus::FILED:
      return refuseCase(rules::record::stage, c, " 尚未受理", " is not accepted yet");
    case msg::CaseStatus::CLOSED:
      return refuseCase(rules::record::stage, c, " 已结案", " is already closed");
    default:
      return std::nullopt;
  }
}

}  // namespace mwp::rights
