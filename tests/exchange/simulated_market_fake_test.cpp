// One simulation, two doors: the built-in SimulatedMarket and fake-binance started with the same seed list
// the same symbols with the same filters and serve the same candles, so a strategy sees the same market in
// the embedded default and in tests against the fake.
#include <catch2/catch.hpp>

#include <map>

#include "exchange/simulated_market.h"
#include "fake_binance_process.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;

TEST_CASE("the simulated market and fake-binance with the same seed are the same market",
          "[client][sim_market]") {
    FakeBinance fake("10000", 11);
    WeightBudget budget;
    BinanceMarketData wire(fake.config(), budget);
    SimulatedMarket local(11);

    auto remote_info = wire.exchange_info();
    auto local_info = local.exchange_info();
    REQUIRE(remote_info.ok());
    REQUIRE(local_info.ok());
    std::map<std::string, SymbolInfo> by_name;
    for (const SymbolInfo& s : *local_info) by_name[s.symbol] = s;
    REQUIRE(by_name.size() == remote_info->size());
    for (const SymbolInfo& r : *remote_info) {
        INFO(r.symbol);
        REQUIRE(by_name.count(r.symbol) == 1);
        const SymbolInfo& l = by_name[r.symbol];
        CHECK(l.status == r.status);
        CHECK(l.contract_type == r.contract_type);
        CHECK(l.tick_size == r.tick_size);
        CHECK(l.step_size == r.step_size);
        CHECK(l.min_qty == r.min_qty);
        CHECK(l.max_qty == r.max_qty);
        CHECK(l.market_max_qty == r.market_max_qty);
        CHECK(l.min_notional == r.min_notional);
        CHECK(l.price_precision == r.price_precision);
    }

    // Closed candles (the open one moves with each side's clock).
    for (const char* symbol : {"BTCUSDT", "DOGEUSDT", "1000PEPEUSDT"}) {
        INFO(symbol);
        KlineQuery q;
        q.symbol = symbol;
        q.interval = Interval::h1;
        q.limit = 24;
        q.start_time = system_time_ms() - 48 * 3600000;
        auto r = wire.klines(q);
        auto l = local.klines(q);
        REQUIRE(r.ok());
        REQUIRE(l.ok());
        REQUIRE(r->size() == 24);
        REQUIRE(l->size() == 24);
        for (size_t i = 0; i < 24; ++i) {
            CHECK((*l)[i].open_time == (*r)[i].open_time);
            CHECK((*l)[i].open == (*r)[i].open);
            CHECK((*l)[i].high == (*r)[i].high);
            CHECK((*l)[i].low == (*r)[i].low);
            CHECK((*l)[i].close == (*r)[i].close);
            CHECK((*l)[i].volume == Approx((*r)[i].volume));
            CHECK((*l)[i].trades == (*r)[i].trades);
        }
    }
}
