// SimulatedMarket: the built-in market of the embedded default, with no network at all. It serves the same
// symbols, filters and prices as fake-binance started with the same seed (both read common/market_sim), and
// its candles are a pure function of (seed, symbol, time): the same seed gives the same klines for any past
// range, whatever was asked before, which is what backtests and reproducible paper runs rely on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exchange/market_data.h"

namespace tradingd::exchange {

// Milliseconds since the Unix epoch from the system clock.
TimeMs system_time_ms();

class SimulatedMarket final : public MarketData {
  public:
    // The number of TRADING USDT perpetuals fake-binance lists by default (its --symbols).
    static constexpr int kDefaultSymbols = 160;

    // `clock` says what "now" is: candles after it do not exist yet and the last one is partial. A
    // backtest or test passes a fixed or stepped clock. Thread-safe: one instance may serve many threads.
    explicit SimulatedMarket(std::uint64_t seed, std::function<TimeMs()> clock = system_time_ms,
                             int trading_symbols = kDefaultSymbols);
    ~SimulatedMarket() override;
    SimulatedMarket(const SimulatedMarket&) = delete;
    SimulatedMarket& operator=(const SimulatedMarket&) = delete;

    Result<std::vector<SymbolInfo>> exchange_info() override;
    // Binance's selection rules: forward from start_time, else backward from end_time (or now); limit
    // clamped to 1..1500; nothing before the symbol's listing date. Prices on the symbol's tick.
    Result<std::vector<Kline>> klines(const KlineQuery& query) override;
    Result<std::vector<Ticker24h>> tickers_24h() override;
    Result<std::vector<MarkPrice>> mark_prices() override;
    Result<MarkPrice> mark_price(const std::string& symbol) override;
    Result<TimeMs> server_time() override;

  private:
    struct State;
    std::unique_ptr<const State> state_;
    std::function<TimeMs()> clock_;
};

}  // namespace tradingd::exchange
