// Field readers shared by the Binance reply parsers (binance_json*.cpp): each throws Malformed naming the
// field, and read() turns that into an unknown_status Error at the edge of a public parser.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/result.h"
#include "exchange/types.h"

namespace tradingd::exchange::binance_json::fields {

using nlohmann::json;

struct Malformed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& what);  // throws Malformed
std::string quoted(const char* name);             // 'name'

const json* find(const json& obj, const char* name);  // nullptr when absent or null
const json& need(const json& obj, const char* name);  // present and not null
const json& need_array(const json& v, const char* what);
std::string text(const json& obj, const char* name);

// Money: only decimal strings, parsed exactly. Numbers are refused: they went through binary floating point.
Decimal decimal_value(const json& v, const char* name);
Decimal dec(const json& obj, const char* name);
// For fields Binance leaves empty when they do not apply (lastFundingRate of a delivery contract).
Decimal dec_or_zero(const json& obj, const char* name);

// Indicator data (klines, tickers): strings or numbers, read as double.
double real(const json& v, const char* name);
double real_field(const json& obj, const char* name);

// Numbers, or digits in a string (positionRisk's leverage "20", an algo order's actualOrderId).
std::int64_t integer_value(const json& v, const char* name);
std::int64_t integer(const json& obj, const char* name);
std::int64_t integer_or(const json& obj, const char* name, std::int64_t fallback);  // also for ""
bool flag(const json& obj, const char* name, bool fallback);  // true/false or "true"/"false"

template <class E, std::size_t N>
using Words = std::pair<std::string_view, E>[N];

template <class E, std::size_t N>
std::optional<E> lookup(std::string_view word, const Words<E, N>& words) {
    for (const auto& [w, e] : words) {
        if (w == word) return e;
    }
    return std::nullopt;
}

// An enum field; a word this code has no name for is a malformed reply.
template <class E, std::size_t N>
E word(const json& obj, const char* name, const Words<E, N>& words) {
    const std::string w = text(obj, name);
    if (auto e = lookup(w, words)) return *e;
    fail("field " + quoted(name) + " has unknown value \"" + w + "\"");
}

// The wire words of each enum.
extern const Words<Side, 2> kSides;
extern const Words<PositionSide, 3> kPositionSides;
extern const Words<OrderType, 7> kTypes;
extern const Words<OrderStatus, 7> kStatuses;
extern const Words<AlgoStatus, 7> kAlgoStatuses;
extern const Words<TimeInForce, 5> kTifs;
extern const Words<WorkingType, 2> kWorkingTypes;

// Runs one parser; any exception inside (Malformed, json type errors, Decimal range errors) becomes the
// Error of a malformed reply.
template <class F>
auto read(std::string_view what, F&& body) -> Result<decltype(body())> {
    try {
        return body();
    } catch (const std::exception& e) {
        Error error;
        error.outcome = Outcome::unknown_status;
        error.http_status = 200;
        error.message = "malformed " + std::string(what) + " reply: " + e.what();
        return error;
    }
}

template <class T, class F>
std::vector<T> each(const json& body, const char* what, F&& one) {
    std::vector<T> out;
    for (const json& item : need_array(body, what)) out.push_back(one(item));
    return out;
}

}  // namespace tradingd::exchange::binance_json::fields
