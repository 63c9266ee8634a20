// Paged reads from a MarketData and the store. A source's failure is an error for the whole backtest: a run
// silently missing a symbol would publish figures for a different universe than it claims.
#include "backtest/candle_source.h"

#include <algorithm>
#include <stdexcept>

#include "backtest/kline_store.h"
#include "strategy/scan.h"
#include "strategy/universe.h"

namespace tradingd::backtest {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool eligible(const exchange::SymbolInfo& s) {
    return s.trading() && s.contract_type == "PERPETUAL" && s.quote_asset == "USDT";
}

exchange::SymbolInfo permissive(const std::string& symbol) {
    exchange::SymbolInfo s;
    s.symbol = symbol;
    s.status = "TRADING";
    s.contract_type = "PERPETUAL";
    s.base_asset = symbol.ends_with("USDT") ? symbol.substr(0, symbol.size() - 4) : symbol;
    s.quote_asset = s.margin_asset = "USDT";
    s.tick_size = money::Decimal::parse("0.00000001");
    s.step_size = s.min_qty = money::Decimal::parse("0.001");
    s.min_notional = money::Decimal::from_int(5);
    return s;
}

}  // namespace

exchange::TimeMs warmup_start(const BacktestConfig& config) {
    const std::int64_t iv = interval_ms(config.params.interval);
    const std::int64_t from = config.from_ms - config.from_ms % iv;
    return std::min(from - config.params.lookback_candles * iv, from - kDayMs);
}

std::vector<strategy::Candle> fetch_candles(exchange::MarketData& market, const std::string& symbol,
                                            exchange::Interval interval, exchange::TimeMs from_ms,
                                            exchange::TimeMs to_ms) {
    std::vector<strategy::Candle> out;
    exchange::TimeMs start = from_ms;
    while (start < to_ms) {
        exchange::KlineQuery q{symbol, interval, 1500, start, to_ms - 1};
        auto page = market.klines(q);
        if (!page) throw std::runtime_error("klines of " + symbol + ": " + page.error().message);
        if (page->empty()) break;
        for (const auto& k : *page)
            if (k.open_time >= start && k.open_time < to_ms) out.push_back(strategy::to_candle(k));
        start = page->back().open_time + 1;
        if (page->size() < 1500) break;
    }
    return out;
}

// With no symbols named, only the universe's members are loaded in full: every eligible symbol is ranked
// first by its candles of the 24 h before from_ms (the engine ranks the same way, so it picks the same set).
static std::vector<std::string> universe_symbols(exchange::MarketData& market, const BacktestConfig& config,
                                                 const std::vector<exchange::SymbolInfo>& infos) {
    const std::int64_t from = config.from_ms - config.from_ms % interval_ms(config.params.interval);
    std::vector<exchange::Ticker24h> tickers;
    for (const auto& s : infos) {
        if (!eligible(s)) continue;
        exchange::Ticker24h t;
        t.symbol = s.symbol;
        for (const auto& c : fetch_candles(market, s.symbol, config.params.interval, from - kDayMs, from))
            t.quote_volume += c.quote_volume;
        tickers.push_back(t);
    }
    std::vector<std::string> out;
    for (const auto& m : strategy::select_universe(infos, tickers, config.params).members)
        out.push_back(m.info.symbol);
    return out;
}

std::vector<SymbolHistory> load_from_market(exchange::MarketData& market, const BacktestConfig& config,
                                            const std::vector<std::string>& symbols,
                                            const std::atomic<bool>* cancel) {
    auto info = market.exchange_info();
    if (!info) throw std::runtime_error("exchange info: " + info.error().message);
    const auto names = symbols.empty() ? universe_symbols(market, config, *info) : symbols;
    std::vector<SymbolHistory> out;
    for (const auto& name : names) {
        if (cancel && cancel->load()) throw Cancelled();
        const auto it =
            std::find_if(info->begin(), info->end(), [&](const auto& s) { return s.symbol == name; });
        if (it == info->end())
            throw std::runtime_error("symbol " + name + " is not listed by the market data source");
        out.push_back(
            {*it, fetch_candles(market, name, config.params.interval, warmup_start(config), config.to_ms)});
    }
    return out;
}

std::vector<SymbolHistory> load_from_store(store::Connection& conn, const BacktestConfig& config,
                                           const std::vector<std::string>& symbols) {
    const auto names = symbols.empty() ? stored_symbols(conn, config.params.interval) : symbols;
    std::vector<SymbolHistory> out;
    for (const auto& name : names) {
        auto candles = stored_candles(conn, name, config.params.interval, warmup_start(config), config.to_ms);
        if (!candles.empty()) out.push_back({permissive(name), std::move(candles)});
    }
    return out;
}

}  // namespace tradingd::backtest
