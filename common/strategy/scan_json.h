// A ScanResult as JSON: what the scanner broadcasts to bot workers (the worker IPC's `scan` message), what
// `scan.latest` returns and what the signal panel reads. Lossless: scan_from_json(scan_to_json(x)) == x for
// every field, doubles included (printed with 17 significant digits), so a worker filters, sizes and sets
// exits on exactly the numbers the daemon scored. Owner: scanner. Interface frozen by the bots contract;
// any change is small and announced here.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "strategy/scan.h"

namespace tradingd::strategy {

// Thrown by scan_from_json for text that is not a scan document: names the field (and row) at fault.
class ScanJsonError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// {"scan_id":12,"scan_time_ms":1733040000000,"rows":[
//   {"symbol":"BTCUSDT","volume_rank":1,"quote_volume":1.2e10,
//    "signal":{"score":78,"direction":"LONG",
//              "components":{"trend":..,"momentum":..,"volatility":..,"volume":..},
//              "indicators":{"candle_open_time_ms":..,"candles_used":..,"close":..,"ema20":..,"ema50":..,
//                            "ma_slope":..,"rsi14":..,"macd_line":..,"macd_signal":..,"macd_hist":..,
//                            "atr14":..,"atr_pct":..,"volume_ratio":..}} | null,
//    "passed":true,
//    "failure":{"reason":"score_too_low","label":"...","detail":"..."} | null}, ...]}
// `passed` and `label` are derived, written for readers (web app, scripts) and ignored when parsing; the
// signal's symbol is the row's symbol. Non-finite doubles are written as null and read back as NaN.
std::string scan_to_json(const ScanResult& scan, std::int64_t scan_id);

// Parses what scan_to_json wrote. `scan_id` may be null when the caller does not need it. Throws
// ScanJsonError for malformed text, a missing or mistyped field, an unknown reason code or direction.
ScanResult scan_from_json(std::string_view json, std::int64_t* scan_id);

// One row as scan_to_json writes it inside "rows" (added after the freeze, for the scanner's `details`
// column; nothing else changed).
std::string scan_row_to_json(const ScanRow& row);

// Field-by-field equality (NaN equals NaN), for tests and for callers that skip a repeated broadcast.
bool same_scan(const ScanResult& a, const ScanResult& b);

}  // namespace tradingd::strategy
