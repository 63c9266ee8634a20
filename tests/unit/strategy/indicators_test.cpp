// Each indicator against values worked out by hand (in the comments) on small series, plus the conventions
// a user would notice: warm-up lengths, seeding, population vs sample deviation, flat and idle markets.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "strategy/indicators.h"

using namespace tradingd::strategy;
using Catch::Detail::Approx;

namespace {

std::size_t leading_nulls(const Series& s) {
    std::size_t i = 0;
    while (i < s.size() && !s[i]) ++i;
    return i;
}

bool all_set_from(const Series& s, std::size_t first) {
    for (std::size_t i = first; i < s.size(); ++i)
        if (!s[i]) return false;
    return true;
}

// Checks a series against expected values; NAN in `want` means "null here".
void check_series(const Series& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("index " << i);
        if (std::isnan(want[i])) {
            CHECK_FALSE(got[i].has_value());
        } else {
            REQUIRE(got[i].has_value());
            CHECK(*got[i] == Approx(want[i]).margin(1e-12));
        }
    }
}

const double N = NAN;
const std::vector<double> kOneToTen = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

Candle hlc(double h, double l, double c) {
    Candle k;
    k.high = h;
    k.low = l;
    k.open = c;
    k.close = c;
    return k;
}

}  // namespace

TEST_CASE("SMA(3) of 1..10 is the middle value of each window", "[indicators][sma]") {
    check_series(sma(kOneToTen, 3), {N, N, 2, 3, 4, 5, 6, 7, 8, 9});
    check_series(sma(kOneToTen, 1), kOneToTen);
}

TEST_CASE("EMA(3) of 1..10 is seeded by SMA(3) and then lags the line by one", "[indicators][ema]") {
    // alpha = 2/(3+1) = 0.5; EMA[2] = SMA(1,2,3) = 2; EMA[3] = 2 + 0.5*(4-2) = 3; a line stays 1 behind.
    check_series(ema(kOneToTen, 3), {N, N, 2, 3, 4, 5, 6, 7, 8, 9});
    // alpha = 0.4; EMA[3] = SMA(1..4) = 2.5, EMA[4] = 2.5 + 0.4*(5-2.5) = 3.5: the lag stays (n-1)/2 = 1.5.
    check_series(ema(kOneToTen, 4), {N, N, N, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5});
}

TEST_CASE("EMA's first value is the SMA of the first n values, not the first price", "[indicators][ema]") {
    // [2,4,6,8,3], n = 3, alpha = 0.5: EMA[2] = (2+4+6)/3 = 4; EMA[3] = 4 + 0.5*(8-4) = 6;
    // EMA[4] = 6 + 0.5*(3-6) = 4.5. Seeding with the first price instead would give EMA[2] = 4.5.
    check_series(ema(std::vector<double>{2, 4, 6, 8, 3}, 3), {N, N, 4, 6, 4.5});
}

TEST_CASE("RSI uses Wilder smoothing seeded by the simple mean of the first n changes", "[indicators][rsi]") {
    // closes 10 12 11 14 13 13 17, changes +2 -1 +3 -1 0 +4, n = 3.
    // i=3: avg gain (2+0+3)/3 = 5/3, avg loss (0+1+0)/3 = 1/3, RS 5, RSI 100 - 100/6 = 83.333...
    // i=4: gain (5/3*2 + 0)/3 = 10/9, loss (1/3*2 + 1)/3 = 5/9, RS 2, RSI 66.666...
    // i=5: gain 20/27, loss 10/27, RS 2, RSI 66.666...
    // i=6: gain (40/27 + 4)/3 = 148/81, loss 20/81, RS 7.4, RSI 100 - 100/8.4 = 88.095238...
    check_series(rsi(std::vector<double>{10, 12, 11, 14, 13, 13, 17}, 3),
                 {N, N, N, 100 - 100.0 / 6, 100 - 100.0 / 3, 100 - 100.0 / 3, 100 - 100 / 8.4});
}

