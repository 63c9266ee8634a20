// The scan entry point end to end: one row per analysed symbol with its first failing reason, no look-ahead,
// bit-for-bit determinism, and each bot's decisions taking slots and margin in priority order.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <set>

#include "market_fixtures.h"
#include "strategy/scan.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;
using money::Decimal;

namespace {

// Six coins, one per global outcome, ranked by volume in this order.
struct Market {
    UniverseInput input;
    CandlesBySymbol candles;
    exchange::TimeMs now = 0;
};

Market crafted_market() {
    Market m;
    const std::vector<std::pair<std::string, std::vector<Candle>>> coins = {
        {"AAA", steady_trend(200, 0.15)},         // passes, LONG
        {"BBB", steady_trend(200, -0.3, 200.0)},  // passes, SHORT with a higher score
        {"CCC", steady_trend(200, 0.3)},          // long_85_plus
        {"DDD", two_legs(190, 0.2, 10, -1.0)},    // ma_slope
        {"EEE", steady_trend(200, 0.05)},         // score_too_low
        {"FFF", steady_trend(40, 0.1)},           // insufficient_data
        {"GGG", steady_trend(200, 0.2)},          // skip_coin (would pass otherwise)
    };
    double volume = 1e9;
    for (const auto& [base, series] : coins) {
        m.input.symbols.push_back(perpetual(base));
        m.input.tickers.push_back(ticker(base + "USDT", volume));
        // Every series ends at the same hour, as a fetch of the latest candles would.
        auto& aligned = m.candles[base + "USDT"] = series;
        const auto shift = static_cast<std::int64_t>(200 - aligned.size()) * kHourMs;
        for (auto& c : aligned) {
            c.open_time_ms += shift;
            c.close_time_ms += shift;
        }
        volume /= 2;
    }
    m.input.symbols.push_back(perpetual("HHH"));  // in the universe, but no candles were fetched
    m.input.tickers.push_back(ticker("HHHUSDT", 1));
    m.now = after_close(m.candles["AAAUSDT"]);
    return m;
}

StrategyParams params_skipping_ggg() {
    StrategyParams p;
    p.skip_coins = {"ggg"};
    return p;
}

std::optional<Reason> reason_of(const ScanRow& row) {
    return row.failure ? std::optional<Reason>(row.failure->reason) : std::nullopt;
}

const ScanRow& row_for(const ScanResult& scan, const std::string& symbol) {
    const auto it = std::find_if(scan.rows.begin(), scan.rows.end(),
                                 [&](const ScanRow& r) { return r.symbol == symbol; });
    REQUIRE(it != scan.rows.end());
    return *it;
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every field of two scans, doubles compared bit for bit.
void require_identical(const ScanResult& a, const ScanResult& b) {
    REQUIRE(a.scan_time_ms == b.scan_time_ms);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
        const ScanRow &x = a.rows[i], &y = b.rows[i];
        INFO("row " << i << " " << x.symbol);
        CHECK(x.symbol == y.symbol);
        CHECK(x.volume_rank == y.volume_rank);
        CHECK(reason_of(x) == reason_of(y));
        CHECK((x.failure ? x.failure->detail : "") == (y.failure ? y.failure->detail : ""));
        REQUIRE(x.signal.has_value() == y.signal.has_value());
        if (!x.signal) continue;
        const Signal &s = *x.signal, &t = *y.signal;
        CHECK(s.score == t.score);
        CHECK(s.direction == t.direction);
        for (auto [p, q] : {std::pair{s.components.trend, t.components.trend},
                            {s.components.momentum, t.components.momentum},
                            {s.components.volatility, t.components.volatility},
                            {s.components.volume, t.components.volume},
                            {s.indicators.ema20, t.indicators.ema20},
                            {s.indicators.ema50, t.indicators.ema50},
                            {s.indicators.ma_slope, t.indicators.ma_slope},
                            {s.indicators.rsi14, t.indicators.rsi14},
                            {s.indicators.macd_hist, t.indicators.macd_hist},
                            {s.indicators.atr14, t.indicators.atr14},
                            {s.indicators.volume_ratio, t.indicators.volume_ratio}}) {
            CHECK(same_bits(p, q));
        }
    }
}

BotView roomy_bot(int max_positions) {
    BotView bot;
    bot.equity = Decimal::parse("1000");
    bot.available_margin = Decimal::parse("1000");
    bot.risk.equity_fraction = Decimal::parse("0.1");
    bot.risk.max_open_positions = max_positions;
    return bot;
}

}  // namespace

