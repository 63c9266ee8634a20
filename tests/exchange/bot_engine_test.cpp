// The bot engine (common/bot) through the real Binance client against a real fake-binance process: the
// wire formats, the algo endpoints for protective orders, lookups by client id after lost replies, and
// reconciliation after a worker died mid-flow. /_fake/state is the witness of what exists.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <variant>

#include "bot_fixture.h"
#include "client_fixture.h"
#include "strategy/scan.h"

using namespace tradingd;
using namespace tradingd::test;
using bot::Bot;
using bot::PositionStatus;
using bot::test::MemoryJournal;
using bot::test::wall_ms;
using exchange::Leg;
using money::Decimal;
using strategy::Direction;

namespace {

exchange::BinanceConfig short_timeout(exchange::BinanceConfig c) {
    c.request_timeout = std::chrono::milliseconds(1500);  // the fake's "hang" holds 2.5 s
    return c;
}

// A bot on the fake's account: agent 1 (client_fixture's order_id() uses agent 1 too).
struct EngineOnFake {
    explicit EngineOnFake(exchange::BinanceConfig (*adjust)(exchange::BinanceConfig) = nullptr)
        : c("10000", adjust) {
        settings.agent_id = 1;
        settings.exchange_info = [this] { return c.market.exchange_info(); };
    }
    Bot& restart() {
        bot = std::make_unique<Bot>(settings, c.trading, journal, wall_ms);
        return *bot;
    }
    strategy::ScanResult eth_long() {
        double mark = c.mark("ETHUSDT").to_double();
        return bot::test::scan_of({bot::test::passing_row("ETHUSDT", Direction::long_side, 80, mark)},
                                  wall_ms());
    }
    int with_id(const nlohmann::json& orders, std::int64_t position, Leg leg, std::uint32_t attempt) {
        return count_with_client_id(orders, bot::test::id_of(position, leg, attempt, 1));
    }

    Clients c;
    MemoryJournal journal;
    bot::BotSettings settings;
    std::unique_ptr<Bot> bot;
};

}  // namespace

TEST_CASE(
    "engine on fake-binance: entry, protective algo orders, a stop-loss fill closed with the exchange's PnL",
    "[bot][engine]") {
    EngineOnFake e;
    e.restart().start({});
    e.bot->on_scan(e.eth_long(), 1);

    auto open = e.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    const auto p = open[0];
    CHECK(e.c.trading.positions().value().at(0).amount == p.quantity);
    CHECK(e.with_id(e.c.fake.orders(), p.id, Leg::entry, 1) == 1);
    auto algos = e.c.fake.algo_orders();
    REQUIRE(algos.size() == 2);
    CHECK(e.with_id(algos, p.id, Leg::stop_loss, 1) == 1);
    CHECK(e.with_id(algos, p.id, Leg::take_profit, 1) == 1);
    for (const auto& a : algos) {
        CHECK(a["closePosition"] == true);
        CHECK(a["workingType"] == "MARK_PRICE");
    }

    // The market falls through the stop; the fake fires it, the bot sees the flat position.
    e.c.fake.admin("POST", "/_fake/price",
                   {{"symbol", "ETHUSDT"}, {"price", (p.stop_loss->to_double()) * 0.98}});
    e.c.fake.admin("POST", "/_fake/tick");
    e.bot->poll();
    auto closed = e.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].close_reason == "stop_loss");
    REQUIRE(closed[0].realized_pnl);
    CHECK(closed[0].realized_pnl->is_negative());
    CHECK(closed[0].fees.is_positive());
    CHECK(*closed[0].exit_price < *p.stop_loss);
    CHECK(e.c.trading.positions().value().empty());
    CHECK(e.c.trading.open_orders(std::nullopt).value().empty());  // the take-profit was cancelled
}

TEST_CASE("engine on fake-binance: an entry whose reply timed out after the fake took it is placed once",
          "[bot][engine]") {
    EngineOnFake e(short_timeout);
    e.restart().start({});
    e.c.fake.admin("POST", "/_fake/fault",
                   {{"path", "/fapi/v1/order"}, {"method", "POST"}, {"action", "hang"}, {"hold_ms", 2500}});
    e.bot->on_scan(e.eth_long(), 1);
    CHECK(e.c.fake.requests("POST /fapi/v1/order") == 1);
    auto open = e.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(e.with_id(e.c.fake.orders(), open[0].id, Leg::entry, 1) == 1);
    CHECK(e.c.fake.algo_orders().size() == 2);
}

