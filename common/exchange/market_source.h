// Where market data comes from, chosen by configuration (exchange.market_data): the built-in simulated
// market (no network) or Binance USD-M REST (or anything speaking its wire format, such as fake-binance).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exchange/market_data.h"

namespace tradingd::exchange {

enum class MarketSourceKind { simulated, binance };

// "simulated" / "binance", the words exchange.market_data accepts; std::nullopt for anything else.
std::optional<MarketSourceKind> parse_market_source(std::string_view name);

struct MarketSourceSettings {
    MarketSourceKind kind = MarketSourceKind::simulated;
    std::uint64_t simulated_seed = 1;                   // exchange.simulated_seed
    std::string rest_url = "https://fapi.binance.com";  // exchange.rest_url
    std::chrono::milliseconds request_timeout{10000};   // exchange.request_timeout_ms
    std::chrono::milliseconds connect_timeout{3000};
};

// The simulated market is thread-safe and runs on the system clock. The Binance source shares the process's
// weight budget (one per IP) with every other Binance client, and like every BinanceMarketData it owns one
// connection: open one per thread that reads market data.
std::unique_ptr<MarketData> open_market_data(const MarketSourceSettings& settings);

}  // namespace tradingd::exchange
