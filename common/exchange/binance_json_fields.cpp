// The field readers' bodies and the enum word tables (see binance_json_fields.h).
#include "exchange/binance_json_fields.h"

#include <charconv>

namespace tradingd::exchange::binance_json::fields {

[[noreturn]] void fail(const std::string& what) {
    throw Malformed(what);
}

std::string quoted(const char* name) {
    return std::string("'") + name + "'";
}

const json* find(const json& obj, const char* name) {
    if (!obj.is_object()) fail("expected an object, got " + std::string(obj.type_name()));
    const auto it = obj.find(name);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const json& need(const json& obj, const char* name) {
    const json* v = find(obj, name);
    if (!v) fail("missing field " + quoted(name));
    return *v;
}

const json& need_array(const json& v, const char* what) {
    if (!v.is_array()) fail(std::string(what) + " is not an array");
    return v;
}

std::string text(const json& obj, const char* name) {
    const json& v = need(obj, name);
    if (!v.is_string()) fail("field " + quoted(name) + " is not a string");
    return v.get<std::string>();
}

Decimal decimal_value(const json& v, const char* name) {
    // Numbers would already have gone through binary floating point; Binance sends money as strings.
    if (!v.is_string()) fail("field " + quoted(name) + " is not a decimal string");
    const auto& s = v.get_ref<const std::string&>();
    const auto parsed = Decimal::try_parse(s);
    if (!parsed)
        fail("field " + quoted(name) + " = \"" + s + "\" is not a decimal (" +
             std::string(money::describe(parsed.error)) + ")");
    return *parsed;
}

Decimal dec(const json& obj, const char* name) {
    return decimal_value(need(obj, name), name);
}

// For fields Binance leaves empty when they do not apply (lastFundingRate of a delivery contract).
Decimal dec_or_zero(const json& obj, const char* name) {
    const json* v = find(obj, name);
    if (!v || (v->is_string() && v->get_ref<const std::string&>().empty())) return Decimal();
    return decimal_value(*v, name);
}

// Market data for indicators: strings or numbers, read as double.
double real(const json& v, const char* name) {
    if (v.is_number()) return v.get<double>();
    if (!v.is_string()) fail("field " + quoted(name) + " is not a number");
    const auto& s = v.get_ref<const std::string&>();
    double out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size())
        fail("field " + quoted(name) + " = \"" + s + "\" is not a number");
    return out;
}

double real_field(const json& obj, const char* name) {
    return real(need(obj, name), name);
}

std::int64_t integer_value(const json& v, const char* name) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_string()) {  // positionRisk sends leverage as "20"; algo orders their actualOrderId as text
        const auto& s = v.get_ref<const std::string&>();
        std::int64_t out = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && end == s.data() + s.size()) return out;
    }
    fail("field " + quoted(name) + " is not an integer");
}

std::int64_t integer(const json& obj, const char* name) {
    return integer_value(need(obj, name), name);
}

std::int64_t integer_or(const json& obj, const char* name, std::int64_t fallback) {
    const json* v = find(obj, name);
    if (!v || (v->is_string() && v->get_ref<const std::string&>().empty())) return fallback;
    return integer_value(*v, name);
}

bool flag(const json& obj, const char* name, bool fallback) {
    const json* v = find(obj, name);
    if (!v) return fallback;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_string() && (*v == "true" || *v == "false")) return *v == "true";
    fail("field " + quoted(name) + " is not a boolean");
}

const Words<Side, 2> kSides = {{"BUY", Side::buy}, {"SELL", Side::sell}};
const Words<PositionSide, 3> kPositionSides = {
    {"BOTH", PositionSide::both}, {"LONG", PositionSide::long_side}, {"SHORT", PositionSide::short_side}};
const Words<OrderType, 7> kTypes = {{"MARKET", OrderType::market},
                                    {"LIMIT", OrderType::limit},
                                    {"STOP_MARKET", OrderType::stop_market},
                                    {"TAKE_PROFIT_MARKET", OrderType::take_profit_market},
                                    {"TRAILING_STOP_MARKET", OrderType::trailing_stop_market},
                                    {"STOP", OrderType::stop},
                                    {"TAKE_PROFIT", OrderType::take_profit}};
const Words<OrderStatus, 7> kStatuses = {
    {"NEW", OrderStatus::new_},         {"PARTIALLY_FILLED", OrderStatus::partially_filled},
    {"FILLED", OrderStatus::filled},    {"CANCELED", OrderStatus::canceled},
    {"EXPIRED", OrderStatus::expired},  {"EXPIRED_IN_MATCH", OrderStatus::expired_in_match},
    {"REJECTED", OrderStatus::rejected}};
const Words<AlgoStatus, 7> kAlgoStatuses = {{"NEW", AlgoStatus::new_},
                                            {"TRIGGERING", AlgoStatus::triggering},
                                            {"TRIGGERED", AlgoStatus::triggered},
                                            {"FINISHED", AlgoStatus::finished},
                                            {"CANCELED", AlgoStatus::canceled},
                                            {"REJECTED", AlgoStatus::rejected},
                                            {"EXPIRED", AlgoStatus::expired}};
const Words<TimeInForce, 5> kTifs = {{"GTC", TimeInForce::gtc},
                                     {"IOC", TimeInForce::ioc},
                                     {"FOK", TimeInForce::fok},
                                     {"GTX", TimeInForce::gtx},
                                     {"GTD", TimeInForce::gtd}};
const Words<WorkingType, 2> kWorkingTypes = {{"CONTRACT_PRICE", WorkingType::contract_price},
                                             {"MARK_PRICE", WorkingType::mark_price}};

}  // namespace tradingd::exchange::binance_json::fields
