// ScanResult <-> JSON for the scanner's broadcast. nlohmann writes doubles in their shortest form that reads
// back to the same bits, which is what makes the round trip exact; NaN/inf have no JSON form and go as null.
#include "strategy/scan_json.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace tradingd::strategy {
namespace {

using nlohmann::json;

json number(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

// Field readers: every failure names the path, so a worker's log says which part of a broadcast was bad.
const json& field(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object()) throw ScanJsonError(where + ": expected an object");
    const auto it = obj.find(key);
    if (it == obj.end()) throw ScanJsonError(where + ": missing field '" + key + "'");
    return *it;
}

double get_double(const json& obj, const char* key, const std::string& where) {
    const json& v = field(obj, key, where);
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) throw ScanJsonError(where + "." + key + ": expected a number");
    return v.get<double>();
}

std::int64_t get_int(const json& obj, const char* key, const std::string& where) {
    const json& v = field(obj, key, where);
    if (!v.is_number_integer()) throw ScanJsonError(where + "." + key + ": expected an integer");
    return v.get<std::int64_t>();
}

int get_small_int(const json& obj, const char* key, const std::string& where) {
    const std::int64_t v = get_int(obj, key, where);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        throw ScanJsonError(where + "." + key + ": out of range");
    return static_cast<int>(v);
}

std::string get_string(const json& obj, const char* key, const std::string& where) {
    const json& v = field(obj, key, where);
    if (!v.is_string()) throw ScanJsonError(where + "." + key + ": expected a string");
    return v.get<std::string>();
}

// The double fields of a signal, named once for writing, reading and comparing.
struct ComponentField {
    const char* name;
    double Components::*member;
};
constexpr ComponentField kComponents[] = {{"trend", &Components::trend},
                                          {"momentum", &Components::momentum},
                                          {"volatility", &Components::volatility},
                                          {"volume", &Components::volume}};
struct IndicatorField {
    const char* name;
    double SignalIndicators::*member;
};
constexpr IndicatorField kIndicators[] = {{"close", &SignalIndicators::close},
                                          {"ema20", &SignalIndicators::ema20},
                                          {"ema50", &SignalIndicators::ema50},
                                          {"ma_slope", &SignalIndicators::ma_slope},
                                          {"rsi14", &SignalIndicators::rsi14},
                                          {"macd_line", &SignalIndicators::macd_line},
                                          {"macd_signal", &SignalIndicators::macd_signal},
                                          {"macd_hist", &SignalIndicators::macd_hist},
                                          {"atr14", &SignalIndicators::atr14},
                                          {"atr_pct", &SignalIndicators::atr_pct},
                                          {"volume_ratio", &SignalIndicators::volume_ratio}};

json signal_json(const Signal& s) {
    json components = json::object();
    for (const auto& f : kComponents) components[f.name] = number(s.components.*f.member);
    json indicators = {{"candle_open_time_ms", s.indicators.candle_open_time_ms},
                       {"candles_used", s.indicators.candles_used}};
    for (const auto& f : kIndicators) indicators[f.name] = number(s.indicators.*f.member);
    return {{"score", s.score},
            {"direction", direction_name(s.direction)},
            {"components", std::move(components)},
            {"indicators", std::move(indicators)}};
}

Signal signal_from(const json& j, const std::string& symbol, const std::string& where) {
    Signal s;
    s.symbol = symbol;
    s.score = get_small_int(j, "score", where);
    const std::string direction = get_string(j, "direction", where);
    if (direction == direction_name(Direction::long_side))
        s.direction = Direction::long_side;
    else if (direction == direction_name(Direction::short_side))
        s.direction = Direction::short_side;
    else
        throw ScanJsonError(where + ".direction: unknown direction '" + direction + "'");

    const std::string cw = where + ".components";
    const json& c = field(j, "components", where);
    for (const auto& f : kComponents) s.components.*f.member = get_double(c, f.name, cw);

    const std::string iw = where + ".indicators";
    const json& i = field(j, "indicators", where);
    s.indicators.candle_open_time_ms = get_int(i, "candle_open_time_ms", iw);
    s.indicators.candles_used = get_small_int(i, "candles_used", iw);
    for (const auto& f : kIndicators) s.indicators.*f.member = get_double(i, f.name, iw);
    return s;
}

