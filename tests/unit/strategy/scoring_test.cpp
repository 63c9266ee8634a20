// Scoring on crafted markets: trends score high in their direction, flat markets low, stronger trends never
// lower; plus the component shapes, the weights, the window, and the insufficient-data outcomes.
#include <catch2/catch.hpp>
#include <cmath>
#include <variant>

#include "market_fixtures.h"
#include "strategy/scoring.h"

using namespace tradingd::strategy;
using namespace tradingd::strategy::test;
using Catch::Detail::Approx;

namespace {

Signal signal_of(const std::vector<Candle>& candles, const StrategyParams& params = {}) {
    auto outcome = score_symbol("TESTUSDT", candles, params);
    REQUIRE(std::holds_alternative<Signal>(outcome));
    return std::get<Signal>(outcome);
}

InsufficientData missing_of(const std::vector<Candle>& candles, const StrategyParams& params = {}) {
    auto outcome = score_symbol("TESTUSDT", candles, params);
    REQUIRE(std::holds_alternative<InsufficientData>(outcome));
    return std::get<InsufficientData>(outcome);
}

}  // namespace

TEST_CASE("a clean uptrend scores high and LONG", "[scoring]") {
    const Signal s = signal_of(steady_trend(200, 0.3));
    CHECK(s.direction == Direction::long_side);
    CHECK(s.score >= 80);
    CHECK(s.components.trend == 100.0);
    CHECK(s.indicators.ema20 > s.indicators.ema50);
    CHECK(s.indicators.ma_slope > 0);
    CHECK(s.symbol == "TESTUSDT");
}

TEST_CASE("a clean downtrend scores high and SHORT", "[scoring]") {
    const Signal s = signal_of(steady_trend(200, -0.3, 200.0));
    CHECK(s.direction == Direction::short_side);
    CHECK(s.score >= 80);
    CHECK(s.components.trend == 100.0);
    CHECK(s.indicators.ma_slope < 0);
}

TEST_CASE("a choppy market going nowhere scores far below the entry threshold", "[scoring]") {
    const Signal s = signal_of(choppy_flat(200));
    CHECK(s.score < 40);
    CHECK(s.components.trend < 5);
}

TEST_CASE("a stronger trend never scores lower", "[scoring]") {
    // ATR% stays inside the healthy band for every drift here, so only trend strength changes.
    int previous_score = -1;
    double previous_trend = -1;
    for (double drift : {0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5}) {
        INFO("drift " << drift);
        const Signal s = signal_of(steady_trend(200, drift));
        CHECK(s.score >= previous_score);
        CHECK(s.components.trend >= previous_trend);
        previous_score = s.score;
        previous_trend = s.components.trend;
    }
    CHECK(signal_of(steady_trend(200, 0.01)).score < 50);
    CHECK(signal_of(steady_trend(200, 0.5)).score > 80);
}

TEST_CASE("a mirrored market gets the mirrored direction and the same trend and momentum", "[scoring]") {
    // Reflecting prices (x -> 400 - x) keeps every true range and volume, and flips every direction.
    const auto up = steady_trend(200, 0.2);
    auto down = up;
    for (auto& c : down) {
        const double high = c.high;
        c.open = 400 - c.open;
        c.close = 400 - c.close;
        c.high = 400 - c.low;
        c.low = 400 - high;
    }
    const Signal a = signal_of(up), b = signal_of(down);
    CHECK(a.direction == Direction::long_side);
    CHECK(b.direction == Direction::short_side);
    CHECK(a.components.trend == Approx(b.components.trend).margin(1e-9));
    CHECK(a.components.momentum == Approx(b.components.momentum).margin(1e-9));
    CHECK(a.components.volume == b.components.volume);
}

TEST_CASE("a perfectly flat market with a range is LONG by the tie rule and has no trend or RSI momentum",
          "[scoring]") {
    // Every close is 100 with a 1.0 range: EMA20 == EMA50 and the slope is exactly 0, so the tie rule picks
    // LONG. RSI reads 100 by convention but scores as neutral, leaving only the MACD histogram's neutral
    // half.
    std::vector<Candle> candles;
    for (int i = 0; i < 200; ++i) push_candle(candles, 0.0);
    const Signal s = signal_of(candles);
    CHECK(s.direction == Direction::long_side);
    CHECK(s.components.trend == 0.0);
    CHECK(s.components.momentum == 12.5);
    CHECK(s.score == 29);  // 0.30 x 12.5 + 0.15 x 100 + 0.20 x 50 = 28.75
}

TEST_CASE("the score is the weighted sum of the components, rounded half up", "[scoring][weights]") {
    const Signal s = signal_of(steady_trend(200, 0.1));
    const auto& c = s.components;
    CHECK(s.score == static_cast<int>(std::floor(0.35 * c.trend + 0.30 * c.momentum + 0.15 * c.volatility +
                                                 0.20 * c.volume + 0.5)));

    StrategyParams trend_only;
    trend_only.weight_trend_pct = 100;
    trend_only.weight_momentum_pct = trend_only.weight_volatility_pct = trend_only.weight_volume_pct = 0;
    CHECK(signal_of(steady_trend(200, 0.1), trend_only).score == static_cast<int>(std::floor(c.trend + 0.5)));

    const StrategyParams defaults;
    CHECK(combine({10, 20, 30, 40}, defaults) == 22);  // 3.5 + 6 + 4.5 + 8
    CHECK(combine({10, 0, 0, 0}, defaults) == 4);      // 3.5 rounds up
    CHECK(combine({100, 100, 100, 100}, defaults) == 100);
    CHECK(combine({0, 0, 0, 0}, defaults) == 0);
}

