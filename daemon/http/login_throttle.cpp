// Sliding-window counting of failed logins.
#include "http/login_throttle.h"

#include <algorithm>

namespace tradingd::daemon::http {
namespace {

constexpr std::size_t kMaxTracked = 100000;  // keys per map; beyond that the emptiest are dropped first

std::int64_t wait_for(std::map<std::string, std::deque<LoginThrottle::Clock::time_point>>& failures,
                      const std::string& key, std::int64_t max, std::chrono::seconds window,
                      LoginThrottle::Clock::time_point now) {
    auto it = failures.find(key);
    if (it == failures.end()) return 0;
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= window) times.pop_front();
    if (times.empty()) {
        failures.erase(it);
        return 0;
    }
    if (static_cast<std::int64_t>(times.size()) < max) return 0;
    // Allowed again when enough of the oldest failures have left the window.
    auto frees_at = times[times.size() - static_cast<std::size_t>(max)] + window;
    return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(frees_at - now).count());
}

void add(std::map<std::string, std::deque<LoginThrottle::Clock::time_point>>& failures,
         const std::string& key, LoginThrottle::Clock::time_point now) {
    if (failures.size() >= kMaxTracked && !failures.count(key)) {
        auto smallest = std::min_element(failures.begin(), failures.end(), [](const auto& a, const auto& b) {
            return a.second.size() < b.second.size();
        });
        failures.erase(smallest);
    }
    auto& times = failures[key];
    times.push_back(now);
    if (times.size() > 1000) times.pop_front();
}

}  // namespace

std::int64_t LoginThrottle::retry_after(const std::string& account, const std::string& ip,
                                        const ThrottleLimits& limits, Clock::time_point now) {
    return state_.with([&](State& s) {
        return std::max(wait_for(s.by_account, account, limits.per_account, limits.window, now),
                        wait_for(s.by_ip, ip, limits.per_ip, limits.window, now));
    });
}

void LoginThrottle::record_failure(const std::string& account, const std::string& ip, Clock::time_point now) {
    state_.with([&](State& s) {
        add(s.by_account, account, now);
        add(s.by_ip, ip, now);
    });
}

void LoginThrottle::record_success(const std::string& account) {
    state_.with([&](State& s) { s.by_account.erase(account); });
}

}  // namespace tradingd::daemon::http
