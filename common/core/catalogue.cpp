#include "catalogue.h"

#include <capnp/compat/json.h>

#include "event_kinds.h"

extern const char kMwpCatalogueJson[];  // catalogue_data.cpp, generated from catalogue.json

namespace mwp {

const Catalogue& Catalogue::builtIn() {
  static const Catalogue catalogue(kMwpCatalogueJson);
  return catalogue;
}

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
  bool derived = isDerivedKind(kind);
  if (source == msg::Department::MWP_SERVICE || derived) {
    return source == msg::Department::MWP_SERVICE && derived;
  }
  auto it = kind == "activityReported" || kind == "periodReported"
                ? reporters_.find(std::string(kind) + ":" + std::to_string(namedMeasure))
                : reporters_.find(kind);
  return it != reporters_.end() && it->second.count(source) > 0;
}

std::string Catalogue::departmentName(msg::Department id) const {
  for (auto d : data().getDepartments()) {
    if (d.getId() == id) return d.getNameZh().cStr();
  }
  return "?";
}

}  // namespace mwp
