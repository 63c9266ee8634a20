// The signal filters: stable reason words, the fixed order (the first failure is the one reported), and a
// crafted market or bot state for each reason.
#include <catch2/catch.hpp>
#include <set>
#include <variant>

#include "market_fixtures.h"
#include "strategy/signal_filters.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;
using money::Decimal;

namespace {

Signal made_up(Direction direction, int score, double ma_slope) {
    Signal s;
    s.symbol = "TESTUSDT";
    s.direction = direction;
    s.score = score;
    s.indicators.ma_slope = ma_slope;
    return s;
}

std::optional<Reason> global_reason(const Signal& s, const StrategyParams& p = {}) {
    const auto failure = global_filters(s, p);
    return failure ? std::optional<Reason>(failure->reason) : std::nullopt;
}

Signal scored(const std::vector<Candle>& candles) {
    auto outcome = score_symbol("TESTUSDT", candles, StrategyParams{});
    REQUIRE(std::holds_alternative<Signal>(outcome));
    return std::get<Signal>(outcome);
}

BotView bot_with(std::vector<std::string> open, int max_positions = 3) {
    BotView bot;
    bot.open_symbols = std::move(open);
    bot.equity = Decimal::parse("1000");
    bot.available_margin = Decimal::parse("1000");
    bot.risk.equity_fraction = Decimal::parse("0.1");
    bot.risk.max_open_positions = max_positions;
    return bot;
}

constexpr exchange::TimeMs kNow = kT0 + 500 * kHourMs;

std::optional<Reason> bot_reason(const BotView& bot, const std::string& symbol = "SOLUSDT", int entries = 0,
                                 Decimal committed = {}) {
    const auto failure = bot_filters(symbol, bot, StrategyParams{}, kNow, entries, committed);
    return failure ? std::optional<Reason>(failure->reason) : std::nullopt;
}

}  // namespace

TEST_CASE("reason codes are fixed words in the documented order, each with its own label", "[filters]") {
    std::vector<std::string> codes;
    std::set<std::string_view> labels;
    for (Reason r : kFilterOrder) {
        codes.emplace_back(reason_code(r));
        labels.insert(reason_label(r));
        CHECK(parse_reason_code(reason_code(r)) == r);
    }
    CHECK(codes == std::vector<std::string>{"skip_coin", "insufficient_data", "long_85_plus", "ma_slope",
                                            "score_too_low", "max_positions", "already_in_position",
                                            "cooldown", "insufficient_margin"});
    CHECK(labels.size() == kFilterOrder.size());
    CHECK_FALSE(labels.count(""));
    CHECK_FALSE(parse_reason_code("Score_too_low").has_value());
}

TEST_CASE("global filters report the first failure in order", "[filters][order]") {
    // A LONG at 90 with a falling MA fails both long_85_plus and ma_slope: the earlier one is reported.
    CHECK(global_reason(made_up(Direction::long_side, 90, -1.0)) == Reason::long_85_plus);
    // A LONG at 60 with a falling MA fails ma_slope and score_too_low.
    CHECK(global_reason(made_up(Direction::long_side, 60, -1.0)) == Reason::ma_slope);
    CHECK(global_reason(made_up(Direction::long_side, 60, 1.0)) == Reason::score_too_low);
}

TEST_CASE("long_85_plus skips only LONGs, from 85 up", "[filters][long_85_plus]") {
    CHECK(global_reason(made_up(Direction::long_side, 85, 1.0)) == Reason::long_85_plus);
    CHECK(global_reason(made_up(Direction::long_side, 100, 1.0)) == Reason::long_85_plus);
    CHECK_FALSE(global_reason(made_up(Direction::long_side, 84, 1.0)));
    CHECK_FALSE(global_reason(made_up(Direction::short_side, 95, -1.0)));
    StrategyParams off;
    off.long_skip_score = 101;
    CHECK_FALSE(global_reason(made_up(Direction::long_side, 100, 1.0), off));
}

TEST_CASE("the entry threshold itself passes; one below it is score_too_low", "[filters][score_too_low]") {
    CHECK_FALSE(global_reason(made_up(Direction::short_side, 70, -1.0)));
    CHECK(global_reason(made_up(Direction::short_side, 69, -1.0)) == Reason::score_too_low);
    const auto failure = global_filters(made_up(Direction::short_side, 64, -1.0), StrategyParams{});
    REQUIRE(failure);
    CHECK(failure->detail == "score 64 is below the entry threshold 70");
}

