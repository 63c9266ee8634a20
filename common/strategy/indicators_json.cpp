// Runs every indicator the strategy uses over a candle series and lays the results out for ops.
#include "strategy/indicators_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "strategy/indicators.h"

namespace tradingd::strategy {
namespace {

nlohmann::json to_json(const Series& s) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& v : s) a.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
    return a;
}

std::string utc_minute(std::int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string cell(const nlohmann::json& v, int decimals) {
    return v.is_number() ? fixed(v.get<double>(), decimals) : "-";
}

// Four significant digits at the coin's price level: 60000.12 for BTC, 0.00001234 for a meme coin.
int price_decimals(double price) {
    if (!(price > 0)) return 2;
    int d = 3 - static_cast<int>(std::floor(std::log10(price)));
    return std::clamp(d, 2, 12);
}

}  // namespace

nlohmann::json indicators_json(std::span<const Candle> candles) {
    std::vector<double> c = closes(candles);
    MacdSeries m = macd(c, 12, 26, 9);
    BandsSeries bb = bollinger(c, 20, 2.0);
    return {
        {"sma_20", to_json(sma(c, 20))},
        {"ema_20", to_json(ema(c, 20))},
        {"ema_50", to_json(ema(c, 50))},
        {"rsi_14", to_json(rsi(c, 14))},
        {"atr_14", to_json(atr(candles, 14))},
        {"macd_12_26_9",
         {{"line", to_json(m.line)}, {"signal", to_json(m.signal)}, {"hist", to_json(m.hist)}}},
        {"bb_20_2",
         {{"upper", to_json(bb.upper)}, {"middle", to_json(bb.middle)}, {"lower", to_json(bb.lower)}}},
    };
}

nlohmann::json indicators_json(std::string_view klines_json) {
    return indicators_json(parse_klines(klines_json));
}

IndicatorTable indicators_table(std::span<const Candle> candles, const nlohmann::json& ind,
                                std::size_t last_n) {
    IndicatorTable t;
    t.headers = {"OPEN TIME (UTC)", "CLOSE", "SMA20",    "EMA20",     "EMA50",   "RSI14", "ATR14", "MACD",
                 "SIGNAL",          "HIST",  "BB UPPER", "BB MIDDLE", "BB LOWER"};
    if (candles.empty()) return t;
    std::size_t first = candles.size() > last_n ? candles.size() - last_n : 0;
    int d = price_decimals(candles.back().close);
    const auto& macd = ind.at("macd_12_26_9");
    const auto& bb = ind.at("bb_20_2");
    for (std::size_t i = first; i < candles.size(); ++i) {
        t.rows.push_back(
            {utc_minute(candles[i].open_time_ms), fixed(candles[i].close, d), cell(ind.at("sma_20")[i], d),
             cell(ind.at("ema_20")[i], d), cell(ind.at("ema_50")[i], d), cell(ind.at("rsi_14")[i], 2),
             cell(ind.at("atr_14")[i], d), cell(macd.at("line")[i], d), cell(macd.at("signal")[i], d),
             cell(macd.at("hist")[i], d), cell(bb.at("upper")[i], d), cell(bb.at("middle")[i], d),
             cell(bb.at("lower")[i], d)});
    }
    return t;
}

}  // namespace tradingd::strategy
