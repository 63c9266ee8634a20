// Binance klines JSON → Candles, with errors that point at the row and field an operator has to fix.
#include "strategy/candle.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace tradingd::strategy {
namespace {

constexpr std::size_t kFieldsRead = 8;
constexpr const char* kFieldNames[kFieldsRead] = {"open time", "open",   "high",       "low",
                                                  "close",     "volume", "close time", "quote volume"};

[[noreturn]] void fail(std::size_t row, std::size_t field, const std::string& what) {
    throw KlinesError("row " + std::to_string(row) + ", field " + std::to_string(field) + " (" +
                      kFieldNames[field] + "): " + what);
}

std::string shown(const nlohmann::json& v) {
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

// from_chars must consume the whole string: "12abc" is as wrong as "abc".
template <typename T>
bool parse_all(const std::string& s, T& out) {
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && ptr == end && !s.empty();
}

double number_field(const nlohmann::json& row, std::size_t r, std::size_t f) {
    const auto& v = row[f];
    double x = 0;
    if (v.is_number())
        x = v.get<double>();
    else if (v.is_string()) {
        if (!parse_all(v.get_ref<const std::string&>(), x)) fail(r, f, shown(v) + " is not a number");
    } else
        fail(r, f, "expected a number or a numeric string, got " + std::string(v.type_name()));
    if (!std::isfinite(x)) fail(r, f, shown(v) + " is not a finite number");
    return x;
}

std::int64_t time_field(const nlohmann::json& row, std::size_t r, std::size_t f) {
    const auto& v = row[f];
    std::int64_t t = 0;
    if (v.is_number_integer())
        t = v.get<std::int64_t>();
    else if (v.is_string()) {
        if (!parse_all(v.get_ref<const std::string&>(), t))
            fail(r, f, shown(v) + " is not an integer millisecond timestamp");
    } else
        fail(r, f, "expected an integer millisecond timestamp, got " + shown(v));
    if (t < 0) fail(r, f, "negative timestamp " + std::to_string(t));
    return t;
}

Candle parse_row(const nlohmann::json& row, std::size_t r) {
    if (!row.is_array())
        throw KlinesError("row " + std::to_string(r) + ": expected an array, got " +
                          std::string(row.type_name()));
    if (row.size() < kFieldsRead)
        throw KlinesError("row " + std::to_string(r) + ": has " + std::to_string(row.size()) +
                          " fields, need at least " + std::to_string(kFieldsRead) +
                          " (openTime, open, high, low, close, volume, closeTime, quoteVolume)");
    Candle c;
    c.open_time_ms = time_field(row, r, 0);
    c.open = number_field(row, r, 1);
    c.high = number_field(row, r, 2);
    c.low = number_field(row, r, 3);
    c.close = number_field(row, r, 4);
    c.volume = number_field(row, r, 5);
    c.close_time_ms = time_field(row, r, 6);
    c.quote_volume = number_field(row, r, 7);

    if (c.low > c.high) fail(r, 3, "low " + shown(row[3]) + " is above high " + shown(row[2]));
    if (c.open < c.low || c.open > c.high) fail(r, 1, "open " + shown(row[1]) + " is outside [low, high]");
    if (c.close < c.low || c.close > c.high) fail(r, 4, "close " + shown(row[4]) + " is outside [low, high]");
    if (c.volume < 0) fail(r, 5, "negative volume " + shown(row[5]));
    if (c.quote_volume < 0) fail(r, 7, "negative quote volume " + shown(row[7]));
    if (c.close_time_ms < c.open_time_ms) fail(r, 6, "close time is before the open time");
    return c;
}

}  // namespace

std::vector<Candle> parse_klines(std::string_view json_text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::parse_error& e) {
        throw KlinesError(std::string("klines are not valid JSON: ") + e.what());
    }
    if (!doc.is_array())
        throw KlinesError("klines must be a JSON array of candle arrays, got " +
                          std::string(doc.type_name()));

    std::vector<Candle> candles;
    candles.reserve(doc.size());
    for (std::size_t r = 0; r < doc.size(); ++r) {
        Candle c = parse_row(doc[r], r);
        if (!candles.empty() && c.open_time_ms <= candles.back().open_time_ms)
            fail(r, 0,
                 "open time " + std::to_string(c.open_time_ms) + " does not increase (row " +
                     std::to_string(r - 1) + " has " + std::to_string(candles.back().open_time_ms) + ")");
        candles.push_back(c);
    }
    return candles;
}

}  // namespace tradingd::strategy