TEST_CASE("weights that do not add up to 100 are refused", "[scoring][weights]") {
    StrategyParams p;
    CHECK(validate(p).empty());
    p.weight_volume_pct = 25;  // 105 in all
    const auto problems = validate(p);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("add up to 105"));
    CHECK_THROWS_AS(score_symbol("TESTUSDT", steady_trend(200, 0.1), p), std::invalid_argument);
}

TEST_CASE("volatility scores 100 inside the healthy ATR band and falls to 0 when too quiet or too wild",
          "[scoring][volatility]") {
    const StrategyParams p;  // band 0.20 % .. 0.40 % .. 2.50 % .. 5.00 %
    CHECK(volatility_component(0.1, p) == 0);
    CHECK(volatility_component(0.2, p) == 0);
    CHECK(volatility_component(0.3, p) == Approx(50));
    CHECK(volatility_component(0.4, p) == 100);
    CHECK(volatility_component(1.0, p) == 100);
    CHECK(volatility_component(2.5, p) == 100);
    CHECK(volatility_component(3.75, p) == Approx(50));
    CHECK(volatility_component(5.0, p) == 0);
    CHECK(volatility_component(12.0, p) == 0);
}

TEST_CASE("volume scores 50 for an average candle, 0 at half of it and 100 from one and a half times",
          "[scoring][volume]") {
    CHECK(volume_component(0.2) == 0);
    CHECK(volume_component(0.5) == 0);
    CHECK(volume_component(0.75) == Approx(25));
    CHECK(volume_component(1.0) == Approx(50));
    CHECK(volume_component(1.5) == 100);
    CHECK(volume_component(6.0) == 100);
}

TEST_CASE("a volume spike on the last candle raises the score of the same trend", "[scoring][volume]") {
    auto quiet = steady_trend(200, 0.1);
    auto spike = quiet;
    spike.back().volume = 3000;
    const Signal a = signal_of(quiet), b = signal_of(spike);
    CHECK(a.components.volume == Approx(50));
    CHECK(b.components.volume == 100);
    CHECK(b.score > a.score);
    CHECK(b.indicators.volume_ratio > 2.5);
}

TEST_CASE("too few closed candles is insufficient data, not a score", "[scoring][insufficient]") {
    const auto missing = missing_of(steady_trend(99, 0.3));
    CHECK(missing.symbol == "TESTUSDT");
    CHECK(missing.candles == 99);
    CHECK(missing.needed == 100);
    CHECK_THAT(missing.detail, Catch::Contains("99 closed candles, 100 needed"));
    CHECK(signal_of(steady_trend(100, 0.3)).indicators.candles_used == 100);
    CHECK(missing_of({}).candles == 0);
}

TEST_CASE("a window without volume or without any price movement is insufficient data",
          "[scoring][insufficient]") {
    auto idle = steady_trend(200, 0.1);
    for (std::size_t i = 180; i < idle.size(); ++i) idle[i].volume = 0;
    CHECK_THAT(missing_of(idle).detail, Catch::Contains("no trading volume"));

    std::vector<Candle> frozen;
    for (int i = 0; i < 200; ++i) push_candle(frozen, 0.0, 0.0);
    CHECK_THAT(missing_of(frozen).detail, Catch::Contains("did not move"));
}

TEST_CASE("only the last lookback_candles count, so a long history scores like the live fetch",
          "[scoring][window]") {
    // A wavy market, so an EMA started earlier would still differ in its last bits.
    std::vector<Candle> history;
    for (int i = 0; i < 500; ++i) push_candle(history, 0.05 + 0.4 * std::sin(i / 7.0));
    const std::vector<Candle> live(history.end() - 200, history.end());
    const Signal a = signal_of(history), b = signal_of(live);
    CHECK(a.score == b.score);
    CHECK(a.components.trend == b.components.trend);
    CHECK(a.components.momentum == b.components.momentum);
    CHECK(a.indicators.ema50 == b.indicators.ema50);
    CHECK(a.indicators.macd_hist == b.indicators.macd_hist);
    CHECK(a.indicators.candles_used == 200);

    StrategyParams longer;
    longer.lookback_candles = 500;
    CHECK(signal_of(history, longer).indicators.ema50 != a.indicators.ema50);
}

TEST_CASE("a signal carries the indicator values it was scored from", "[scoring]") {
    // Drift 0.2 with a 0.5 wick: every true range is 1.2, so ATR(14) is exactly 1.2.
    const auto candles = steady_trend(200, 0.2);
    const Signal s = signal_of(candles);
    CHECK(s.indicators.close == candles.back().close);
    CHECK(s.indicators.candle_open_time_ms == candles.back().open_time_ms);
    CHECK(s.indicators.atr14 == Approx(1.2));
    CHECK(s.indicators.atr_pct == Approx(1.2 / candles.back().close * 100));
    CHECK(s.indicators.rsi14 == 100);
    CHECK(s.indicators.volume_ratio == Approx(1.0));
    // EMA50 moves with the price once converged: 10 candles x 0.2.
    CHECK(s.indicators.ma_slope == Approx(2.0).epsilon(1e-6));
    CHECK(s.indicators.macd_hist == Approx(0).margin(1e-9));
    CHECK(s.indicators.macd_line == Approx(0.2 * (25.0 - 11.0) / 2).epsilon(1e-6));
}
