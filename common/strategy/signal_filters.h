// The filters between a score and a trade, each with a stable reason code and a human label: what the
// signal panel shows when a coin was not traded. (Not the exchange's order filters: see exchange/filters.h.)
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/params.h"
#include "strategy/scoring.h"

namespace tradingd::strategy {

// In evaluation order; a symbol reports the first one it fails. The first five are global (once per scan,
// the same for every bot); the last four are per bot. The codes are stable words stored with scan results
// and matched by the web app and scripts: never rename one.
enum class Reason {
    skip_coin,            // the operator's skip_coins list names it
    insufficient_data,    // too few closed candles, or no price movement / no volume to measure against
    long_85_plus,         // a LONG scoring long_skip_score (85) or more: historically an exhaustion top
    ma_slope,             // EMA50's slope does not point the signal's way (a flat EMA50 counts as not)
    score_too_low,        // below entry_threshold
    max_positions,        // the bot already holds (or this scan has filled) max_open_positions
    already_in_position,  // the bot holds this symbol
    cooldown,             // the bot traded or closed this symbol less than cooldown_minutes ago
    insufficient_margin,  // available margin is below the margin one more position needs
};

inline constexpr std::array<Reason, 9> kFilterOrder = {
    Reason::skip_coin,           Reason::insufficient_data, Reason::long_85_plus,        Reason::ma_slope,
    Reason::score_too_low,       Reason::max_positions,     Reason::already_in_position, Reason::cooldown,
    Reason::insufficient_margin,
};

std::string_view reason_code(Reason reason);   // "long_85_plus"
std::string_view reason_label(Reason reason);  // "LONG score too high (exhaustion top risk)"
std::optional<Reason> parse_reason_code(std::string_view code);

// A failed filter with the numbers behind it, e.g. "score 64 is below the entry threshold 70".
struct FilterFailure {
    Reason reason;
    std::string detail;
};

// long_85_plus, ma_slope and score_too_low, in that order, on a computed signal.
std::optional<FilterFailure> global_filters(const Signal& signal, const StrategyParams& params);

// What the per-bot filters need to know about one bot, gathered by the worker (or the backtester) before
// it applies a scan.
struct BotView {
    std::vector<std::string> open_symbols;                     // symbols with an open position
    std::map<std::string, exchange::TimeMs> last_activity_ms;  // per symbol: last entry or close by this bot
    money::Decimal equity;                                     // wallet balance + unrealised PnL, USDT
    money::Decimal available_margin;  // free margin the exchange reports (availableBalance)
    RiskSettings risk;
};

// The initial margin one new position takes: equity x equity_fraction, rounded down to 1e-8 USDT.
money::Decimal margin_per_position(money::Decimal equity, const RiskSettings& risk);

// Per-bot filters for one symbol, in order. `entries_so_far` and `margin_committed` count the entries
// already accepted from the same scan, so a scan never opens more positions than the bot has room for.
std::optional<FilterFailure> bot_filters(std::string_view symbol, const BotView& bot,
                                         const StrategyParams& params, exchange::TimeMs now_ms,
                                         int entries_so_far, money::Decimal margin_committed);

}  // namespace tradingd::strategy
