// What a restarted bot must not forget: the cooldown of a coin it closed just before it died (the daemon's
// store hands start() the recent activity), and protection for a position it adopts, placed at start()
// from the klines' ATR(14) instead of a scan later.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot_fixture.h"

using namespace tradingd;
using namespace tradingd::bot;
using namespace tradingd::bot::test;
using exchange::OrderType;
using strategy::Direction;

namespace {

constexpr exchange::TimeMs kMinute = 60'000;
constexpr exchange::TimeMs kHour = 60 * kMinute;

nlohmann::json payload(const Event& e) {
    return nlohmann::json::parse(e.payload_json);
}

// `closed` hourly candles of `symbol` ending before `now`, then one still open. Close 150 throughout; the
// range is 3 (so ATR(14) is exactly 3) except in the `wild` oldest candles and in the open one, which a
// correct window leaves out.
std::vector<exchange::Kline> hourly(exchange::TimeMs now, int closed, int wild) {
    std::vector<exchange::Kline> out;
    const exchange::TimeMs first_open = (now / kHour - closed) * kHour;
    for (int i = 0; i <= closed; ++i) {
        exchange::Kline k;
        k.open_time = first_open + i * kHour;
        k.close_time = k.open_time + kHour - 1;
        const double half = (i < wild || i == closed) ? 15.0 : 1.5;
        k.open = k.close = 150;
        k.high = 150 + half;
        k.low = 150 - half;
        k.volume = 1000;
        out.push_back(k);
    }
    return out;
}

const exchange::OrderInfo* live_of_type(const std::vector<exchange::OrderInfo>& orders, OrderType type) {
    for (const auto& o : orders)
        if (o.type == type) return &o;
    return nullptr;
}

}  // namespace

TEST_CASE("a coin closed a minute before a crash stays in cooldown after the restart", "[bot][reconcile]") {
    Harness h;
    REQUIRE(h.settings.params.cooldown_minutes == 60);
    h.started().on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    h.advance(kMinute);
    h.sim.set_price("BTCUSDT", D("49000"));  // through the stop-loss
    h.bot->poll();
    REQUIRE(h.journal.with_status(PositionStatus::closed).size() == 1);
    h.advance(kMinute);
    h.bot.reset();  // the worker dies; nothing is open, so the positions alone say nothing about BTC

    const auto window_start = h.now - h.settings.params.cooldown_minutes * kMinute;
    auto activity = h.journal.recent_activity(window_start);
    REQUIRE(activity.count("BTCUSDT") == 1);
    h.restart().start(h.journal.live_positions(), activity);
    h.sim.set_price("BTCUSDT", D("50000"));
    h.bot->on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 85, 50000)}), 2);
    CHECK(h.journal.positions.size() == 1);  // not entered again
    auto decisions = h.journal.events_of("decision");
    REQUIRE(!decisions.empty());
    auto refused = payload(decisions.back())["refused"];
    REQUIRE(refused.size() == 1);
    CHECK(refused[0]["symbol"] == "BTCUSDT");
    CHECK(refused[0]["reason"] == "cooldown");

    // Once the cooldown has passed since the close, the coin is tradable again.
    h.advance(h.settings.params.cooldown_minutes * kMinute);
    h.bot->on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 85, 50000)}), 3);
    CHECK(h.journal.with_status(PositionStatus::open).size() == 1);
}

TEST_CASE("an adopted position gets stop-loss and take-profit at start from the klines' ATR",
          "[bot][reconcile]") {
    Harness h;
    int klines_calls = 0;
    h.settings.klines = [&](const std::string& symbol) {
        ++klines_calls;
        CHECK(symbol == "SOLUSDT");
        return exchange::Result<std::vector<exchange::Kline>>(
            hourly(h.now, h.settings.params.lookback_candles + 40, 40));
    };
    REQUIRE(h.sim.place_order(market("SOLUSDT", exchange::Side::sell, "10", "by-hand-1")));
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.adopted == 1);
    CHECK(report.rearmed == 2);
    CHECK(klines_calls == 1);
    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(open[0].adopted);
    CHECK(open[0].atr_at_entry == "3");      // only the last lookback_candles closed candles: exactly 3
    CHECK(open[0].stop_loss == D("154.5"));  // a short: 150 + 1.5 x 3
    CHECK(open[0].take_profit == D("141"));  // 150 - 3 x 3
    const auto orders = h.live_orders();
    const auto* stop = live_of_type(orders, OrderType::stop_market);
    const auto* target = live_of_type(orders, OrderType::take_profit_market);
    REQUIRE(stop);
    REQUIRE(target);
    CHECK(stop->stop_price == D("154.5"));
    CHECK(target->stop_price == D("141"));
    CHECK(h.journal.events_of("error").empty());
    // A restart finds them in place and places nothing more.
    const int placed = h.sim.placed_count();
    h.restart().start(h.journal.live_positions());
    CHECK(h.sim.placed_count() == placed);
}

TEST_CASE("without klines an adopted position is protected after the next scan, and an error says so",
          "[bot][reconcile]") {
    Harness h;
    SECTION("klines request failed") {
        h.settings.klines = [](const std::string&) -> exchange::Result<std::vector<exchange::Kline>> {
            return exchange::local_error(exchange::Outcome::unavailable, "injected outage");
        };
    }
    SECTION("too few closed candles") {
        h.settings.klines = [&](const std::string&) {
            return exchange::Result<std::vector<exchange::Kline>>(hourly(h.now, 10, 0));
        };
    }
    REQUIRE(h.sim.place_order(market("SOLUSDT", exchange::Side::sell, "10", "by-hand-1")));
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.adopted == 1);
    CHECK(report.rearmed == 0);
    CHECK(h.live_orders().empty());
    auto errors = h.journal.events_of("error");
    REQUIRE(errors.size() == 1);
    CHECK(payload(errors[0])["where"] == "adopt");
    CHECK(payload(errors[0])["message"].get<std::string>().find("after the next scan") != std::string::npos);

    h.bot->on_scan(h.scan({passing_row("SOLUSDT", Direction::long_side, 40, 150, 2.0)}), 5);
    h.bot->poll();
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);
    CHECK(count_type(h.live_orders(), OrderType::take_profit_market) == 1);
    CHECK(h.journal.with_status(PositionStatus::open).at(0).stop_loss == D("154.5"));
}

TEST_CASE("an orphan adopted while klines were down is protected at the next restart that has them",
          "[bot][reconcile]") {
    Harness h;
    bool klines_up = false;
    h.settings.klines = [&](const std::string&) -> exchange::Result<std::vector<exchange::Kline>> {
        if (!klines_up) return exchange::local_error(exchange::Outcome::unavailable, "injected outage");
        return hourly(h.now, h.settings.params.lookback_candles, 0);
    };
    REQUIRE(h.sim.place_order(market("SOLUSDT", exchange::Side::sell, "10", "by-hand-1")));
    REQUIRE(h.restart().start(h.journal.live_positions()).adopted == 1);
    CHECK(h.live_orders().empty());
    h.bot.reset();  // the worker dies before any scan

    klines_up = true;
    auto report = h.restart().start(h.journal.live_positions());
    CHECK(report.adopted == 0);
    CHECK(report.restored == 1);
    CHECK(report.rearmed == 2);
    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    CHECK(open[0].stop_loss == D("154.5"));
    CHECK(count_type(h.live_orders(), OrderType::stop_market) == 1);
    CHECK(count_type(h.live_orders(), OrderType::take_profit_market) == 1);
}
