@0xe764716272ca091c;
# Field rules that need no service state, written beside the fields they govern. The bus reads
# them through Cap'n Proto's schema API (common/event_rules.cpp), so one walk over any event
# enforces the whole catalogue and a new kind only needs its annotations.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mwp::rules");

annotation date @0xd2a3f0c4a8e1b701 (field) :Void;
# A calendar date, `YYYY-MM-DD`.

annotation time @0xd2a3f0c4a8e1b702 (field) :Void;
# An RFC 3339 time with an offset, e.g. `2026-03-01T09:30:00+08:00`.

annotation residentId @0xd2a3f0c4a8e1b703 (field) :Void;
# An 18-character resident ID with a valid GB 11643-1999 check character.

annotation creditCode @0xd2a3f0c4a8e1b704 (field) :Void;
# An employer's unified social credit code with a valid GB 32100-2015 check character.

annotation areaCode @0xd2a3f0c4a8e1b705 (field) :Void;
# Any GB/T 2260 county-level code in China: six digits with a real province prefix. Codes inside
# payloads may point anywhere (a 绵阳籍 worker in Shenzhen); the envelope's `area` is stricter.

annotation optional @0xd2a3f0c4a8e1b706 (field) :Void;
# May be absent (EVENTS.md marks these with `?`). Every other field must be present in JSON and,
# for text, non-empty; an optional enum may be absent (its `unspecified` zero value).

annotation maxLength @0xd2a3f0c4a8e1b707 (field) :UInt32;
# Longest text accepted, in characters (UTF-8 code points). Without it: kDefaultMaxTextLength.

annotation positive @0xd2a3f0c4a8e1b708 (field) :Void;
# A number that must be at least 1 (a fair with no attendees is not a fair).

annotation subject @0xd2a3f0c4a8e1b709 (field) :Void;
# The field that names the event's subject when it is not the worker: a case, a fair. Events with
# the same subject share a partition, so they are applied in the order the bus acknowledged them.

enum WorkerRule {
  none @0;       # the event is not about one person: workerId must be absent
  required @1;   # `W` in EVENTS.md
  optional @2;   # `W?` in EVENTS.md
}

annotation worker @0xd2a3f0c4a8e1b70a (struct) :WorkerRule;
# Whether the envelope's workerId is required, allowed or forbidden for this kind.

annotation derived @0xd2a3f0c4a8e1b70b (struct) :Void;
# Emitted by an mwp service as the consequence of another event, never by a department.

annotation atMost @0xd2a3f0c4a8e1b70c (field) :UInt32;
# The largest number accepted (days worked in a month: 31; a payday: 28).

annotation month @0xd2a3f0c4a8e1b70d (field) :Void;
# A calendar month, `YYYY-MM`.

annotation village @0xd2a3f0c4a8e1b70e (field) :Void;
# A village or community: a 12-digit 统计用区划代码 whose first six digits are a Mianyang county
# of the catalogue (checked with the catalogue, so a village of another city is refused).
