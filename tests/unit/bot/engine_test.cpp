// The bot engine's order flow on an in-memory exchange: entries sized and protected, exits recorded with the
// exchange's PnL, lookups by client id after timeouts, per-scan decisions, journal failures, stop.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot_fixture.h"
#include "exchange/client_order_id.h"

using namespace tradingd;
using namespace tradingd::bot;
using namespace tradingd::bot::test;
using exchange::OrderType;
using money::Decimal;
using strategy::Direction;

namespace {

nlohmann::json payload(const Event& e) {
    return nlohmann::json::parse(e.payload_json);
}

}  // namespace

TEST_CASE("an accepted signal opens a sized position with stop-loss and take-profit on the exchange",
          "[bot]") {
    Harness h;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 11);

    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    const auto& p = open[0];
    // 10000 USDT x 0.1 x leverage 3 / 50000 = 0.06 BTC; ATR 500: stop 1.5 ATR below, target 3 ATR above.
    CHECK(p.quantity == D("0.06"));
    CHECK(p.entry_price == D("50000"));
    CHECK(p.stop_loss == D("49250"));
    CHECK(p.take_profit == D("51500"));
    CHECK(p.scan_id == 11);
    CHECK(h.sim.position_amount("BTCUSDT") == D("0.06"));

    auto live = h.live_orders();
    REQUIRE(live.size() == 2);
    CHECK(count_type(live, OrderType::stop_market) == 1);
    CHECK(count_type(live, OrderType::take_profit_market) == 1);
    for (const auto& o : live) {
        CHECK(o.close_position);
        CHECK(o.working_type == exchange::WorkingType::mark_price);
        auto parts = exchange::parse_client_order_id(o.client_order_id);
        REQUIRE(parts);
        CHECK(parts->agent_id == 7);
        CHECK(parts->position_id == static_cast<std::uint64_t>(p.id));
        CHECK(parts->attempt == 1);
    }
    auto decisions = h.journal.events_of("decision");
    REQUIRE(decisions.size() == 1);
    CHECK(payload(decisions[0])["entries"][0]["symbol"] == "BTCUSDT");
    CHECK(payload(decisions[0])["scan_id"] == 11);
    auto opened = h.journal.events_of("position_opened");
    REQUIRE(opened.size() == 1);
    REQUIRE(opened[0].notify);
    CHECK(opened[0].notify->type == "trade_open");
    // Entry, stop and target each recorded under their client order id.
    CHECK(h.journal.orders.size() == 3);
}

TEST_CASE("a stop-loss fill closes the position with the exchange's price, PnL and fees", "[bot]") {
    Harness h;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    h.advance(60'000);
    h.sim.set_price("BTCUSDT", D("49000"));  // through the stop at 49250
    bot.poll();

    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    const auto& p = closed[0];
    CHECK(p.close_reason == "stop_loss");
    CHECK(p.exit_price == D("49000"));
    CHECK(p.realized_pnl == D("-60"));  // (49000 - 50000) x 0.06
    CHECK(p.fees == D("2.376"));        // 0.04 % of 3000 + 0.04 % of 2940
    CHECK(h.live_orders().empty());     // the take-profit did not outlive the position
    CHECK(bot.positions().empty());
    auto closes = h.journal.events_of("position_closed");
    REQUIRE(closes.size() == 1);
    CHECK(closes[0].notify->type == "trade_close");
    CHECK(payload(closes[0])["realized_pnl"] == "-60");
}

TEST_CASE("a short's take-profit closes it with a profit", "[bot]") {
    Harness h;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("ETHUSDT", Direction::short_side, 75, 3000)}), 1);
    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(open[0].take_profit == D("2910"));  // 3000 - 3 x 30
    h.sim.set_price("ETHUSDT", D("2900"));
    bot.poll();
    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].close_reason == "take_profit");
    CHECK(closed[0].realized_pnl == (D("3000") - D("2900")).mul(open[0].quantity, money::Rounding::down));
    CHECK(h.live_orders().empty());
}

TEST_CASE("the time stop closes at market with its own client order id", "[bot]") {
    Harness h;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    h.advance(47 * 3'600'000);
    bot.poll();
    CHECK(h.journal.with_status(PositionStatus::open).size() == 1);
    h.advance(3'600'000);
    bot.poll();
    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].close_reason == "time_stop");
    CHECK(h.sim.position_amount("BTCUSDT").is_zero());
    CHECK(h.live_orders().empty());
    const auto& last = h.sim.all_orders().back();
    CHECK(last.type == OrderType::market);
    CHECK(last.reduce_only);
    CHECK(exchange::parse_client_order_id(last.client_order_id)->leg == exchange::Leg::exit);
}

TEST_CASE("an entry whose reply was lost after the exchange took it is found by its id, not sent twice",
          "[bot]") {
    Harness h;
    int place_calls = 0;
    h.sim.faults = [&](std::string_view op) {
        if (op == "place" && place_calls++ == 0) return Fault::timeout_after;
        return Fault::none;
    };
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    CHECK(count_type(h.sim.all_orders(), OrderType::market) == 1);
    CHECK(h.sim.position_amount("BTCUSDT") == D("0.06"));
    CHECK(h.journal.with_status(PositionStatus::open).size() == 1);
    CHECK(h.live_orders().size() == 2);
}