TEST_CASE("engine on fake-binance: a 5xx after the stop-loss was stored is resolved by clientAlgoId",
          "[bot][engine]") {
    EngineOnFake e;
    e.restart().start({});
    e.c.fake.admin("POST", "/_fake/fault",
                   {{"path", "/fapi/v1/algoOrder"}, {"method", "POST"}, {"status", 503}, {"after", true}});
    e.bot->on_scan(e.eth_long(), 1);
    auto open = e.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    auto algos = e.c.fake.algo_orders();
    CHECK(algos.size() == 2);
    CHECK(e.with_id(algos, open[0].id, Leg::stop_loss, 1) == 1);
    CHECK(e.c.fake.requests("POST /fapi/v1/algoOrder") == 2);
}

TEST_CASE("engine on fake-binance: a worker that died after sending its entry is reconciled on restart",
          "[bot][engine]") {
    EngineOnFake e;
    // What the dead worker left: a committed intent, and its entry order filled on the exchange.
    bot::PositionRecord intent;
    intent.agent_id = 1;
    intent.symbol = "ETHUSDT";
    intent.direction = Direction::long_side;
    intent.quantity = Decimal::parse("0.5");
    intent.entry_price = e.c.mark("ETHUSDT");
    intent.leverage = 3;
    intent.atr_at_entry = std::to_string(intent.entry_price.to_double() / 100);
    intent.opened_at_ms = wall_ms();
    intent.attempts.entry = 1;
    intent.id = e.journal.create_position(intent);
    REQUIRE(e.c.trading.place_order(
        market_order("ETHUSDT", exchange::Side::buy, "0.5", bot::test::id_of(intent.id, Leg::entry, 1, 1))));

    auto report = e.restart().start(e.journal.live_positions());
    CHECK(report.filled_pending == 1);
    CHECK(e.journal.with_status(PositionStatus::open).size() == 1);
    CHECK(e.c.fake.algo_orders().size() == 2);
    CHECK(e.c.fake.orders().size() == 1);
    REQUIRE(e.journal.events_of("reconcile").size() == 1);

    // Dies again, restarts again: everything is in place, nothing new is sent.
    const long algo_posts = e.c.fake.requests("POST /fapi/v1/algoOrder");
    auto again = e.restart().start(e.journal.live_positions());
    CHECK(again.restored == 1);
    CHECK(again.rearmed == 0);
    CHECK(e.c.fake.requests("POST /fapi/v1/algoOrder") == algo_posts);
    CHECK(e.c.fake.requests("POST /fapi/v1/order") == 1);
}

TEST_CASE("engine on fake-binance: an orphan is adopted with its exits from the klines' ATR, at start",
          "[bot][engine]") {
    EngineOnFake e;
    // The hook as the worker wires it: the strategy interval, one candle more than the lookback.
    const auto& params = e.settings.params;
    e.settings.klines = [&](const std::string& symbol) {
        return e.c.market.klines(
            {symbol, params.interval, params.lookback_candles + 1, std::nullopt, std::nullopt});
    };
    REQUIRE(e.c.trading.place_order(market_order("ETHUSDT", exchange::Side::buy, "0.5", "by-hand-1")));

    auto report = e.restart().start(e.journal.live_positions());
    CHECK(report.adopted == 1);
    CHECK(report.rearmed == 2);
    auto open = e.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(open[0].adopted);
    auto algos = e.c.fake.algo_orders();
    CHECK(e.with_id(algos, open[0].id, Leg::stop_loss, 1) == 1);
    CHECK(e.with_id(algos, open[0].id, Leg::take_profit, 1) == 1);

    // The ATR the scanner would score the coin with now: closed candles only, the last lookback of them.
    auto klines = e.c.market.klines(
        {"ETHUSDT", params.interval, params.lookback_candles + 1, std::nullopt, std::nullopt});
    REQUIRE(klines);
    std::vector<strategy::Candle> closed;
    for (const auto& k : *klines)
        if (k.close_time < wall_ms()) closed.push_back(strategy::to_candle(k));
    auto scored = strategy::score_symbol("ETHUSDT", closed, params);
    const auto* signal = std::get_if<strategy::Signal>(&scored);
    REQUIRE(signal);
    CHECK(std::strtod(open[0].atr_at_entry.c_str(), nullptr) == signal->indicators.atr14);
    REQUIRE(open[0].stop_loss);
    REQUIRE(open[0].take_profit);
    CHECK(*open[0].stop_loss < open[0].entry_price);
    CHECK(*open[0].take_profit > open[0].entry_price);
}
