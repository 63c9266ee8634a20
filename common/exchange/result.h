// Result<T>: what every exchange call returns, the value or a typed Error. Expected failures (a rejected
// order, a rate limit, a timeout) are values the caller must look at, not exceptions.
#pragma once

#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

#include "exchange/errors.h"

namespace tradingd::exchange {

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    // A success must carry its value; an Error saying "ok" here is a bug in the caller.
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {
        if (std::get<1>(state_).outcome == Outcome::ok)
            throw std::logic_error("Result built from an ok Error");
    }

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Reading the value of a failed call is a bug, so it throws rather than returning garbage.
    T& value() & { return std::get<0>(checked()); }
    const T& value() const& { return std::get<0>(checked()); }
    T&& value() && { return std::get<0>(std::move(checked())); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const {
        if (ok()) throw std::logic_error("Result::error() on a success");
        return std::get<1>(state_);
    }
    Outcome outcome() const { return ok() ? Outcome::ok : std::get<1>(state_).outcome; }

  private:
    std::variant<T, Error>& checked() {
        if (!ok()) throw std::logic_error("Result::value() on a failure: " + std::get<1>(state_).describe());
        return state_;
    }
    const std::variant<T, Error>& checked() const {
        if (!ok()) throw std::logic_error("Result::value() on a failure: " + std::get<1>(state_).describe());
        return state_;
    }
    std::variant<T, Error> state_;
};

// For calls whose success carries nothing (set_margin_type).
template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {
        if (error_->outcome == Outcome::ok) throw std::logic_error("Result built from an ok Error");
    }

    bool ok() const { return !error_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        if (ok()) throw std::logic_error("Result::error() on a success");
        return *error_;
    }
    Outcome outcome() const { return ok() ? Outcome::ok : error_->outcome; }

  private:
    std::optional<Error> error_;
};

}  // namespace tradingd::exchange
