// The control commands: one handler each, registered in one sorted table; `help` is built from it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "control/protocol.h"

namespace tradingd::daemon {

class DaemonContext;

// What a handler returns: a result, or an expected failure with its fixed code.
struct Outcome {
    bool ok = true;
    nlohmann::json result;
    control::ErrorCode code = control::ErrorCode::internal;
    std::string message;

    static Outcome success(nlohmann::json r) { return {true, std::move(r), {}, {}}; }
    static Outcome failure(control::ErrorCode c, std::string m) { return {false, nullptr, c, std::move(m)}; }
};

// Thrown by Args for a missing or mistyped argument; the dispatcher turns it into 'invalid_args'.
class ArgError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Typed access to a request's "args" object.
class Args {
  public:
    explicit Args(const nlohmann::json& j) : j_(j) {}
    bool has(const char* name) const { return j_.contains(name) && !j_[name].is_null(); }
    std::int64_t integer(const char* name) const;
    std::optional<std::int64_t> opt_integer(const char* name) const;
    std::string string(const char* name) const;
    std::optional<std::string> opt_string(const char* name) const;
    bool boolean(const char* name, bool fallback) const;
    // Refuses arguments the command does not know, so typos fail loudly.
    void only(std::initializer_list<const char*> allowed) const;

  private:
    const nlohmann::json& j_;
};

using Handler = std::function<Outcome(const Args&, DaemonContext&)>;

struct CommandSpec {
    std::string_view name;       // e.g. "status", "bot.start"
    std::string_view synopsis;   // one line, shown by `help`
    std::string_view args_help;  // e.g. "{agent: int}" or ""
    Handler handler;
};

// Sorted by name.
std::span<const CommandSpec> command_table();

// Runs one request line through the table; never throws. Returns the reply line (no newline).
std::string dispatch(std::string_view line, DaemonContext& ctx);

}  // namespace tradingd::daemon
