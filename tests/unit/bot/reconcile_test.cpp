// start(): what a restarted bot finds and how it puts the journal and the exchange back in agreement.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

#include "bot_fixture.h"
#include "exchange/client_order_id.h"

using namespace tradingd;
using namespace tradingd::bot;
using namespace tradingd::bot::test;
using exchange::OrderType;
using money::Decimal;
using strategy::Direction;

namespace {

// A pending intent in the journal, as the engine persists it just before sending the entry.
PositionRecord pending_intent(Harness& h, const std::string& symbol, const char* qty, const char* price,
                              double atr) {
    PositionRecord p;
    p.agent_id = 7;
    p.symbol = symbol;
    p.direction = Direction::long_side;
    p.quantity = D(qty);
    p.entry_price = D(price);
    p.leverage = 3;
    p.atr_at_entry = std::to_string(atr);
    p.opened_at_ms = h.now;
    p.attempts.entry = 1;
    p.id = h.journal.create_position(p);
    p.status = PositionStatus::pending;
    return p;
}

}  // namespace

TEST_CASE("an entry that filled just before the crash is found by its id, opened and protected",
          "[bot][reconcile]") {
    Harness h;
    auto p = pending_intent(h, "BTCUSDT", "0.06", "50000", 500);
    REQUIRE(h.sim.place_order(
        market("BTCUSDT", exchange::Side::buy, "0.06", id_of(p.id, exchange::Leg::entry, 1))));
    h.advance(2'000);
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.filled_pending == 1);
    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(open[0].entry_price == D("50000"));
    CHECK(open[0].stop_loss == D("49250"));
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);
    CHECK(count_type(h.live_orders(), OrderType::take_profit_market) == 1);
    CHECK(h.sim.placed_count() == 3);  // the entry once, two protective orders
    auto events = h.journal.events_of("reconcile");
    REQUIRE(events.size() == 1);
    CHECK(nlohmann::json::parse(events[0].payload_json)["filled_pending"] == 1);
    REQUIRE(events[0].notify);
}

TEST_CASE("an entry the exchange never received is cancelled once the grace period is over",
          "[bot][reconcile]") {
    Harness h;
    pending_intent(h, "BTCUSDT", "0.06", "50000", 500);
    auto early = h.restart().start(h.journal.live_positions());
    CHECK(early.unknown == 1);
    CHECK(h.journal.with_status(PositionStatus::pending).size() == 1);
    h.advance(h.settings.unknown_grace_ms);
    auto late = h.restart().start(h.journal.live_positions());
    CHECK(late.cancelled_pending == 1);
    CHECK(h.journal.with_status(PositionStatus::cancelled).size() == 1);
    CHECK(h.sim.placed_count() == 0);
}

TEST_CASE("a position closed on the exchange while the bot was down is recorded with its exit",
          "[bot][reconcile]") {
    Harness h;
    h.started().on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    h.bot.reset();  // the worker dies
    h.advance(600'000);
    h.sim.set_price("BTCUSDT", D("51600"));  // through the target at 51500
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.closed == 1);
    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].close_reason == "take_profit");
    CHECK(closed[0].exit_price == D("51600"));
    CHECK(closed[0].realized_pnl == D("96"));  // 1600 x 0.06
    CHECK(h.live_orders().empty());            // the stop-loss went with it
}

TEST_CASE("a protective order that vanished is re-armed under a new attempt", "[bot][reconcile]") {
    Harness h;
    h.started().on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    auto p = h.journal.with_status(PositionStatus::open).at(0);
    REQUIRE(h.sim.cancel_order("BTCUSDT", id_of(p.id, exchange::Leg::stop_loss, 1),
                               exchange::OrderKind::conditional));
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.restored == 1);
    CHECK(report.rearmed == 1);
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);
    CHECK(count_type(h.live_orders(), OrderType::take_profit_market) == 1);
    bool found = false;
    for (const auto& o : h.live_orders())
        found |= o.client_order_id == id_of(p.id, exchange::Leg::stop_loss, 2);
    CHECK(found);
    CHECK(h.journal.positions.at(p.id).attempts.stop_loss == 2);
}

TEST_CASE("a restart with nothing changed places nothing", "[bot][reconcile]") {
    Harness h;
    h.started().on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    const int placed = h.sim.placed_count();
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.restored == 1);
    CHECK(report.rearmed == 0);
    CHECK(h.sim.placed_count() == placed);
}

TEST_CASE("an untracked exchange position is adopted or flattened by policy", "[bot][reconcile]") {
    Harness h;
    REQUIRE(h.sim.place_order(market("SOLUSDT", exchange::Side::sell, "10", "by-hand-1")));
    SECTION("adopt: tracked at once, protected once a scan gives its ATR") {
        auto report = h.restart().start(h.journal.live_positions());
        CHECK(report.adopted == 1);
        auto open = h.journal.with_status(PositionStatus::open);
        REQUIRE(open.size() == 1);
        CHECK(open[0].adopted);
        CHECK(open[0].direction == Direction::short_side);
        CHECK(open[0].quantity == D("10"));
        CHECK(h.live_orders().empty());
        h.bot->on_scan(h.scan({passing_row("SOLUSDT", Direction::long_side, 40, 150, 2.0)}), 5);
        h.bot->poll();
        CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);  // 150 + 1.5 x 3 for a short
        CHECK(count_type(h.live_orders(), OrderType::take_profit_market) == 1);
        CHECK(h.journal.positions.size() == 1);  // the scan did not enter SOL again
    }
    SECTION("flatten") {
        h.settings.orphan_policy = OrphanPolicy::flatten;
        auto report = h.restart().start(h.journal.live_positions());
        CHECK(report.flattened == 1);
        CHECK(h.sim.position_amount("SOLUSDT").is_zero());
        auto closed = h.journal.with_status(PositionStatus::closed);
        REQUIRE(closed.size() == 1);
        CHECK(closed[0].close_reason == "flattened");
        CHECK(h.journal.events_of("reconcile").at(0).notify->type == "risk_alert");
    }
}

TEST_CASE("our stale orders are cancelled, another agent's and the user's are left alone",
          "[bot][reconcile]") {
    Harness h;
    REQUIRE(h.sim.place_order(market("ETHUSDT", exchange::Side::buy, "1", "by-hand-2")));
    auto stop = [&](std::string id) {
        exchange::OrderRequest r;
        r.symbol = "ETHUSDT";
        r.side = exchange::Side::sell;
        r.type = OrderType::stop_market;
        r.close_position = true;
        r.stop_price = D("2500");
        r.client_order_id = std::move(id);
        REQUIRE(h.sim.place_order(r));
    };
    stop(id_of(99, exchange::Leg::stop_loss, 1));     // ours: a position the journal no longer tracks
    stop(id_of(99, exchange::Leg::stop_loss, 1, 8));  // agent 8's
    stop("users-own-stop");
    h.settings.orphan_policy = OrphanPolicy::adopt;
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.stale_cancelled == 1);
    std::set<std::string> left;
    for (const auto& o : h.live_orders()) left.insert(o.client_order_id);
    CHECK(left.count(id_of(99, exchange::Leg::stop_loss, 1)) == 0);
    CHECK(left.count(id_of(99, exchange::Leg::stop_loss, 1, 8)) == 1);
    CHECK(left.count("users-own-stop") == 1);
}
