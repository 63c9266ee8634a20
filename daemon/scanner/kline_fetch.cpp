// The scanner's fetch pool: threads take the next symbol from a shared counter, so a slow symbol never
// holds up the others' queue, and each result lands in its own slot (no lock on the hot path).
#include "scanner/kline_fetch.h"

#include <algorithm>
#include <optional>
#include <thread>

namespace tradingd::daemon {

KlineFetch fetch_klines(const std::vector<std::string>& symbols, exchange::Interval interval, int limit,
                        const std::vector<std::shared_ptr<exchange::MarketData>>& sources,
                        const std::atomic<bool>& stop) {
    struct Slot {
        bool attempted = false;
        std::optional<std::vector<strategy::Candle>> candles;
        std::string error;
    };
    std::vector<Slot> slots(symbols.size());
    std::atomic<std::size_t> next{0};
    auto work = [&](exchange::MarketData& source) {
        for (std::size_t i = next++; i < symbols.size(); i = next++) {
            if (stop.load()) return;
            Slot& slot = slots[i];
            slot.attempted = true;
            try {
                auto r = source.klines({symbols[i], interval, limit, std::nullopt, std::nullopt});
                if (!r) {
                    slot.error = r.error().describe();
                    continue;
                }
                std::vector<strategy::Candle> series;
                series.reserve(r->size());
                for (const auto& k : *r) series.push_back(strategy::to_candle(k));
                slot.candles = std::move(series);
            } catch (const std::exception& e) {
                slot.error = e.what();
            }
        }
    };
    const std::size_t threads = std::min(sources.size(), symbols.size());
    if (threads <= 1 && !sources.empty()) {
        work(*sources.front());
    } else {
        std::vector<std::jthread> pool;
        pool.reserve(threads);
        for (std::size_t t = 0; t < threads; ++t) pool.emplace_back([&, t] { work(*sources[t]); });
    }

    KlineFetch out;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        Slot& slot = slots[i];
        if (!slot.attempted) {
            out.aborted = true;
            continue;
        }
        ++out.requests;
        if (slot.candles)
            out.candles.emplace(symbols[i], std::move(*slot.candles));
        else
            out.failures.emplace_back(symbols[i], std::move(slot.error));
    }
    return out;
}

}  // namespace tradingd::daemon
