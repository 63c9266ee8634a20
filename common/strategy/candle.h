// One OHLCV candle as the strategy sees it, and the parser for the Binance klines JSON array that ops and
// the kline store hand us. Nothing here knows about HTTP or the exchange client.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tradingd::strategy {

// Times stay integers (epoch milliseconds, as Binance sends them) so they compare and print exactly;
// everything else is a double because indicators are not on the money path.
struct Candle {
    std::int64_t open_time_ms = 0;
    double open = 0;
    double high = 0;
    double low = 0;
    double close = 0;
    double volume = 0;  // base asset
    std::int64_t close_time_ms = 0;
    double quote_volume = 0;
};

// Malformed klines. The message names the row (0-based, as in the array) and the field, e.g.
// "row 3, field 4 (close): \"abc\" is not a number".
class KlinesError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Parses a Binance klines array: [[openTime, "open", "high", "low", "close", "volume", closeTime,
// "quoteVolume", trades, "takerBase", "takerQuote", "ignore"], ...]. Only the first 8 fields are read and
// required; later ones are ignored. Prices and volumes may be strings (as Binance sends them) or JSON
// numbers; times must be integers (or strings of digits). Rejected: non-finite or non-numeric values,
// low > high, open or close outside [low, high], negative volumes, close time before open time, and open
// times that do not strictly increase (duplicates or a shuffled file would silently skew every average).
std::vector<Candle> parse_klines(std::string_view json_text);

}  // namespace tradingd::strategy