TEST_CASE("a scan has one row per analysed symbol, in volume order, with its first failing reason",
          "[scan]") {
    const Market m = crafted_market();
    const ScanResult scan = strategy::scan(m.input, m.candles, params_skipping_ggg(), m.now);
    std::vector<std::string> order;
    for (const auto& row : scan.rows) order.push_back(row.symbol);
    CHECK(order == std::vector<std::string>{"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT", "FFFUSDT",
                                            "GGGUSDT", "HHHUSDT"});
    CHECK(row_for(scan, "AAAUSDT").passed());
    CHECK(row_for(scan, "BBBUSDT").passed());
    CHECK(row_for(scan, "BBBUSDT").signal->direction == Direction::short_side);
    CHECK(reason_of(row_for(scan, "CCCUSDT")) == Reason::long_85_plus);
    CHECK(reason_of(row_for(scan, "DDDUSDT")) == Reason::ma_slope);
    CHECK(reason_of(row_for(scan, "EEEUSDT")) == Reason::score_too_low);
    CHECK(reason_of(row_for(scan, "FFFUSDT")) == Reason::insufficient_data);
    CHECK_FALSE(row_for(scan, "FFFUSDT").signal);
    CHECK(reason_of(row_for(scan, "GGGUSDT")) == Reason::skip_coin);
    CHECK_FALSE(row_for(scan, "GGGUSDT").signal);
    CHECK(reason_of(row_for(scan, "HHHUSDT")) == Reason::insufficient_data);
    CHECK(row_for(scan, "EEEUSDT").signal->score > 0);  // a failed row still shows its score
    CHECK(scan.scan_time_ms == m.now);
}

TEST_CASE("the same inputs give the same scan, bit for bit, in any input order", "[scan][determinism]") {
    Market m = crafted_market();
    const auto p = params_skipping_ggg();
    const ScanResult first = strategy::scan(m.input, m.candles, p, m.now);
    require_identical(first, strategy::scan(m.input, m.candles, p, m.now));
    std::reverse(m.input.symbols.begin(), m.input.symbols.end());
    std::rotate(m.input.tickers.begin(), m.input.tickers.begin() + 3, m.input.tickers.end());
    require_identical(first, strategy::scan(m.input, m.candles, p, m.now));
}

