// Open times of the candles a klines request selects.
#include "market_sim/kline_window.h"

#include <algorithm>

namespace tradingd::market_sim {

std::vector<std::int64_t> kline_opens(const Interval& iv, const KlineWindow& window,
                                      std::int64_t first_open_ms, std::int64_t now_ms) {
    std::int64_t last_allowed = std::min(window.end_ms.value_or(now_ms), now_ms);
    std::vector<std::int64_t> opens;
    auto full = [&] { return static_cast<int>(opens.size()) >= window.limit; };
    if (window.start_ms) {  // forward from the first candle opening at or after startTime
        std::int64_t t = interval_floor(iv, *window.start_ms);
        if (t < *window.start_ms) t = interval_next(iv, t);
        for (t = std::max(t, first_open_ms); t <= last_allowed && !full(); t = interval_next(iv, t))
            opens.push_back(t);
    } else {  // backward from the candle holding endTime (or now)
        for (std::int64_t t = interval_floor(iv, last_allowed); t >= first_open_ms && !full();) {
            opens.push_back(t);
            t = interval_floor(iv, t - 1);
        }
        std::reverse(opens.begin(), opens.end());
    }
    return opens;
}

}  // namespace tradingd::market_sim
