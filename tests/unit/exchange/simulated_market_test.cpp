// The built-in simulated market: a full Binance-like universe, candles that depend only on (seed, symbol,
// time) whatever was asked before, Binance's kline window rules, and a clock that decides what exists.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <set>

#include "exchange/market_source.h"
#include "exchange/simulated_market.h"

using namespace tradingd::exchange;

namespace {

constexpr TimeMs kNow = 1767312000000;  // 2026-01-02T00:00:00Z
constexpr TimeMs kHour = 3600000;

KlineQuery query(std::string symbol, Interval interval, int limit) {
    KlineQuery q;
    q.symbol = std::move(symbol);
    q.interval = interval;
    q.limit = limit;
    return q;
}

bool same(const Kline& a, const Kline& b) {
    return a.open_time == b.open_time && a.close_time == b.close_time && a.open == b.open &&
           a.high == b.high && a.low == b.low && a.close == b.close && a.volume == b.volume &&
           a.quote_volume == b.quote_volume && a.trades == b.trades;
}

}  // namespace

TEST_CASE("the simulated market lists at least 150 trading USDT perpetuals with filters", "[sim_market]") {
    SimulatedMarket market(7, [] { return kNow; });
    auto info = market.exchange_info();
    REQUIRE(info.ok());
    int perpetuals = 0;
    std::set<std::string> names;
    for (const SymbolInfo& s : *info) {
        names.insert(s.symbol);
        if (!s.trading() || s.contract_type != "PERPETUAL" || s.quote_asset != "USDT") continue;
        ++perpetuals;
        CHECK(s.tick_size.is_positive());
        CHECK(s.step_size.is_positive());
        CHECK(s.min_notional.is_positive());
        CHECK(s.max_qty > s.min_qty);
    }
    CHECK(perpetuals >= 150);
    CHECK(names.size() == info->size());  // no duplicates
    // A client must filter these out, as against the real exchange.
    CHECK(names.count("BTCUSDC") == 1);
    auto btc = std::find_if(info->begin(), info->end(), [](auto& s) { return s.symbol == "BTCUSDT"; });
    REQUIRE(btc != info->end());
    CHECK(btc->tick_size == tradingd::money::Decimal::parse("0.1"));
    CHECK(btc->min_notional == tradingd::money::Decimal::parse("100"));
}

