#include "catalogue.h"

#include <capnp/compat/json.h>

#include "event_kinds.h"

extern const char kMwpCatalogueJson[];  // catalogue_data.cpp, generated from catalogue.json

namespace mwp {

const Catalogue& Catalogue::builtIn() {
  static const Catalogue catalogue(kMwpCatalogueJson);
  return catalogue;
}

namespace {
// A department as a bit of a uint64_t; 0 for a value past the 64 (none is: the schema has 31).
uint64_t departmentBit(msg::Department d) {
  auto bit = static_cast<unsigned>(d);
  return bit < 64 ? uint64_t{1} << bit : 0;
}
}  // namespace

Catalogue::Catalogue(std::string_view json)
    : message_(std::make_unique<capnp::MallocMessageBuilder>()) {
  capnp::JsonCodec codec;
  codec.setRejectUnknownFields(true);
  auto root = message_->initRoot<msg::Catalogue>();
  codec.decode(kj::ArrayPtr<const char>(json.data(), json.size()), root);
  auto data = root.asReader();

  for (auto area : data.getAreas()) areas_.emplace(area.getCode().cStr());
  for (auto m : data.getMeasures()) {
    measures_.emplace(m.getNumber(), m);
    std::set<msg::Department> departments;
    for (auto d : m.getLead()) departments.insert(d);
    for (auto d : m.getCooperating()) departments.insert(d);
    for (auto kind : m.getKinds()) {
      std::string key = kind.cStr();
      kinds_.insert(key);
      if (key == "activityReported") key += ":" + std::to_string(m.getNumber());
      reporters_[key].insert(departments.begin(), departments.end());
    }
    // An area office reports any measure it owes for a quarter (措施二十九: each county and park
    // accountable); so may the measure's departments, for the areas they report for.
    departments.insert(msg::Department::AREA_GOVERNMENT);
    reporters_["periodReported:" + std::to_string(m.getNumber())] = departments;
  }
  kinds_.insert("periodReported");
  for (const auto& kind : allKinds()) {
    auto which = static_cast<size_t>(*kindWhich(kind));
    if (byKind_.size() <= which) byKind_.resize(which + 1);
    auto& k = byKind_[which];
    k.kind = kind;
    k.derived = isDerivedKind(kind);
    k.byNamedMeasure = kind == "activityReported" || kind == "periodReported";
    if (auto it = reporters_.find(kind); it != reporters_.end()) {
      for (auto d : it->second) k.departments |= departmentBit(d);
    }
  }
}

msg::Catalogue::Reader Catalogue::data() const {
  return message_->getRoot<msg::Catalogue>().asReader();
}

bool Catalogue::hasMeasure(int number) const {
  return measures_.count(number) > 0;
}

msg::Measure::Reader Catalogue::measure(int number) const {
  return measures_.at(number);
}

bool Catalogue::isReportingArea(std::string_view code) const {
  return areas_.count(code) > 0;
}

bool isVillageCodeForm(std::string_view code) {
  return code.size() == 12 && code.find_first_not_of("0123456789") == std::string_view::npos;
}

bool Catalogue::isVillage(std::string_view code) const {
  // The parks' codes are not digits: six digits that are a reporting area are a county's.
  return isVillageCodeForm(code) && isReportingArea(code.substr(0, 6));
}

std::vector<std::string> Catalogue::reportingAreas() const {
  return {areas_.begin(), areas_.end()};
}

bool Catalogue::isListedActivity(int number, std::string_view activity) const {
  auto it = measures_.find(number);
  if (it == measures_.end()) return false;
  for (auto a : it->second.getActivities()) {
    if (activity == a.cStr()) return true;
  }
  return false;
}

bool Catalogue::mayReport(msg::Department source, std::string_view kind, int namedMeasure) const {
  auto which = kindWhich(kind);
  return which && mayReport(source, *which, namedMeasure);
}

bool Catalogue::mayReport(msg::Department source, msg::Envelope::Which kind, int namedMeasure) const {
  auto which = static_cast<size_t>(kind);
  if (which >= byKind_.size() || byKind_[which].kind.empty()) return false;
  const KindReporters& k = byKind_[which];
  if (source == msg::Department::MWP_SERVICE || k.derived) {
    return source == msg::Department::MWP_SERVICE && k.derived;
  }
  if (!k.byNamedMeasure) return (k.departments & departmentBit(source)) != 0;
  auto it = reporters_.find(k.kind + ":" + std::to_string(namedMeasure));
  return it != reporters_.end() && it->second.count(source) > 0;
}

std::string Catalogue::departmentName(msg::Department id) const {
  for (auto d : data().getDepartments()) {
    if (d.getId() == id) return d.getNameZh().cStr();
  }
  return "?";
}

}  // namespace mwp