TEST_CASE("an entry that never reached the exchange stays pending until the grace period, then is cancelled",
          "[bot]") {
    Harness h;
    h.sim.faults = [&](std::string_view op) { return op == "place" ? Fault::timeout_before : Fault::none; };
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    CHECK(h.journal.with_status(PositionStatus::pending).size() == 1);
    h.advance(5'000);
    bot.poll();
    CHECK(h.journal.with_status(PositionStatus::pending).size() == 1);
    h.advance(h.settings.unknown_grace_ms);
    bot.poll();
    auto cancelled = h.journal.with_status(PositionStatus::cancelled);
    REQUIRE(cancelled.size() == 1);
    CHECK(cancelled[0].close_reason == "entry_not_filled");
    CHECK(h.sim.placed_count() == 0);
}

TEST_CASE("refusals: sizing below the minimum and an exchange rejection are reported, nothing is held",
          "[bot]") {
    SECTION("too small to meet the minimum notional: no intent at all") {
        Harness h("10");
        Bot& bot = h.started();
        bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 3);
        CHECK(h.journal.positions.empty());
        auto d = payload(h.journal.events_of("decision").at(0));
        CHECK(d["entries"].empty());
        CHECK(d["refused"][0]["reason"] == "below_min_qty");
    }
    SECTION("the exchange rejects the entry: the intent is cancelled") {
        Harness h;
        h.symbols.push_back(usdt_perp("XRPUSDT", "0.0001", "0.1"));  // in the filters, unknown to the sim
        h.settings = settings_for(7, h.symbols);
        Bot& bot = h.started();
        bot.on_scan(h.scan({passing_row("XRPUSDT", Direction::long_side, 80, 0.5)}), 3);
        auto cancelled = h.journal.with_status(PositionStatus::cancelled);
        REQUIRE(cancelled.size() == 1);
        CHECK(cancelled[0].close_reason == "entry_rejected");
        CHECK(h.journal.events_of("order_rejected").size() == 1);
        CHECK(payload(h.journal.events_of("decision").at(0))["refused"][0]["reason"] == "exchange_refused");
    }
}

TEST_CASE("per-bot filters: one slot left takes the best signal; a held symbol is not entered again",
          "[bot]") {
    Harness h;
    h.settings.risk.max_open_positions = 1;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000, 1.0, 1),
                        passing_row("ETHUSDT", Direction::long_side, 84, 3000, 1.0, 2)}),
                1);
    REQUIRE(h.journal.positions.size() == 1);
    CHECK(h.journal.positions.begin()->second.symbol == "ETHUSDT");
    auto d = payload(h.journal.events_of("decision").at(0));
    CHECK(d["entries"].size() == 1);
    CHECK(d["refused"][0]["reason"] == "max_positions");

    // With free slots, the held symbol itself is what refuses it.
    Harness roomy;
    Bot& other = roomy.started();
    other.on_scan(roomy.scan({passing_row("ETHUSDT", Direction::long_side, 84, 3000)}), 1);
    other.on_scan(roomy.scan({passing_row("ETHUSDT", Direction::long_side, 84, 3000)}), 2);
    CHECK(roomy.journal.positions.size() == 1);
    CHECK(payload(roomy.journal.events_of("decision").at(1))["refused"][0]["reason"] ==
          "already_in_position");
}

TEST_CASE("a journal failure stops trading before any order is sent", "[bot]") {
    Harness h;
    Bot& bot = h.started();
    h.journal.failing = true;
    CHECK_THROWS_AS(bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1),
                    JournalError);
    CHECK(bot.halted());
    CHECK(h.sim.placed_count() == 0);
    h.journal.failing = false;
    CHECK_THROWS_AS(bot.poll(), JournalError);
    CHECK(h.journal.events_of("error").size() >= 1);
}

TEST_CASE("stop leaves protective orders by default and flattens on request", "[bot]") {
    Harness h;
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    SECTION("default") {
        bot.stop(false);
        CHECK(h.live_orders().size() == 2);
        CHECK(h.sim.position_amount("BTCUSDT") == D("0.06"));
        CHECK(h.journal.with_status(PositionStatus::open).size() == 1);
    }
    SECTION("flatten") {
        bot.stop(true);
        CHECK(h.live_orders().empty());
        CHECK(h.sim.position_amount("BTCUSDT").is_zero());
        auto closed = h.journal.with_status(PositionStatus::closed);
        REQUIRE(closed.size() == 1);
        CHECK(closed[0].close_reason == "flattened");
    }
}

TEST_CASE("poll re-arms a protective order that vanished, verifying them only every guard_check_ms",
          "[bot]") {
    Harness h;
    int queries = 0;
    h.sim.faults = [&](std::string_view op) {
        queries += op == "query";
        return Fault::none;
    };
    Bot& bot = h.started();
    bot.on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    const auto p = h.journal.with_status(PositionStatus::open).at(0);
    REQUIRE(h.sim.cancel_order("BTCUSDT", id_of(p.id, exchange::Leg::stop_loss, 1),
                               exchange::OrderKind::conditional));

    queries = 0;
    h.advance(5'000);
    bot.poll();  // within the interval: only the positions read, no lookups
    CHECK(queries == 0);
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 0);

    h.advance(h.settings.guard_check_ms);
    bot.poll();
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);
    CHECK(h.journal.positions.at(p.id).attempts.stop_loss == 2);
    CHECK(h.live_orders().size() == 2);
}