TEST_CASE("a candle that has not closed by the scan time is never used", "[scan][lookahead]") {
    Market m = crafted_market();
    const auto p = params_skipping_ggg();
    const ScanResult before = strategy::scan(m.input, m.candles, p, m.now);
    // The exchange also returns the open candle; a wild one must change nothing until it closes.
    for (auto& [symbol, candles] : m.candles) push_candle(candles, 25.0, 5.0, 50'000);
    const ScanResult with_open = strategy::scan(m.input, m.candles, p, m.now);
    require_identical(before, with_open);
    // A backtest holding the whole future: scanning at candle 150's close sees candles 0..150 only.
    const auto full = steady_trend(300, 0.1);
    const std::vector<Candle> past(full.begin(), full.begin() + 151);
    const UniverseInput one{{perpetual("AAA")}, {ticker("AAAUSDT", 1)}};
    require_identical(strategy::scan(one, {{"AAAUSDT", past}}, {}, after_close(past)),
                      strategy::scan(one, {{"AAAUSDT", full}}, {}, after_close(past)));
    CHECK(strategy::scan(one, {{"AAAUSDT", full}}, {}, after_close(past))
              .rows[0]
              .signal->indicators.candle_open_time_ms == past.back().open_time_ms);
}

TEST_CASE("with one slot left only the best passing signal enters", "[scan][bot]") {
    const Market m = crafted_market();
    const ScanResult scan = strategy::scan(m.input, m.candles, params_skipping_ggg(), m.now);
    BotView bot = roomy_bot(3);
    bot.open_symbols = {"XXXUSDT", "YYYUSDT"};
    const BotDecisions d = apply_bot_filters(scan, bot, params_skipping_ggg());
    REQUIRE(d.decisions.size() == scan.rows.size());
    // BBB (SHORT) outscores AAA, so BBB takes the slot although AAA has more volume.
    REQUIRE(d.entries.size() == 1);
    CHECK(d.decisions[d.entries[0]].symbol == "BBBUSDT");
    CHECK(d.decisions[0].symbol == "AAAUSDT");
    REQUIRE(d.decisions[0].failure);
    CHECK(d.decisions[0].failure->reason == Reason::max_positions);
    // Rows that failed a global filter keep that reason for every bot.
    CHECK(d.decisions[2].failure->reason == Reason::long_85_plus);
    CHECK(d.decisions[6].failure->reason == Reason::skip_coin);
}

TEST_CASE("entries are listed best first and each takes its margin", "[scan][bot]") {
    const Market m = crafted_market();
    const ScanResult scan = strategy::scan(m.input, m.candles, params_skipping_ggg(), m.now);
    BotView bot = roomy_bot(10);
    const BotDecisions both = apply_bot_filters(scan, bot, params_skipping_ggg());
    REQUIRE(both.entries.size() == 2);
    CHECK(both.decisions[both.entries[0]].symbol == "BBBUSDT");
    CHECK(both.decisions[both.entries[1]].symbol == "AAAUSDT");

    bot.available_margin = Decimal::parse("150");  // one position's 100 USDT, not two
    const BotDecisions one = apply_bot_filters(scan, bot, params_skipping_ggg());
    REQUIRE(one.entries.size() == 1);
    CHECK(one.decisions[0].failure->reason == Reason::insufficient_margin);
}

TEST_CASE("every filter reason is produced by some crafted case", "[scan][reasons]") {
    const Market m = crafted_market();
    const auto p = params_skipping_ggg();
    const ScanResult scan = strategy::scan(m.input, m.candles, p, m.now);
    std::set<Reason> seen;
    auto collect = [&](const BotDecisions& d) {
        for (const auto& decision : d.decisions)
            if (decision.failure) seen.insert(decision.failure->reason);
    };
    BotView full = roomy_bot(1);
    full.open_symbols = {"ZZZUSDT"};
    collect(apply_bot_filters(scan, full, p));
    BotView holding = roomy_bot(5);
    holding.open_symbols = {"AAAUSDT"};
    holding.last_activity_ms["BBBUSDT"] = scan.scan_time_ms - 5 * 60'000;
    collect(apply_bot_filters(scan, holding, p));
    BotView poor = roomy_bot(5);
    poor.available_margin = Decimal::parse("10");
    collect(apply_bot_filters(scan, poor, p));
    CHECK(seen == std::set<Reason>(kFilterOrder.begin(), kFilterOrder.end()));
}

TEST_CASE("invalid params or risk settings are refused before scanning", "[scan]") {
    const Market m = crafted_market();
    StrategyParams bad;
    bad.min_candles = 20;
    CHECK_THROWS_AS(strategy::scan(m.input, m.candles, bad, m.now), std::invalid_argument);
    BotView bot = roomy_bot(0);
    CHECK_THROWS_AS(apply_bot_filters(strategy::scan(m.input, m.candles, {}, m.now), bot, {}),
                    std::invalid_argument);
}

TEST_CASE("a kline becomes the same candle", "[scan]") {
    exchange::Kline k;
    k.open_time = 1;
    k.open = 2;
    k.high = 3;
    k.low = 1.5;
    k.close = 2.5;
    k.volume = 10;
    k.close_time = 60'000;
    k.quote_volume = 25;
    const Candle c = to_candle(k);
    CHECK(c.open_time_ms == 1);
    CHECK(c.close_time_ms == 60'000);
    CHECK(c.high == 3);
    CHECK(c.low == 1.5);
    CHECK(c.close == 2.5);
    CHECK(c.volume == 10);
    CHECK(c.quote_volume == 25);
}
