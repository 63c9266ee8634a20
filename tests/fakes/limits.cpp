// REQUEST_WEIGHT per IP per minute with 429 then escalating 418 bans, and ORDERS limits per account,
// as Binance's general-info page describes them.
#include <algorithm>

#include "api.h"
#include "pipeline.h"

namespace fake {
namespace {

constexpr std::int64_t kMinuteMs = 60000;
constexpr std::int64_t kMaxBanMs = 3LL * 24 * 3600 * 1000;

IpUsage& usage_for(World& w, const std::string& ip, std::int64_t now) {
    IpUsage& u = w.ip_usage[ip];
    std::int64_t window = now / kMinuteMs;
    if (u.window != window) {
        u.window = window;
        u.used = 0;
    }
    return u;
}

int seconds_until(std::int64_t from, std::int64_t to) {
    return static_cast<int>(std::max<std::int64_t>(1, (to - from + 999) / 1000));
}

[[noreturn]] void banned(const IpUsage& u, std::int64_t now) {
    throw ApiError(418, -1003,
                   "Way too many requests; IP banned until " + std::to_string(u.banned_until) +
                       ". Please use the websocket for live updates to avoid bans.",
                   seconds_until(now, u.banned_until));
}

}  // namespace

void check_ban(World& w, const std::string& ip, std::int64_t now) {
    IpUsage& u = usage_for(w, ip, now);
    if (u.banned_until > now) banned(u, now);
}

int used_weight(World& w, const std::string& ip, std::int64_t now) {
    return usage_for(w, ip, now).used;
}

int charge_weight(World& w, const std::string& ip, int weight, std::int64_t now) {
    IpUsage& u = usage_for(w, ip, now);
    if (u.banned_until > now) banned(u, now);
    u.used += weight;
    if (u.used <= w.limits.weight_budget) return u.used;
    if (u.last_strike_window < u.window - 1) u.strikes = 0;  // a quiet minute forgives earlier 429s
    ++u.strikes;
    u.last_strike_window = u.window;
    if (u.strikes > w.limits.ban_after) {
        std::int64_t ban = w.limits.ban_ms;
        for (int i = 0; i < u.bans && ban < kMaxBanMs; ++i) ban *= 2;
        u.banned_until = now + std::min(ban, kMaxBanMs);
        ++u.bans;
        u.strikes = 0;
        banned(u, now);
    }
    throw ApiError(
        429, -1003,
        "Too many requests; current limit is " + std::to_string(w.limits.weight_budget) +
            " requests per minute. Please use the websocket for live updates to avoid polling the API.",
        seconds_until(now, (u.window + 1) * kMinuteMs));
}

OrderCounts order_counts(Account& acct, std::int64_t now) {
    while (!acct.order_times.empty() && acct.order_times.front() <= now - kMinuteMs)
        acct.order_times.pop_front();
    OrderCounts c;
    c.minute = static_cast<int>(acct.order_times.size());
    for (std::int64_t t : acct.order_times) c.ten_seconds += t > now - 10000;
    return c;
}

OrderCounts count_order(World& w, Account& acct, std::int64_t now) {
    OrderCounts c = order_counts(acct, now);
    if (c.ten_seconds >= w.limits.orders_10s)
        reject(-1015,
               "Too many new orders; current limit is " + std::to_string(w.limits.orders_10s) +
                   " orders per TEN_SECONDS.",
               429);
    if (c.minute >= w.limits.orders_1m)
        reject(-1015,
               "Too many new orders; current limit is " + std::to_string(w.limits.orders_1m) +
                   " orders per MINUTE.",
               429);
    acct.order_times.push_back(now);
    return order_counts(acct, now);
}

}  // namespace fake
