@0xc7dd2232efc6e2a7;
# The shape of common/catalogue.json: the 30 measures, the departments and the areas. The data
# file is the one place these facts live; code reads it through this schema and docs are
# generated from it (`mwpctl catalogue --markdown`).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::msg");
using Events = import "events.capnp";

struct Catalogue {
  departments @0 :List(DepartmentInfo);
  areas @1 :List(Area);
  measures @2 :List(Measure);
  # The Spring Festival return period (春运) of each year, as the State Council's announcement
  # gives it: the period `YYYY-spring` of indicators (措施一, 十二, 二十三, 二十六 work by it).
  springTravel @3 :List(SpringTravel);
}

struct SpringTravel {
  year @0 :UInt16;
  springFestival @1 :Text;  # 春节, YYYY-MM-DD
  from @2 :Text;            # the window's first day: 15 days before 春节
  to @3 :Text;              # its last day: the 40th
}

struct DepartmentInfo {
  id @0 :Events.Department;
  nameZh @1 :Text;
}

struct Area {
  code @0 :Text;   # GB/T 2260 for counties; our own code for parks (no GB/T 2260 code exists)
  nameZh @1 :Text;
  kind @2 :Kind;
  enum Kind { county @0; park @1; }
}

enum Service { employment @0; housing @1; education @2; health @3; rights @4; outreach @5; }

struct Measure {
  number @0 :UInt8;
  titleZh @1 :Text;
  titleEn @2 :Text;
  responsibleZh @3 :Text;
  # The policy's 〔责任单位〕 verbatim: lead before the semicolon, cooperating after.
  lead @4 :List(Events.Department);
  cooperating @5 :List(Events.Department);
  # Those of the 责任单位 that report events here. By default they may report this measure's kinds.
  service @6 :Service;
  kinds @7 :List(Text);          # the event kinds that count toward this measure
  indicators @8 :List(Indicator);
  activities @9 :List(Text);     # outreach only: the activities activityReported may name
  # The file, from the repository's root, whose rules decide this measure's indicators:
  # docs/measures.md links to it, and a unit test checks it exists and names the measure.
  rulesFile @10 :Text;
  # The areas that owe a report of this measure each quarter (reporting completeness: an event
  # that counts toward it, or a periodReported). Empty: every county and park.
  reportedBy @11 :List(Text);
}

struct Indicator {
  name @0 :Text;     # snake_case, the `indicator` label of mwp_measure_value
  titleZh @1 :Text;
  titleEn @2 :Text;
  target :union {  # in JSON: "target": {"atLeast": 100}; absent: none
    none @3 :Void;
    atLeast @4 :Float64;  # per year, city-wide, unless perArea
    atMost @5 :Float64;
  }
  perArea @6 :Bool;  # the target applies to each county and park, not to the city as a whole
  ratio @7 :Ratio;   # set for a ratio: computed from two counters the service keeps
  checklist @8 :Checklist;  # set for a per-area checklist: "each county and park has …"
  decidedIn @9 :Text;       # the file that decides it, where not its measure's rulesFile
  # Counts of 个人健康信息 (sensitive personal information, 个人信息保护法 art. 28): a small
  # count in an area tells one person's result, so the gateway shows values below its threshold
  # as suppressed to roles without health access.
  health @10 :Bool;
  # Each county's and park's own target, beside the city-wide `target` (措施一: fairs held in
  # each area regularly): the scorecard and MwpAreaBehindPace judge each area by it.
  areaTarget @11 :AreaTarget;
  # A coverage ratio (served ÷ should be served, MEASURES.md "Coverage"): the scorecard shows it
  # for every area beside the per-area targets.
  coverage @12 :Bool;
}

struct AreaTarget {
  atLeast @0 :Float64;  # 0: none
  per @1 :Per;
  enum Per {
    year @0;
    quarter @1;  # that many in each quarter: 4 times it for the year
  }
}

# A promise that each county and park has something, and the activity that ticks it. The outreach
# service applies every checklist the same way (services/outreach/outreach_rules.cpp).
struct Checklist {
  tickedBy @0 :Text;  # one of the measure's activities
  holds @1 :Holds;
  enum Holds {
    forTheYear @0;  # the indicator is the year's count of that activity (措施二十三: each year)
    onceDone @1;    # 1 from the day it is first done, every year after (措施二十九, 三十)
  }
}

struct Ratio {
  numerator @0 :Text;
  denominator @1 :Text;
}
