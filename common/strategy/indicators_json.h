// The strategy's indicators as one JSON document (what `tradingctl strategy indicators --json` prints, so
// ops can check the numbers by hand) and as a human table of the latest candles.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strategy/candle.h"

namespace tradingd::strategy {

// {"sma_20":[…],"ema_20":[…],"ema_50":[…],"rsi_14":[…],"atr_14":[…],
//  "macd_12_26_9":{"line":[…],"signal":[…],"hist":[…]},"bb_20_2":{"upper":[…],"middle":[…],"lower":[…]}}
// Every array has one entry per candle, null during warm-up (see indicators.h). Exactly these keys: the
// volume ratio is left out until the documented shape grows a key for it.
nlohmann::json indicators_json(std::span<const Candle> candles);

// Parses Binance klines first; malformed input throws KlinesError naming the row and field.
nlohmann::json indicators_json(std::string_view klines_json);

struct IndicatorTable {
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;
};

// The last `last_n` candles: open time (UTC), close and each indicator, "-" during warm-up. Prices are shown
// with enough decimals for the coin's price level (2 for BTC, 8+ for sub-cent coins). `indicators` is what
// indicators_json(candles) returned.
IndicatorTable indicators_table(std::span<const Candle> candles, const nlohmann::json& indicators,
                                std::size_t last_n = 20);

}  // namespace tradingd::strategy
