// The scanner's broadcast format: a scan survives scan_to_json -> scan_from_json bit for bit (every reason
// code, awkward doubles, absent signals), and malformed documents are refused with the field named.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "market_fixtures.h"
#include "strategy/scan.h"
#include "strategy/scan_json.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;

namespace {

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

Signal awkward_signal(const std::string& symbol, Direction direction, int score) {
    Signal s;
    s.symbol = symbol;
    s.score = score;
    s.direction = direction;
    s.components = {0.1 + 0.2, 100.0 / 3.0, std::nextafter(50.0, 100.0), 0.0};
    SignalIndicators& i = s.indicators;
    i.candle_open_time_ms = 1'733'040'000'000;
    i.candles_used = 200;
    i.close = 0.000012345678901234;  // a sub-cent coin: digits far below 1e-6 matter for its stops
    i.ema20 = 98765.43210987654;
    i.ema50 = 98765.43210987653;
    i.ma_slope = -1e-300;
    i.rsi14 = 5e-324;  // the smallest denormal
    i.macd_line = std::numeric_limits<double>::max();
    i.macd_signal = -std::numeric_limits<double>::min();
    i.macd_hist = 1.0 / 7.0;
    i.atr14 = 0.000000123456789;
    i.atr_pct = 1.0000000000000002;
    i.volume_ratio = 123456789.123456789;
    return s;
}

// One row per reason code (per-bot ones included, as a bot's decision rows carry them), plus a passed row.
ScanResult every_reason() {
    ScanResult scan;
    scan.scan_time_ms = 1'733'043'600'000;
    int rank = 1;
    for (const Reason reason : kFilterOrder) {
        ScanRow row;
        row.symbol = std::string(reason_code(reason)).substr(0, 5) + "USDT";
        row.volume_rank = rank++;
        row.quote_volume = 1e10 / rank + 0.1;
        const bool scored = reason != Reason::skip_coin && reason != Reason::insufficient_data;
        if (scored)
            row.signal = awkward_signal(row.symbol, rank % 2 ? Direction::long_side : Direction::short_side,
                                        40 + rank);
        row.failure =
            FilterFailure{reason, "detail for " + std::string(reason_code(reason)) + " \"quoted\" ünïcode"};
        scan.rows.push_back(row);
    }
    ScanRow passed;
    passed.symbol = "BTCUSDT";
    passed.volume_rank = rank;
    passed.quote_volume = 0;
    passed.signal = awkward_signal("BTCUSDT", Direction::short_side, 100);
    scan.rows.push_back(passed);
    return scan;
}

void require_bit_identical(const ScanResult& a, const ScanResult& b) {
    REQUIRE(a.scan_time_ms == b.scan_time_ms);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t r = 0; r < a.rows.size(); ++r) {
        const ScanRow &x = a.rows[r], &y = b.rows[r];
        INFO(x.symbol);
        REQUIRE(x.symbol == y.symbol);
        REQUIRE(x.volume_rank == y.volume_rank);
        REQUIRE(same_bits(x.quote_volume, y.quote_volume));
        REQUIRE(x.passed() == y.passed());
        if (x.failure) {
            REQUIRE(x.failure->reason == y.failure->reason);
            REQUIRE(x.failure->detail == y.failure->detail);
        }
        REQUIRE(x.signal.has_value() == y.signal.has_value());
        if (!x.signal) continue;
        const Signal &s = *x.signal, &t = *y.signal;
        REQUIRE(t.symbol == x.symbol);
        REQUIRE(s.score == t.score);
        REQUIRE(s.direction == t.direction);
        const double xs[] = {s.components.trend,     s.components.momentum,    s.components.volatility,
                             s.components.volume,    s.indicators.close,       s.indicators.ema20,
                             s.indicators.ema50,     s.indicators.ma_slope,    s.indicators.rsi14,
                             s.indicators.macd_line, s.indicators.macd_signal, s.indicators.macd_hist,
                             s.indicators.atr14,     s.indicators.atr_pct,     s.indicators.volume_ratio};
        const double ys[] = {t.components.trend,     t.components.momentum,    t.components.volatility,
                             t.components.volume,    t.indicators.close,       t.indicators.ema20,
                             t.indicators.ema50,     t.indicators.ma_slope,    t.indicators.rsi14,
                             t.indicators.macd_line, t.indicators.macd_signal, t.indicators.macd_hist,
                             t.indicators.atr14,     t.indicators.atr_pct,     t.indicators.volume_ratio};
        for (std::size_t k = 0; k < std::size(xs); ++k) REQUIRE(same_bits(xs[k], ys[k]));
        REQUIRE(s.indicators.candle_open_time_ms == t.indicators.candle_open_time_ms);
        REQUIRE(s.indicators.candles_used == t.indicators.candles_used);
    }
}

}  // namespace

