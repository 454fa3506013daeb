// The measure catalogue: the 30 measures, the departments and the areas, read from
// common/catalogue.json (built into the binary). Immutable after construction; thread-safe.
#pragma once

#include <capnp/message.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mwp/messages/catalogue.capnp.h"
#include "mwp/messages/events.capnp.h"

namespace mwp {

// Twelve digits, the form of a 统计用区划代码 of a village or community.
bool isVillageCodeForm(std::string_view code);

class Catalogue {
 public:
  // The catalogue compiled into this binary. Throws if the data file does not fit its schema
  // (a build defect, caught by the catalogue's unit test).
  static const Catalogue& builtIn();

  // Parses a catalogue in the JSON form of messages/catalogue.capnp.
  explicit Catalogue(std::string_view json);

  msg::Catalogue::Reader data() const;

  // 1..30, or an empty reader's worth of nothing: check `hasMeasure` first.
  bool hasMeasure(int number) const;
  msg::Measure::Reader measure(int number) const;

  // A Mianyang county (GB/T 2260) or a park of the area table: what an envelope's `area` may be.
  bool isReportingArea(std::string_view code) const;
  std::vector<std::string> reportingAreas() const;
  // A village or community of Mianyang: a 12-digit 统计用区划代码 whose first six digits are one
  // of the catalogue's counties.
  bool isVillage(std::string_view code) const;

  // Whether `activity` is one measure `number` lists for activityReported.
  bool isListedActivity(int number, std::string_view activity) const;

  // The default rule of who may report what: the lead and cooperating departments of each
  // measure that counts the kind. `namedMeasure` is the measure an activityReported or a
  // periodReported names (ignored for other kinds); a periodReported may also come from the area
  // government. Derived kinds are only for mwpService, and mwpService only for them.
  bool mayReport(msg::Department source, std::string_view kind, int namedMeasure) const;
  // The same for a kind given by its place in the envelope's union, as the bus asks it of every
  // event: a lookup in an array instead of two searches by name (2.5 % of the bus's CPU).
  bool mayReport(msg::Department source, msg::Envelope::Which kind, int namedMeasure) const;

  // The kinds that count toward at least one measure, and periodReported (toward the one it names).
  const std::set<std::string, std::less<>>& kinds() const { return kinds_; }

  std::string departmentName(msg::Department id) const;

 private:
  std::unique_ptr<capnp::MallocMessageBuilder> message_;
  std::map<int, msg::Measure::Reader> measures_;
  std::set<std::string, std::less<>> areas_;
  std::set<std::string, std::less<>> kinds_;
  // kind (or "activityReported:<measure>", "periodReported:<measure>") → who may report it
  std::map<std::string, std::set<msg::Department>, std::less<>> reporters_;
  // The same by the kind's union discriminant, the departments as bits (1 << Department).
  struct KindReporters {
    std::string kind;
    bool derived = false;
    bool byNamedMeasure = false;  // activityReported, periodReported: reporters_ by measure
    uint64_t departments = 0;
  };
  std::vector<KindReporters> byKind_;
};

}  // namespace mwp
