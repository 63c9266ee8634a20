// Public market-data endpoints: ping, time, exchangeInfo, klines, 24h tickers, prices, mark prices.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "market_sim.h"
#include "routes.h"

namespace fake {
namespace {

constexpr std::int64_t kDayMs = 86400000;

std::string fmt_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

const SymbolSpec* optional_symbol(Ctx& ctx) {
    if (!ctx.params.has("symbol")) return nullptr;
    const SymbolSpec* s = ctx.app.universe.find(ctx.params.required("symbol"));
    if (!s) reject(-1121, "Invalid symbol.");
    return s;
}

int kline_limit(const Params& p) {
    auto limit = p.integer("limit");
    return static_cast<int>(std::clamp<std::int64_t>(limit.value_or(500), 1, 1500));
}

Json kline_row(const SymbolSpec& s, const Candle& c) {
    int qd = s.quantity_precision;
    return Json::array({c.open_ms, tick_price(s, c.open), tick_price(s, c.high), tick_price(s, c.low),
                        tick_price(s, c.close), fmt_fixed(c.volume, qd), c.close_ms,
                        fmt_fixed(c.quote_volume, 4), c.trades, fmt_fixed(c.taker_volume, qd),
                        fmt_fixed(c.taker_quote_volume, 4), "0"});
}

Reply klines(Ctx& ctx) {
    const SymbolSpec* s = ctx.app.universe.find(ctx.params.required("symbol"));
    if (!s) reject(-1121, "Invalid symbol.");
    auto iv = parse_interval(ctx.params.required("interval"));
    if (!iv) reject(-1120, "Invalid interval.");
    int limit = kline_limit(ctx.params);
    auto start = ctx.params.integer("startTime");
    auto end = ctx.params.integer("endTime");
    if (start && end && *start > *end) reject(-1023, "Start time is greater than end time.");
    std::int64_t first_open = interval_floor(*iv, std::max(s->onboard_ms, kHistoryOriginMs));
    std::vector<std::int64_t> opens = kline_opens(*iv, KlineWindow{start, end, limit}, first_open, ctx.now);
    Json rows = Json::array();
    for (std::int64_t open : opens) {
        Candle c = ctx.app.sim.aggregate(*s, open, interval_next(*iv, open), ctx.now);
        if (!c.empty) rows.push_back(kline_row(*s, c));
    }
    return {200, rows};
}

Json ticker_json(Ctx& ctx, const SymbolSpec& s) {
    Candle c = ctx.app.sim.aggregate(s, ctx.now - kDayMs, ctx.now + 1, ctx.now);
    double last = ctx.app.sim.last_price(s, ctx.now);
    double change = last - c.open;
    std::int64_t first_id = static_cast<std::int64_t>(s.stream % 100000000) + (ctx.now - kDayMs) / 1000;
    Json j;
    j["symbol"] = s.symbol;
    j["priceChange"] = tick_price(s, change);
    j["priceChangePercent"] = fmt_fixed(c.open > 0 ? change / c.open * 100 : 0, 3);
    j["weightedAvgPrice"] = tick_price(s, c.volume > 0 ? c.quote_volume / c.volume : last);
    j["lastPrice"] = tick_price(s, last);
    j["lastQty"] = fx_str(s.min_qty * 3);
    j["openPrice"] = tick_price(s, c.open);
    j["highPrice"] = tick_price(s, std::max(c.high, last));
    j["lowPrice"] = tick_price(s, std::min(c.low, last));
    j["volume"] = fmt_fixed(c.volume, s.quantity_precision);
    j["quoteVolume"] = fmt_fixed(c.quote_volume, 2);
    j["openTime"] = ctx.now - kDayMs;
    j["closeTime"] = ctx.now;
    j["firstId"] = first_id;
    j["lastId"] = first_id + c.trades - 1;
    j["count"] = c.trades;
    return j;
}

// Many-symbol calls list TRADING symbols only, as Binance does for delisted and not-yet-listed ones.
template <typename F>
Json for_symbols(Ctx& ctx, F&& one) {
    if (const SymbolSpec* s = optional_symbol(ctx)) return one(*s);
    Json all = Json::array();
    for (const SymbolSpec& s : ctx.app.universe.all()) {
        if (s.status == "TRADING") all.push_back(one(s));
    }
    return all;
}

Reply ticker_24hr(Ctx& ctx) {
    return {200, for_symbols(ctx, [&](const SymbolSpec& s) { return ticker_json(ctx, s); })};
}

Reply ticker_price(Ctx& ctx) {
    return {200, for_symbols(ctx, [&](const SymbolSpec& s) {
                return Json{{"symbol", s.symbol},
                            {"price", tick_price(s, ctx.app.sim.last_price(s, ctx.now))},
                            {"time", ctx.now}};
            })};
}

Reply book_ticker(Ctx& ctx) {
    return {200, for_symbols(ctx, [&](const SymbolSpec& s) {
                double last = ctx.app.sim.last_price(s, ctx.now);
                Fx bid = fx_from_double(last, s.tick, Round::Down);
                return Json{{"symbol", s.symbol},
                            {"bidPrice", fx_str(bid)},
                            {"bidQty", fx_str(s.min_qty * 25)},
                            {"askPrice", fx_str(bid + s.tick)},
                            {"askQty", fx_str(s.min_qty * 31)},
                            {"time", ctx.now},
                            {"lastUpdateId", ctx.now * 10}};
            })};
}

Reply premium_index(Ctx& ctx) {
    return {200, for_symbols(ctx, [&](const SymbolSpec& s) {
                const std::int64_t period = 8 * 3600000;
                return Json{{"symbol", s.symbol},
                            {"markPrice", money(ctx.app.sim.mark_price(s, ctx.now), 8)},
                            {"indexPrice", money(ctx.app.sim.index_price(s, ctx.now), 8)},
                            {"estimatedSettlePrice", money(ctx.app.sim.index_price(s, ctx.now), 8)},
                            {"lastFundingRate", money(ctx.app.sim.funding_rate(s, ctx.now), 8)},
                            {"interestRate", "0.00010000"},
                            {"nextFundingTime", (ctx.now / period + 1) * period},
                            {"time", ctx.now}};
            })};
}

int one(const Params&) {
    return 1;
}

}  // namespace

std::string tick_price(const SymbolSpec& s, double price) {
    return fx_fixed(fx_from_double(price, s.tick, Round::Nearest), step_decimals(s.tick));
}

std::vector<Route> market_routes() {
    return {
        {"GET", "/fapi/v1/ping", Security::None, one, false,
         [](Ctx&) {
             return Reply{200, Json::object()};
         }},
        {"GET", "/fapi/v1/time", Security::None, one, false,
         [](Ctx& ctx) {
             return Reply{200, Json{{"serverTime", ctx.now}}};
         }},
        {"GET", "/fapi/v1/exchangeInfo", Security::None, one, false,
         [](Ctx& ctx) {
             return Reply{200, exchange_info_json(ctx.app, ctx.now)};
         }},
        {"GET", "/fapi/v1/klines", Security::None,
         [](const Params& p) {
             int l = kline_limit(p);
             return l < 100 ? 1 : l < 500 ? 2 : l <= 1000 ? 5 : 10;
         },
         false, klines},
        {"GET", "/fapi/v1/ticker/24hr", Security::None,
         [](const Params& p) { return p.has("symbol") ? 1 : 40; }, false, ticker_24hr},
        {"GET", "/fapi/v1/ticker/price", Security::None,
         [](const Params& p) { return p.has("symbol") ? 1 : 2; }, false, ticker_price},
        {"GET", "/fapi/v2/ticker/price", Security::None,
         [](const Params& p) { return p.has("symbol") ? 1 : 2; }, false, ticker_price},
        {"GET", "/fapi/v1/ticker/bookTicker", Security::None,
         [](const Params& p) { return p.has("symbol") ? 2 : 5; }, false, book_ticker},
        {"GET", "/fapi/v1/premiumIndex", Security::None,
         [](const Params& p) { return p.has("symbol") ? 1 : 10; }, false, premium_index},
    };
}

}  // namespace fake