TEST_CASE("a flat moving average agrees with neither direction", "[filters][ma_slope]") {
    CHECK(global_reason(made_up(Direction::long_side, 75, 0.0)) == Reason::ma_slope);
    CHECK(global_reason(made_up(Direction::short_side, 75, 0.0)) == Reason::ma_slope);
    CHECK(global_reason(made_up(Direction::short_side, 75, 0.5)) == Reason::ma_slope);
}

TEST_CASE("crafted markets produce each global reason", "[filters][crafted]") {
    // A steep, clean rally: LONG in the 85+ zone.
    const Signal rally = scored(steady_trend(200, 0.3));
    CHECK(rally.score >= 85);
    CHECK(global_reason(rally) == Reason::long_85_plus);
    // The same steepness down is a SHORT and passes: the 85 rule is for LONGs only.
    CHECK_FALSE(global_reason(scored(steady_trend(200, -0.3, 200.0))));
    // A rally that has just rolled over: EMA20 is still above EMA50, but EMA50 already turned down.
    const Signal rolled_over = scored(two_legs(190, 0.2, 10, -1.0));
    CHECK(rolled_over.direction == Direction::long_side);
    CHECK(rolled_over.indicators.ma_slope < 0);
    CHECK(global_reason(rolled_over) == Reason::ma_slope);
    // And the mirror: a decline that bounced, still SHORT by the EMAs with EMA50 turning up.
    const Signal bounced = scored(two_legs(190, -0.2, 10, 1.0));
    CHECK(bounced.direction == Direction::short_side);
    CHECK(global_reason(bounced) == Reason::ma_slope);
    // A slow grind up: the slope agrees, the score does not reach 70.
    const Signal grind = scored(steady_trend(200, 0.05));
    CHECK(grind.indicators.ma_slope > 0);
    CHECK(global_reason(grind) == Reason::score_too_low);
    // A healthy trend passes.
    const Signal healthy = scored(steady_trend(200, 0.15));
    CHECK(healthy.score >= 70);
    CHECK(healthy.score < 85);
    CHECK_FALSE(global_reason(healthy));
}

TEST_CASE("per-bot filters: a full bot is max_positions before anything else", "[filters][bot]") {
    CHECK(bot_reason(bot_with({"BTCUSDT", "ETHUSDT", "SOLUSDT"})) == Reason::max_positions);
    CHECK(bot_reason(bot_with({"BTCUSDT", "ETHUSDT"}), "ETHUSDT") == Reason::already_in_position);
    CHECK_FALSE(bot_reason(bot_with({"BTCUSDT", "ETHUSDT"}), "XRPUSDT"));
    // Entries accepted earlier in the same scan take slots too.
    CHECK(bot_reason(bot_with({"BTCUSDT"}), "XRPUSDT", 2) == Reason::max_positions);
}

TEST_CASE("cooldown holds a symbol for cooldown_minutes after this bot traded it", "[filters][cooldown]") {
    BotView bot = bot_with({});
    bot.last_activity_ms["SOLUSDT"] = kNow - 59 * 60'000;
    const auto failure = bot_filters("SOLUSDT", bot, StrategyParams{}, kNow, 0, {});
    REQUIRE(failure);
    CHECK(failure->reason == Reason::cooldown);
    CHECK(failure->detail == "last traded 59 min ago, 1 min of cooldown left");
    bot.last_activity_ms["SOLUSDT"] = kNow - 60 * 60'000;
    CHECK_FALSE(bot_reason(bot));
    CHECK_FALSE(bot_reason(bot, "ADAUSDT"));  // other symbols are not held back
}

TEST_CASE("insufficient_margin when available margin cannot cover one more position's margin",
          "[filters][margin]") {
    BotView bot = bot_with({});  // equity 1000 x 0.1 = 100 USDT per position
    CHECK(margin_per_position(bot.equity, bot.risk) == Decimal::parse("100"));
    bot.available_margin = Decimal::parse("100");
    CHECK_FALSE(bot_reason(bot));
    bot.available_margin = Decimal::parse("99.99");
    const auto failure = bot_filters("SOLUSDT", bot, StrategyParams{}, kNow, 0, {});
    REQUIRE(failure);
    CHECK(failure->reason == Reason::insufficient_margin);
    CHECK(failure->detail == "needs 100 USDT margin, 99.99 USDT available");
    // Margin promised to earlier entries of the same scan is not available again.
    bot.available_margin = Decimal::parse("150");
    CHECK(bot_reason(bot, "SOLUSDT", 1, Decimal::parse("100")) == Reason::insufficient_margin);
    // No equity, no position, however much margin the exchange reports.
    bot.equity = Decimal();
    CHECK(bot_reason(bot) == Reason::insufficient_margin);
}
