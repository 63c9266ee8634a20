// The fake exchange's symbol list: ≥150 USDT perpetuals with Binance-like filters, plus a few symbols a
// correct client must filter out (quarterly contract, USDC-margined, settling, pending, closed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "market_sim/fixed.h"

namespace tradingd::market_sim {

struct SymbolSpec {
    std::string symbol, pair, base, quote;
    std::string contract_type = "PERPETUAL";  // or CURRENT_QUARTER
    std::string status = "TRADING";           // PENDING_TRADING, SETTLING, CLOSE
    std::string underlying = "COIN";
    std::int64_t onboard_ms = 0, delivery_ms = 0;
    double ref_price = 1;             // price level on the anchor date
    double annual_vol = 0.6;          // of the simulated walk
    double daily_quote_volume = 1e8;  // USDT per day, for kline volumes
    Fx tick = 0, min_price = 0, max_price = 0;
    Fx step = 0, min_qty = 0, max_qty = 0, market_max_qty = 0;
    Fx min_notional = 0;
    int price_precision = 2, quantity_precision = 3;
    std::string multiplier_up = "1.1500", multiplier_down = "0.8500";
    int max_leverage = 50;
    double notional_cap = 1e7;  // max position notional at leverage 1 (scaled down by leverage)
    std::uint64_t stream = 0;   // seeds this symbol's random numbers
};

class Universe {
  public:
    // n_trading: how many TRADING USDT perpetuals (at least 150 is what the scanner expects).
    Universe(std::uint64_t seed, int n_trading, std::int64_t now_ms);

    const SymbolSpec* find(std::string_view symbol) const;
    const std::vector<SymbolSpec>& all() const { return symbols_; }

  private:
    std::vector<SymbolSpec> symbols_;
    std::unordered_map<std::string, size_t> index_;
};

// Epoch of the simulation: klines exist from here on.
inline constexpr std::int64_t kHistoryOriginMs = 1577836800000;  // 2020-01-01T00:00:00Z
// Date at which every symbol trades at its reference price.
inline constexpr std::int64_t kAnchorMs = 1767225600000;  // 2026-01-01T00:00:00Z
// Binance reports this deliveryDate for perpetuals.
inline constexpr std::int64_t kPerpetualDeliveryMs = 4133404800000;

}  // namespace tradingd::market_sim