json row_json(const ScanRow& row) {
    json failure = nullptr;
    if (row.failure) {
        failure = {{"reason", reason_code(row.failure->reason)},
                   {"label", reason_label(row.failure->reason)},
                   {"detail", row.failure->detail}};
    }
    return {
        {"symbol", row.symbol},
        {"volume_rank", row.volume_rank},
        {"quote_volume", number(row.quote_volume)},
        {"signal", row.signal ? signal_json(*row.signal) : json(nullptr)},
        {"passed", row.passed()},
        {"failure", std::move(failure)},
    };
}

ScanRow row_from(const json& j, const std::string& where) {
    ScanRow row;
    row.symbol = get_string(j, "symbol", where);
    row.volume_rank = get_small_int(j, "volume_rank", where);
    row.quote_volume = get_double(j, "quote_volume", where);
    if (const json& s = field(j, "signal", where); !s.is_null())
        row.signal = signal_from(s, row.symbol, where + ".signal");
    if (const json& f = field(j, "failure", where); !f.is_null()) {
        const std::string fw = where + ".failure";
        const std::string code = get_string(f, "reason", fw);
        const auto reason = parse_reason_code(code);
        if (!reason) throw ScanJsonError(fw + ".reason: unknown reason code '" + code + "'");
        row.failure = FilterFailure{*reason, get_string(f, "detail", fw)};
    }
    return row;
}

bool same_double(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

bool same_signal(const Signal& a, const Signal& b) {
    if (a.symbol != b.symbol || a.score != b.score || a.direction != b.direction ||
        a.indicators.candle_open_time_ms != b.indicators.candle_open_time_ms ||
        a.indicators.candles_used != b.indicators.candles_used)
        return false;
    for (const auto& f : kComponents)
        if (!same_double(a.components.*f.member, b.components.*f.member)) return false;
    for (const auto& f : kIndicators)
        if (!same_double(a.indicators.*f.member, b.indicators.*f.member)) return false;
    return true;
}

bool same_row(const ScanRow& a, const ScanRow& b) {
    if (a.symbol != b.symbol || a.volume_rank != b.volume_rank ||
        !same_double(a.quote_volume, b.quote_volume))
        return false;
    if (a.signal.has_value() != b.signal.has_value() || (a.signal && !same_signal(*a.signal, *b.signal)))
        return false;
    if (a.failure.has_value() != b.failure.has_value()) return false;
    return !a.failure || (a.failure->reason == b.failure->reason && a.failure->detail == b.failure->detail);
}

}  // namespace

std::string scan_to_json(const ScanResult& scan, std::int64_t scan_id) {
    json rows = json::array();
    for (const auto& row : scan.rows) rows.push_back(row_json(row));
    return json{{"scan_id", scan_id}, {"scan_time_ms", scan.scan_time_ms}, {"rows", std::move(rows)}}.dump();
}

ScanResult scan_from_json(std::string_view text, std::int64_t* scan_id) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw ScanJsonError(std::string("scan: not JSON: ") + e.what());
    }
    ScanResult scan;
    const std::int64_t id = get_int(doc, "scan_id", "scan");
    scan.scan_time_ms = get_int(doc, "scan_time_ms", "scan");
    const json& rows = field(doc, "rows", "scan");
    if (!rows.is_array()) throw ScanJsonError("scan.rows: expected an array");
    scan.rows.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        scan.rows.push_back(row_from(rows[i], "scan.rows[" + std::to_string(i) + "]"));
    if (scan_id) *scan_id = id;
    return scan;
}

std::string scan_row_to_json(const ScanRow& row) {
    return row_json(row).dump();
}

bool same_scan(const ScanResult& a, const ScanResult& b) {
    if (a.scan_time_ms != b.scan_time_ms || a.rows.size() != b.rows.size()) return false;
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
        if (!same_row(a.rows[i], b.rows[i])) return false;
    }
    return true;
}

}  // namespace tradingd::strategy
