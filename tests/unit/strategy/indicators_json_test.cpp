// indicators_json and indicators_table: the exact document `tradingctl strategy indicators --json` prints
// and the human table of the latest candles.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "strategy/indicators.h"
#include "strategy/indicators_json.h"

using namespace tradingd::strategy;
using Catch::Matchers::Contains;

namespace {

// n hourly candles from 2023-11-14 22:00 UTC (1699999200000 ms), close = base * (1 + small wave).
std::vector<Candle> hourly(int n, double base) {
    std::vector<Candle> out;
    for (int i = 0; i < n; ++i) {
        double c = base * (1 + 0.01 * std::sin(i * 0.4));
        out.push_back(Candle{1699999200000LL + i * 3600000LL, c, c * 1.002, c * 0.998, c, 10.0 + i, 0, 0});
    }
    return out;
}

std::string klines_text(const std::vector<Candle>& cs) {
    std::string s = "[";
    for (const auto& c : cs) {
        s += (s.size() > 1 ? "," : "");
        s += "[" + std::to_string(c.open_time_ms) + ",\"" + std::to_string(c.open) + "\",\"" +
             std::to_string(c.high) + "\",\"" + std::to_string(c.low) + "\",\"" + std::to_string(c.close) +
             "\",\"" + std::to_string(c.volume) + "\"," + std::to_string(c.open_time_ms + 3599999) +
             ",\"0\"]";
    }
    return s + "]";
}

std::set<std::string> keys(const nlohmann::json& o) {
    std::set<std::string> k;
    for (const auto& [key, _] : o.items()) k.insert(key);
    return k;
}

}  // namespace

TEST_CASE("indicators_json has exactly the documented keys, one entry per candle", "[json]") {
    nlohmann::json j = indicators_json(hourly(60, 100));
    CHECK(keys(j) ==
          std::set<std::string>{"sma_20", "ema_20", "ema_50", "rsi_14", "atr_14", "macd_12_26_9", "bb_20_2"});
    CHECK(keys(j["macd_12_26_9"]) == std::set<std::string>{"line", "signal", "hist"});
    CHECK(keys(j["bb_20_2"]) == std::set<std::string>{"upper", "middle", "lower"});
    for (const auto& a : {j["sma_20"], j["ema_20"], j["ema_50"], j["rsi_14"], j["atr_14"],
                          j["macd_12_26_9"]["line"], j["macd_12_26_9"]["signal"], j["macd_12_26_9"]["hist"],
                          j["bb_20_2"]["upper"], j["bb_20_2"]["middle"], j["bb_20_2"]["lower"]}) {
        REQUIRE(a.is_array());
        CHECK(a.size() == 60);
    }
}

TEST_CASE("indicators_json writes null during warm-up and numbers after it", "[json]") {
    nlohmann::json j = indicators_json(hourly(60, 100));
    CHECK(j["sma_20"][18].is_null());
    CHECK(j["sma_20"][19].is_number());
    CHECK(j["ema_50"][48].is_null());
    CHECK(j["ema_50"][49].is_number());
    CHECK(j["rsi_14"][13].is_null());
    CHECK(j["rsi_14"][14].is_number());
    CHECK(j["atr_14"][12].is_null());
    CHECK(j["atr_14"][13].is_number());
    CHECK(j["macd_12_26_9"]["line"][24].is_null());
    CHECK(j["macd_12_26_9"]["line"][25].is_number());
    CHECK(j["macd_12_26_9"]["hist"][32].is_null());
    CHECK(j["macd_12_26_9"]["hist"][33].is_number());
    CHECK(j.dump().find("null") != std::string::npos);
}

TEST_CASE("indicators_json values are the batch indicators' values unchanged", "[json]") {
    auto candles = hourly(80, 60000);
    nlohmann::json j = indicators_json(candles);
    auto c = closes(candles);
    CHECK(j["rsi_14"][79].get<double>() == *rsi(c)[79]);
    CHECK(j["bb_20_2"]["lower"][79].get<double>() == *bollinger(c).lower[79]);
    // Doubles survive the text round trip exactly, so ops comparing numbers see the real ones.
    CHECK(nlohmann::json::parse(j.dump())["atr_14"][79].get<double>() == *atr(candles)[79]);
}

TEST_CASE("indicators_json parses klines text and reports malformed rows", "[json]") {
    auto candles = hourly(30, 2.5);
    nlohmann::json j = indicators_json(klines_text(candles));
    CHECK(j["sma_20"].size() == 30);
    CHECK(j["sma_20"][29].get<double>() == Approx(*sma(closes(candles), 20)[29]).epsilon(1e-6));
    CHECK(indicators_json(std::string_view("[]"))["rsi_14"] == nlohmann::json::array());
    CHECK_THROWS_WITH(indicators_json(std::string_view(R"([[1000,"1","2","0.5","x","1",1999,"1"]])")),
                      Contains("row 0, field 4 (close)"));
}

TEST_CASE("indicators_table shows the last 20 candles with '-' for warm-up values", "[json][table]") {
    auto candles = hourly(25, 60000);
    IndicatorTable t = indicators_table(candles, indicators_json(candles), 20);
    REQUIRE(t.rows.size() == 20);
    CHECK(t.headers.front() == "OPEN TIME (UTC)");
    for (const auto& r : t.rows) CHECK(r.size() == t.headers.size());
    CHECK(t.rows.front()[0] == "2023-11-15 03:00");  // candle 5: 22:00 + 5 h
    CHECK(t.rows.back()[0] == "2023-11-15 22:00");
    CHECK(t.rows.front()[2] == "-");  // SMA20 of candle 5
    CHECK(t.rows.back()[2] != "-");   // SMA20 of candle 24
    CHECK(t.rows.back()[4] == "-");   // EMA50 never warms up in 25 candles
    // BTC-level prices get cents: two decimals, rounded.
    const std::string& close = t.rows.back()[1];
    CHECK(close.size() - close.find('.') == 3);
    CHECK(std::stod(close) == Approx(candles.back().close).margin(0.005));
}

TEST_CASE("indicators_table shows enough decimals for sub-cent coins", "[json][table]") {
    auto candles = hourly(30, 0.00001234);
    IndicatorTable t = indicators_table(candles, indicators_json(candles));
    const std::string& close = t.rows.back()[1];
    CHECK(close.size() == std::string("0.00001234").size());  // four significant digits, not "0.00"
    CHECK(std::stod(close) == Approx(candles.back().close).margin(5e-9));
    CHECK(indicators_table({}, indicators_json(std::vector<Candle>{})).rows.empty());
}
