// Guarded<T>: the mutex lives with the data it protects; the only way in is through a lock.
#pragma once

#include <mutex>
#include <utility>

namespace tradingd {

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

}  // namespace tradingd
