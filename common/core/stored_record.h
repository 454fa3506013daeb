// A service's record of one subject (a worker, a case) kept as a Cap'n Proto struct under one
// state key: loaded at the start of apply(), changed through its builder, saved in canonical form
// (which also drops what list growth left unreachable). Not thread-safe; lives inside one apply().
#pragma once

#include <capnp/message.h>

#include <optional>
#include <string>

#include "frames.h"
#include "same_named_fields.h"
#include "state.h"

namespace mwp {

template <typename T>
class StoredRecord {
 public:
  // `key` is bound, not moved, while the arguments are evaluated: get() reads it intact.
  StoredRecord(StateTx& state, std::string key)
      : StoredRecord(state, std::move(key), state.get(key)) {}

  typename T::Builder get() { return message_.getRoot<T>(); }
  bool existed() const { return existed_; }
  capnp::Orphanage orphanage() { return message_.getOrphanage(); }
  void save() { state_.put(key_, canonicalFrame(message_.getRoot<T>().asReader())); }

  // Appends one element to a list field of the record and returns it. Cap'n Proto lists have a
  // fixed size, so the list is copied into one a place longer (save() drops the old one).
  //   auto t = record.append(&msg::EmploymentRecord::Builder::getTrainings,
  //                          &msg::EmploymentRecord::Builder::adoptTrainings);
  template <typename List>
  auto append(typename List::Builder (T::Builder::*list)(),
              void (T::Builder::*adopt)(capnp::Orphan<List>&&)) {
    return insert(list, adopt, (get().*list)().size());
  }

  // The same, the new element at index `at` (at most the list's size), the later ones after it.
  template <typename List>
  auto insert(typename List::Builder (T::Builder::*list)(),
              void (T::Builder::*adopt)(capnp::Orphan<List>&&), unsigned at) {
    auto root = get();
    auto current = (root.*list)();
    unsigned size = current.size();
    auto grown = message_.getOrphanage().template newOrphan<List>(size + 1);
    auto elements = grown.get();
    for (unsigned i = 0; i < size; ++i)
      elements.setWithCaveats(i < at ? i : i + 1, current[i].asReader());
    (root.*adopt)(kj::mv(grown));
    return elements[at];
  }

 private:
  StoredRecord(StateTx& state, std::string&& key, std::optional<std::string> stored)
      : state_(state),
        key_(std::move(key)),
        // One first segment with room for the record and some growth: the default (8 KiB,
        // zeroed) costs more than reading a record of a few hundred bytes.
        message_(static_cast<unsigned>((stored ? stored->size() / sizeof(capnp::word) : 0) + 64)),
        existed_(stored.has_value()) {
    if (stored) {
      FrameReader reader(*stored);
      message_.setRoot(reader.root<T>());
    } else {
      message_.initRoot<T>();
    }
  }

  StateTx& state_;
  std::string key_;
  capnp::MallocMessageBuilder message_;
  bool existed_;
};

// Keeps an event's payload under `key` as a new element of one of the record's lists — the
// fields the two share (same_named_fields.h) — and saves the record:
//   appendEntry(state, "worker:" + id, e, &W::getTrainings, &W::adoptTrainings);
// where W is the record's Builder. A rule that keeps more on the element uses append().
template <typename Root, typename List, typename Payload>
void appendEntry(StateTx& state, std::string key, Payload payload,
                 typename List::Builder (Root::*list)(),
                 void (Root::*adopt)(capnp::Orphan<List>&&)) {
  StoredRecord<capnp::FromBuilder<Root>> record(state, std::move(key));
  copySameNamedFields(payload, record.append(list, adopt));
  record.save();
}

}  // namespace mwp
