// Failed-login rate limits per account and per client address, kept in memory: a restart forgets them,
// which costs an attacker nothing they couldn't get by waiting one window.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "util/guarded.h"

namespace tradingd::daemon::http {

struct ThrottleLimits {
    std::int64_t per_account = 5;
    std::int64_t per_ip = 20;
    std::chrono::seconds window{900};
};

class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;

    // Seconds until another attempt is allowed for this account and address; 0 when allowed now.
    std::int64_t retry_after(const std::string& account, const std::string& ip, const ThrottleLimits& limits,
                             Clock::time_point now = Clock::now());
    void record_failure(const std::string& account, const std::string& ip,
                        Clock::time_point now = Clock::now());
    // A successful login clears the account's failures (not the address's: one good password must not
    // reset the count of a client guessing many accounts).
    void record_success(const std::string& account);

  private:
    using Failures = std::map<std::string, std::deque<Clock::time_point>>;
    struct State {
        Failures by_account;
        Failures by_ip;
    };
    Guarded<State> state_;
};

}  // namespace tradingd::daemon::http