TEST_CASE("RSI is 100 when the average loss is zero and 0 when the average gain is", "[indicators][rsi]") {
    auto up = rsi(kOneToTen, 3);
    auto down = rsi(std::vector<double>{10, 9, 8, 7, 6, 5}, 3);
    auto flat = rsi(std::vector<double>{5, 5, 5, 5, 5}, 3);
    CHECK(up.back() == 100.0);
    CHECK(down.back() == 0.0);
    CHECK(flat.back() == 100.0);  // documented: no losses at all counts as 100, as TradingView does
}

TEST_CASE("ATR starts with high-low, uses the previous close across gaps, first value at n-1",
          "[indicators][atr]") {
    // n = 3.  TR0 = 12-10 = 2 (no previous close).  TR1 = max(2, |13-11|, |11-11|) = 2.
    // TR2, gap up from close 12: max(16-15, |16-12|, |15-12|) = 4.  ATR[2] = (2+2+4)/3 = 8/3.
    // TR3, gap down from 15.5: max(1, 0.5, 1.5) = 1.5.  ATR[3] = (8/3*2 + 1.5)/3 = 41/18.
    // TR4: max(1.5, |14.5-14|, |13-14|) = 1.5.  ATR[4] = (41/18*2 + 1.5)/3 = 109/54.
    std::vector<Candle> c = {hlc(12, 10, 11), hlc(13, 11, 12), hlc(16, 15, 15.5), hlc(15, 14, 14),
                             hlc(14.5, 13, 14)};
    check_series(atr(c, 3), {N, N, 8.0 / 3, 41.0 / 18, 109.0 / 54});
}

TEST_CASE("MACD line, EMA-seeded signal and histogram on a short series", "[indicators][macd]") {
    // closes 1 3 2 6 4, fast 2 (alpha 2/3), slow 3 (alpha 1/2), signal 2.
    // EMA2: [1] = 2, [2] = 2, [3] = 2 + 2/3*4 = 14/3, [4] = 14/3 + 2/3*(4 - 14/3) = 38/9.
    // EMA3: [2] = 2, [3] = 4, [4] = 4.       line: [2] = 0, [3] = 2/3, [4] = 2/9.
    // signal = EMA2 of the line seeded by SMA(0, 2/3) = 1/3 at [3]; [4] = 1/3 + 2/3*(2/9 - 1/3) = 7/27.
    // hist: [3] = 2/3 - 1/3 = 1/3, [4] = 2/9 - 7/27 = -1/27.
    MacdSeries m = macd(std::vector<double>{1, 3, 2, 6, 4}, 2, 3, 2);
    check_series(m.line, {N, N, 0, 2.0 / 3, 2.0 / 9});
    check_series(m.signal, {N, N, N, 1.0 / 3, 7.0 / 27});
    check_series(m.hist, {N, N, N, 1.0 / 3, -1.0 / 27});
}

TEST_CASE("Bollinger bands use the population standard deviation", "[indicators][bollinger]") {
    // 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32, population sigma = sqrt(32/8) = 2
    // (the sample sigma would be sqrt(32/7) = 2.138). Bands at k = 2: 9 / 5 / 1.
    std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
    BandsSeries whole = bollinger(x, 8, 2.0);
    check_series(whole.upper, {N, N, N, N, N, N, N, 9});
    check_series(whole.middle, {N, N, N, N, N, N, N, 5});
    check_series(whole.lower, {N, N, N, N, N, N, N, 1});

    // Rolling, n = 4, k = 1: [2,4,4,4] mean 3.5, deviations^2 2.25+3*0.25 = 3, sigma sqrt(0.75);
    // [4,4,4,5] mean 4.25, 3*0.0625+0.5625 = 0.75, sigma sqrt(0.1875); [4,4,5,5] sigma 0.5;
    // [4,5,5,7] mean 5.25, 1.5625+0.0625*2+3.0625 = 4.75, sigma sqrt(1.1875); [5,5,7,9] mean 6.5, sigma
    // sqrt(2.75).
    BandsSeries rolling = bollinger(x, 4, 1.0);
    check_series(rolling.upper, {N, N, N, 3.5 + std::sqrt(0.75), 4.25 + std::sqrt(0.1875), 4.5 + 0.5,
                                 5.25 + std::sqrt(1.1875), 6.5 + std::sqrt(2.75)});
    check_series(rolling.lower, {N, N, N, 3.5 - std::sqrt(0.75), 4.25 - std::sqrt(0.1875), 4.5 - 0.5,
                                 5.25 - std::sqrt(1.1875), 6.5 - std::sqrt(2.75)});
}