TEST_CASE("scan_json: a crafted scan with every reason code round-trips bit for bit", "[scan_json]") {
    const ScanResult scan = every_reason();
    std::int64_t scan_id = 0;
    const ScanResult back = scan_from_json(scan_to_json(scan, 9'007'199'254'740'993), &scan_id);
    CHECK(scan_id == 9'007'199'254'740'993);  // above 2^53: a double would have lost it
    require_bit_identical(scan, back);
    CHECK(same_scan(scan, back));
    // and a second trip gives the same text, so the broadcast is stable
    CHECK(scan_to_json(back, 1) == scan_to_json(scan, 1));
}

TEST_CASE("scan_json: a real scan round-trips and keeps what the bots size and exit on", "[scan_json]") {
    UniverseInput input;
    CandlesBySymbol candles;
    const std::vector<std::pair<std::string, std::vector<Candle>>> coins = {
        {"AAA", steady_trend(200, 0.15)}, {"BBB", steady_trend(200, -0.3, 200.0)},
        {"CCC", steady_trend(200, 0.3)},  {"DDD", two_legs(190, 0.2, 10, -1.0)},
        {"EEE", steady_trend(200, 0.05)}, {"FFF", steady_trend(40, 0.1)}};
    double volume = 1e9;
    for (const auto& [base, series] : coins) {
        input.symbols.push_back(perpetual(base));
        input.tickers.push_back(ticker(base + "USDT", volume /= 3));
        candles[base + "USDT"] = series;
    }
    const ScanResult scan = strategy::scan(input, candles, StrategyParams{}, after_close(candles["AAAUSDT"]));
    REQUIRE(scan.rows.size() == 6);
    const ScanResult back = scan_from_json(scan_to_json(scan, 3), nullptr);
    require_bit_identical(scan, back);
    // The per-bot pass gives the same decisions on the parsed copy as on the original.
    BotView bot;
    bot.equity = money::Decimal::parse("1000");
    bot.available_margin = money::Decimal::parse("1000");
    const BotDecisions a = apply_bot_filters(scan, bot, StrategyParams{});
    const BotDecisions b = apply_bot_filters(back, bot, StrategyParams{});
    CHECK(a.entries == b.entries);
    REQUIRE_FALSE(a.entries.empty());
}

TEST_CASE("scan_json: the document carries readable fields for the web app", "[scan_json]") {
    const auto doc = nlohmann::json::parse(scan_to_json(every_reason(), 5));
    CHECK(doc["scan_id"] == 5);
    const auto& first = doc["rows"][0];
    CHECK(first["passed"] == false);
    CHECK(first["failure"]["reason"] == "skip_coin");
    CHECK(first["failure"]["label"] == "on the operator's skip list");
    CHECK(first["signal"].is_null());
    CHECK(doc["rows"].back()["passed"] == true);
    CHECK(doc["rows"].back()["signal"]["direction"] == "SHORT");
}

TEST_CASE("scan_json: non-finite numbers travel as null and read back as NaN", "[scan_json]") {
    ScanResult scan = every_reason();
    scan.rows.back().signal->indicators.volume_ratio = std::numeric_limits<double>::infinity();
    scan.rows.back().quote_volume = std::nan("");
    const std::string text = scan_to_json(scan, 1);
    CHECK(nlohmann::json::parse(text)["rows"].back()["quote_volume"].is_null());
    const ScanResult back = scan_from_json(text, nullptr);
    CHECK(std::isnan(back.rows.back().quote_volume));
    CHECK(std::isnan(back.rows.back().signal->indicators.volume_ratio));
}

TEST_CASE("scan_json: malformed documents are refused naming the field", "[scan_json]") {
    const std::string good = scan_to_json(every_reason(), 1);
    auto broken = [&](auto edit) {
        auto doc = nlohmann::json::parse(good);
        edit(doc);
        return doc.dump();
    };
    CHECK_THROWS_WITH(scan_from_json("{", nullptr), Catch::Contains("not JSON"));
    CHECK_THROWS_WITH(scan_from_json("[]", nullptr), Catch::Contains("expected an object"));
    CHECK_THROWS_WITH(scan_from_json(broken([](auto& d) { d.erase("scan_time_ms"); }), nullptr),
                      Catch::Contains("missing field 'scan_time_ms'"));
    CHECK_THROWS_WITH(
        scan_from_json(broken([](auto& d) { d["rows"][2]["failure"]["reason"] = "moon_phase"; }), nullptr),
        Catch::Contains("scan.rows[2].failure.reason: unknown reason code 'moon_phase'"));
    CHECK_THROWS_WITH(
        scan_from_json(broken([](auto& d) { d["rows"][3]["signal"]["direction"] = "UP"; }), nullptr),
        Catch::Contains("scan.rows[3].signal.direction"));
    CHECK_THROWS_WITH(
        scan_from_json(broken([](auto& d) { d["rows"][3]["signal"]["indicators"]["atr14"] = "1.5"; }),
                       nullptr),
        Catch::Contains("scan.rows[3].signal.indicators.atr14: expected a number"));
    CHECK_THROWS_AS(scan_from_json(broken([](auto& d) { d["rows"][0]["volume_rank"] = 1.5; }), nullptr),
                    ScanJsonError);
}
