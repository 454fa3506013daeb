// A pool of objects that are not thread-safe (Redis connections, publishers to the bus): each
// request takes one for as long as it needs it and gives it back. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace mwp::gateway {

template <typename T>
class Pool {
 public:
  // `make` builds another object when every one made so far is taken.
  explicit Pool(std::function<std::unique_ptr<T>()> make) : make_(std::move(make)) {}

  // One object, the caller's until the lease is destroyed (it must not outlive the pool).
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    ~Lease() { pool_.give(std::move(item_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    T& operator*() { return *item_; }
    T* operator->() { return item_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<T> item_;
  };

  Lease take() {
    std::unique_ptr<T> item;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        item = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    return Lease(*this, item ? std::move(item) : make_());
  }

 private:
  void give(std::unique_ptr<T> item) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(item));
  }

  std::function<std::unique_ptr<T>()> make_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<T>> idle_;
};

}  // namespace mwp::gateway
