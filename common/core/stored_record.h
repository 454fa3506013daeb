// A service's record of one subject (a worker, a case) kept as a Cap'n Proto struct under one
// state key: loaded at the start of apply(), changed through its builder, saved in canonical form
// (which also drops what list growth left unreachable). Not thread-safe; lives inside one apply().
#pragma once

#include <capnp/message.h>

#include <optional>
#include <string>

#include "frames.h"
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

// Appends one element to a list field and returns it: Cap'n Proto lists have a fixed size, so
// the list is copied into one a place longer.
//   auto t = appendTo<msg::Training>(record.orphanage(), w.getTrainings(),
//                                    [&](auto o) { w.adoptTrainings(kj::mv(o)); });
template <typename T, typename Adopt>
typename T::Builder appendTo(capnp::Orphanage orphanage, typename capnp::List<T>::Builder current,
                             Adopt adopt) {
  auto grown = orphanage.newOrphan<capnp::List<T>>(current.size() + 1);
  auto list = grown.get();
  for (unsigned i = 0; i < current.size(); ++i) list.setWithCaveats(i, current[i].asReader());
  adopt(kj::mv(grown));
  return list[current.size()];
}

}  // namespace mwp
