// Guarded<T>: the fake exchange's state and its mutex travel together; the only way in is through a lock.
// (A copy of the pattern in common/util, because the fake must not link the project's own library.)
#pragma once

#include <mutex>
#include <utility>

namespace fake {

template <typename T>
class Guarded {
  public:
    template <typename... Args>
    explicit Guarded(Args&&... args) : value_(std::forward<Args>(args)...) {}

    template <typename F>
    decltype(auto) with(F&& f) {
        std::lock_guard lock(mutex_);
        return std::forward<F>(f)(value_);
    }
    template <typename F>
    decltype(auto) with(F&& f) const {
        std::lock_guard lock(mutex_);
        return std::forward<F>(f)(value_);
    }

  private:
    mutable std::mutex mutex_;
    T value_;
};

}  // namespace fake