TEST_CASE("Bollinger middle band is exactly the SMA of the same period", "[indicators][bollinger]") {
    std::vector<double> x;
    for (int i = 0; i < 300; ++i) x.push_back(100 + 7 * std::sin(i * 0.37) + 0.01 * i);
    Series s = sma(x, 20);
    BandsSeries b = bollinger(x, 20, 2.0);
    CHECK(b.middle == s);
}

TEST_CASE("Bollinger bands collapse exactly onto the price in a flat market", "[indicators][bollinger]") {
    Bollinger b(20, 2.0);
    for (int i = 0; i < 60; ++i)
        b.update(60000 + (i % 7) * 13.37);  // volatile first, leaving rounding residue
    std::optional<Bands> last;
    for (int i = 0; i < 20; ++i) last = b.update(61234.56);
    REQUIRE(last);
    CHECK(last->upper == last->middle);
    CHECK(last->lower == last->middle);
    CHECK(last->middle == Approx(61234.56).margin(1e-9));
}

TEST_CASE("Volume ratio divides by an average that includes the current candle", "[indicators][volume]") {
    // n = 3, volumes 10 20 30 60 0 0 0 5:
    // [2] 30 / 20 = 1.5; [3] 60 / (110/3) = 18/11; [4] 0 / 30 = 0; [5] 0 / 20 = 0;
    // [6] no trades in the window: undefined; [7] 5 / (5/3) = 3 (= n, the largest possible ratio).
    check_series(volume_ratio(std::vector<double>{10, 20, 30, 60, 0, 0, 0, 5}, 3),
                 {N, N, 1.5, 18.0 / 11, 0, 0, N, 3});
}

TEST_CASE("Warm-up lengths are exactly as documented for the strategy's periods", "[indicators][warmup]") {
    std::vector<double> x;
    std::vector<Candle> c;
    for (int i = 0; i < 120; ++i) {
        double p = 100 + 5 * std::sin(i * 0.3) + 0.1 * i;
        x.push_back(p);
        c.push_back(hlc(p + 1, p - 1, p));
    }
    struct Case {
        const char* name;
        Series s;
        std::size_t nulls;
    };
    MacdSeries m = macd(x);
    BandsSeries b = bollinger(x);
    for (const Case& k :
         {Case{"sma_20", sma(x, 20), 19}, Case{"ema_20", ema(x, 20), 19}, Case{"ema_50", ema(x, 50), 49},
          Case{"rsi_14", rsi(x), 14}, Case{"atr_14", atr(c), 13}, Case{"macd line", m.line, 25},
          Case{"macd signal", m.signal, 33}, Case{"macd hist", m.hist, 33}, Case{"bb upper", b.upper, 19},
          Case{"bb lower", b.lower, 19}, Case{"volume_ratio_20", volume_ratio(x), 19}}) {
        INFO(k.name);
        CHECK(k.s.size() == x.size());
        CHECK(leading_nulls(k.s) == k.nulls);
        CHECK(all_set_from(k.s, k.nulls));
    }
}

TEST_CASE("Fewer candles than the period give only nulls", "[indicators][warmup]") {
    std::vector<double> x = {1, 2, 3};
    CHECK(leading_nulls(sma(x, 20)) == 3);
    CHECK(leading_nulls(rsi(x)) == 3);
    CHECK(macd(x).line == Series(3));
    CHECK(sma(std::vector<double>{}, 20).empty());
}

TEST_CASE("A zero period is refused", "[indicators]") {
    CHECK_THROWS_AS(Sma(0), std::invalid_argument);
    CHECK_THROWS_AS(Ema(0), std::invalid_argument);
    CHECK_THROWS_AS(Rsi(0), std::invalid_argument);
    CHECK_THROWS_AS(Atr(0), std::invalid_argument);
    CHECK_THROWS_AS(Macd(12, 0, 9), std::invalid_argument);
    CHECK_THROWS_AS(Bollinger(20, -1), std::invalid_argument);
}
