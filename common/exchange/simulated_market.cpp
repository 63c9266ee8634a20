// The built-in simulated market: common/market_sim's universe and price walk behind the MarketData interface,
// shaped the way fake-binance shapes them on the wire (tick-rounded candle prices, 8-decimal mark prices).
#include "exchange/simulated_market.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "market_sim/kline_window.h"
#include "market_sim/price_sim.h"
#include "market_sim/universe.h"

namespace tradingd::exchange {
namespace sim = market_sim;
namespace {

constexpr TimeMs kDayMs = 86400000;
constexpr TimeMs kFundingPeriodMs = 8 * 3600000;

Decimal from_fx(sim::Fx v) {
    return Decimal::parse(sim::fx_str(v));
}

// Candle prices are on the tick, as Binance prints them.
double on_tick(const sim::SymbolSpec& s, double price) {
    return sim::fx_to_double(sim::fx_from_double(price, s.tick, sim::Round::Nearest));
}

double rounded(double v, int decimals) {
    double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

Decimal money8(double v) {
    return Decimal::from_double_rounded(v, 8, money::Rounding::half_even);
}

Error invalid_symbol() {
    return make_error(400, -1121, "Invalid symbol.");
}

SymbolInfo symbol_info(const sim::SymbolSpec& s) {
    SymbolInfo i;
    i.symbol = s.symbol;
    i.status = s.status;
    i.contract_type = s.contract_type;
    i.base_asset = s.base;
    i.quote_asset = s.quote;
    i.margin_asset = s.quote;
    i.price_precision = s.price_precision;
    i.quantity_precision = s.quantity_precision;
    i.tick_size = from_fx(s.tick);
    i.min_price = from_fx(s.min_price);
    i.max_price = from_fx(s.max_price);
    i.step_size = i.market_step_size = from_fx(s.step);
    i.min_qty = i.market_min_qty = from_fx(s.min_qty);
    i.max_qty = from_fx(s.max_qty);
    i.market_max_qty = from_fx(s.market_max_qty);
    i.min_notional = from_fx(s.min_notional);
    i.max_num_orders = 200;  // as fake-binance lists; MAX_NUM_ALGO_ORDERS no longer exists
    return i;
}

Kline kline(const sim::SymbolSpec& s, const sim::Candle& c) {
    Kline k;
    k.open_time = c.open_ms;
    k.close_time = c.close_ms;
    k.open = on_tick(s, c.open);
    k.high = on_tick(s, c.high);
    k.low = on_tick(s, c.low);
    k.close = on_tick(s, c.close);
    k.volume = rounded(c.volume, s.quantity_precision);
    k.quote_volume = rounded(c.quote_volume, 4);
    k.trades = c.trades;
    return k;
}

}  // namespace

struct SimulatedMarket::State {
    State(std::uint64_t seed, int n, TimeMs now) : universe(seed, n, now), prices(seed) {}
    sim::Universe universe;
    sim::PriceSim prices;

    MarkPrice mark(const sim::SymbolSpec& s, TimeMs now) const {
        MarkPrice m;
        m.symbol = s.symbol;
        m.mark_price = money8(prices.mark_price(s, now));
        m.index_price = money8(prices.index_price(s, now));
        m.funding_rate = money8(prices.funding_rate(s, now));
        m.next_funding_time = (now / kFundingPeriodMs + 1) * kFundingPeriodMs;
        m.time = now;
        return m;
    }
};

TimeMs system_time_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SimulatedMarket::SimulatedMarket(std::uint64_t seed, std::function<TimeMs()> clock, int trading_symbols)
    : state_(std::make_unique<const State>(seed, trading_symbols, clock())), clock_(std::move(clock)) {}

SimulatedMarket::~SimulatedMarket() = default;

Result<std::vector<SymbolInfo>> SimulatedMarket::exchange_info() {
    std::vector<SymbolInfo> out;
    out.reserve(state_->universe.all().size());
    for (const sim::SymbolSpec& s : state_->universe.all()) out.push_back(symbol_info(s));
    return out;
}

Result<std::vector<Kline>> SimulatedMarket::klines(const KlineQuery& query) {
    const sim::SymbolSpec* s = state_->universe.find(query.symbol);
    if (!s) return invalid_symbol();
    if (query.start_time && query.end_time && *query.start_time > *query.end_time)
        return make_error(400, -1023, "Start time is greater than end time.");
    auto iv = sim::parse_interval(interval_name(query.interval));
    if (!iv) return make_error(400, -1120, "Invalid interval.");
    TimeMs now = clock_();
    TimeMs first_open = sim::interval_floor(*iv, std::max(s->onboard_ms, sim::kHistoryOriginMs));
    sim::KlineWindow window{query.start_time, query.end_time, std::clamp(query.limit, 1, 1500)};
    std::vector<Kline> out;
    for (TimeMs open : sim::kline_opens(*iv, window, first_open, now)) {
        sim::Candle c = state_->prices.aggregate(*s, open, sim::interval_next(*iv, open), now);
        if (!c.empty) out.push_back(kline(*s, c));
    }
    return out;
}

Result<std::vector<Ticker24h>> SimulatedMarket::tickers_24h() {
    TimeMs now = clock_();
    std::vector<Ticker24h> out;
    for (const sim::SymbolSpec& s : state_->universe.all()) {
        if (s.status != "TRADING") continue;  // as Binance lists them
        sim::Candle c = state_->prices.aggregate(s, now - kDayMs, now + 1, now);
        Ticker24h t;
        t.symbol = s.symbol;
        double last = state_->prices.last_price(s, now);
        t.last_price = on_tick(s, last);
        t.price_change_percent = rounded(c.open > 0 ? (last - c.open) / c.open * 100 : 0, 3);
        t.high_price = std::max(on_tick(s, c.high), t.last_price);
        t.low_price = std::min(on_tick(s, c.low), t.last_price);
        t.volume = rounded(c.volume, s.quantity_precision);
        t.quote_volume = rounded(c.quote_volume, 2);
        t.open_time = now - kDayMs;
        t.close_time = now;
        t.trades = c.trades;
        out.push_back(std::move(t));
    }
    return out;
}

Result<std::vector<MarkPrice>> SimulatedMarket::mark_prices() {
    TimeMs now = clock_();
    std::vector<MarkPrice> out;
    for (const sim::SymbolSpec& s : state_->universe.all()) {
        if (s.status == "TRADING") out.push_back(state_->mark(s, now));
    }
    return out;
}

Result<MarkPrice> SimulatedMarket::mark_price(const std::string& symbol) {
    const sim::SymbolSpec* s = state_->universe.find(symbol);
    if (!s) return invalid_symbol();
    return state_->mark(*s, clock_());
}

Result<TimeMs> SimulatedMarket::server_time() {
    return clock_();
}

}  // namespace tradingd::exchange
