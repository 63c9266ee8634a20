// Open-time arithmetic for kline intervals, including calendar months.
#include "market_sim/intervals.h"

#include <ctime>
#include <string>
#include <utility>

namespace tradingd::market_sim {
namespace {

constexpr std::int64_t kMin = 60000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr std::int64_t kMondayOffset = 4 * kDay;  // 1970-01-01 was a Thursday

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return (a >= 0 ? a : a - b + 1) / b;
}

std::int64_t month_start(int year, int month0) {  // month0 may run past 11
    std::tm tm{};
    tm.tm_year = year - 1900 + month0 / 12;
    tm.tm_mon = month0 % 12;
    tm.tm_mday = 1;
    return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

std::optional<Interval> parse_interval(std::string_view name) {
    static const std::pair<const char*, Interval> kTable[] = {
        {"1m", {Interval::Fixed, kMin}},        {"3m", {Interval::Fixed, 3 * kMin}},
        {"5m", {Interval::Fixed, 5 * kMin}},    {"15m", {Interval::Fixed, 15 * kMin}},
        {"30m", {Interval::Fixed, 30 * kMin}},  {"1h", {Interval::Fixed, kHour}},
        {"2h", {Interval::Fixed, 2 * kHour}},   {"4h", {Interval::Fixed, 4 * kHour}},
        {"6h", {Interval::Fixed, 6 * kHour}},   {"8h", {Interval::Fixed, 8 * kHour}},
        {"12h", {Interval::Fixed, 12 * kHour}}, {"1d", {Interval::Fixed, kDay}},
        {"3d", {Interval::Fixed, 3 * kDay}},    {"1w", {Interval::Week, 7 * kDay}},
        {"1M", {Interval::Month, 0}},
    };
    for (const auto& [key, iv] : kTable) {
        if (name == key) return iv;
    }
    return std::nullopt;
}

std::int64_t interval_floor(const Interval& iv, std::int64_t ms) {
    switch (iv.kind) {
        case Interval::Fixed:
            return floor_div(ms, iv.ms) * iv.ms;
        case Interval::Week:
            return floor_div(ms - kMondayOffset, iv.ms) * iv.ms + kMondayOffset;
        case Interval::Month: {
            std::time_t t = ms / 1000;
            std::tm tm{};
            gmtime_r(&t, &tm);
            return month_start(tm.tm_year + 1900, tm.tm_mon);
        }
    }
    return ms;
}

std::int64_t interval_next(const Interval& iv, std::int64_t open_ms) {
    if (iv.kind != Interval::Month) return open_ms + iv.ms;
    std::time_t t = open_ms / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return month_start(tm.tm_year + 1900, tm.tm_mon + 1);
}

}  // namespace tradingd::market_sim