TEST_CASE("simulated candles depend only on seed, symbol and time", "[sim_market]") {
    SimulatedMarket a(7, [] { return kNow; });
    SimulatedMarket b(7, [] { return kNow; });
    SimulatedMarket other_seed(8, [] { return kNow; });

    KlineQuery q = query("ETHUSDT", Interval::h1, 48);
    q.start_time = kNow - 30 * 24 * kHour;
    // b answers other questions first: nothing it was asked before may change the answer.
    (void)b.klines(query("BTCUSDT", Interval::m1, 1500));
    (void)b.tickers_24h();
    auto ka = a.klines(q), kb = b.klines(q), kc = other_seed.klines(q);
    REQUIRE(ka.ok());
    REQUIRE(kb.ok());
    REQUIRE(ka->size() == 48);
    for (size_t i = 0; i < ka->size(); ++i) CHECK(same((*ka)[i], (*kb)[i]));
    CHECK_FALSE(same((*ka)[0], (*kc)[0]));

    // A sub-range asked on its own gives the very candles of the bigger answer.
    KlineQuery part = q;
    part.start_time = (*ka)[10].open_time;
    part.limit = 5;
    auto kp = a.klines(part);
    REQUIRE(kp->size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(same((*kp)[i], (*ka)[10 + i]));
}

TEST_CASE("simulated hourly candles are consistent with the minute candles inside them", "[sim_market]") {
    SimulatedMarket market(3, [] { return kNow; });
    KlineQuery h = query("SOLUSDT", Interval::h1, 1);
    h.start_time = kNow - 5 * kHour;
    KlineQuery m = query("SOLUSDT", Interval::m1, 60);
    m.start_time = kNow - 5 * kHour;
    auto hour = market.klines(h), minutes = market.klines(m);
    REQUIRE(hour->size() == 1);
    REQUIRE(minutes->size() == 60);
    const Kline& k = (*hour)[0];
    CHECK(k.open_time == kNow - 5 * kHour);
    CHECK(k.close_time == k.open_time + kHour - 1);
    CHECK(k.open == minutes->front().open);
    CHECK(k.close == minutes->back().close);
    double hi = 0, lo = 1e300;
    for (const Kline& x : *minutes) hi = std::max(hi, x.high), lo = std::min(lo, x.low);
    CHECK(k.high == hi);
    CHECK(k.low == lo);
    CHECK(k.low <= std::min(k.open, k.close));
    CHECK(k.high >= std::max(k.open, k.close));
    CHECK(k.volume > 0);
}

TEST_CASE("simulated klines follow Binance's window rules and the clock", "[sim_market]") {
    TimeMs now = kNow + 30 * 60000;  // half way through an hour
    SimulatedMarket market(7, [&] { return now; });

    SECTION("no start: the last `limit` candles, the last one still open") {
        auto k = market.klines(query("BTCUSDT", Interval::h1, 3));
        REQUIRE(k->size() == 3);
        CHECK(k->back().open_time == kNow);
        CHECK(k->back().close_time > now);
        CHECK((*k)[0].open_time == kNow - 2 * kHour);
    }
    SECTION("nothing after now, and the clock moves the open candle") {
        KlineQuery q = query("BTCUSDT", Interval::h1, 10);
        q.start_time = kNow - kHour;
        CHECK(market.klines(q)->size() == 2);
        auto before = market.klines(q)->back();
        now += 20 * 60000;
        auto after = market.klines(q)->back();
        CHECK(after.open_time == before.open_time);
        CHECK(after.volume > before.volume);
    }
    SECTION("limit is clamped to 1500, and bad requests get Binance's errors") {
        KlineQuery q = query("BTCUSDT", Interval::m1, 5000);
        q.start_time = kNow - 10 * 24 * kHour;
        CHECK(market.klines(q)->size() == 1500);
        auto unknown = market.klines(query("NOPEUSDT", Interval::h1, 1));
        REQUIRE_FALSE(unknown.ok());
        CHECK(unknown.error().code == -1121);
        KlineQuery reversed = query("BTCUSDT", Interval::h1, 5);
        reversed.start_time = kNow;
        reversed.end_time = kNow - kHour;
        CHECK(market.klines(reversed).error().code == -1023);
    }
}

TEST_CASE("simulated tickers and mark prices cover the trading symbols", "[sim_market]") {
    SimulatedMarket market(7, [] { return kNow; });
    auto tickers = market.tickers_24h();
    auto marks = market.mark_prices();
    REQUIRE(tickers.ok());
    REQUIRE(marks.ok());
    CHECK(tickers->size() >= 150);
    CHECK(marks->size() == tickers->size());
    for (const Ticker24h& t : *tickers) {
        CHECK(t.low_price <= t.last_price);
        CHECK(t.last_price <= t.high_price);
        CHECK(t.quote_volume > 0);
    }
    auto btc = market.mark_price("BTCUSDT");
    REQUIRE(btc.ok());
    CHECK(btc->mark_price.is_positive());
    CHECK(btc->funding_rate.abs() < tradingd::money::Decimal::parse("0.004"));
    CHECK(btc->next_funding_time > kNow);
    CHECK(btc->next_funding_time % (8 * kHour) == 0);
    CHECK(market.server_time().value() == kNow);
    CHECK(market.mark_price("NOPEUSDT").error().code == -1121);
}

TEST_CASE("the market source factory opens the simulated market without any network", "[sim_market]") {
    CHECK(parse_market_source("simulated") == MarketSourceKind::simulated);
    CHECK(parse_market_source("binance") == MarketSourceKind::binance);
    CHECK_FALSE(parse_market_source("fake"));
    MarketSourceSettings settings;
    settings.simulated_seed = 7;
    auto market = open_market_data(settings);
    auto info = market->exchange_info();
    REQUIRE(info.ok());
    CHECK(info->size() >= 150);
    auto mark = market->mark_price("BTCUSDT");
    REQUIRE(mark.ok());
    CHECK(mark->mark_price.is_positive());
}

TEST_CASE("simulated klines are fast enough for a year of history", "[sim_market][.bench]") {
    SimulatedMarket market(7, [] { return kNow; });
    auto t0 = std::chrono::steady_clock::now();
    std::size_t candles = 0;
    // A year of hourly candles for 10 symbols, as the backtester fetches them: 1500 per request.
    auto info = market.exchange_info();
    int symbols = 0;
    for (const SymbolInfo& s : *info) {
        if (!s.trading() || symbols == 10) continue;
        ++symbols;
        for (TimeMs t = kNow - 365 * 24 * kHour; t < kNow; t += 1500 * kHour) {
            KlineQuery q = query(s.symbol, Interval::h1, 1500);
            q.start_time = t;
            candles += market.klines(q)->size();
        }
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN("simulated 1h klines: " << candles << " in " << s << " s = " << candles / s << " klines/s");
    CHECK(candles >= 10 * 8760);
}
