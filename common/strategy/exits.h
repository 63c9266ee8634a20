// The exits of a filled entry as data: the protective orders to keep on the exchange (so a dead bot is
// still protected) and the time stop the bot enforces itself. No exchange calls here.
#pragma once

// From the entry's fill price and ATR(14) at the signal (SignalIndicators::atr14):
//   LONG:  stop_loss = entry - SL x ATR, take_profit = entry + TP x ATR      (SL, TP = *_atr_pct / 100)
//   SHORT: stop_loss = entry + SL x ATR, take_profit = entry - TP x ATR
// Onto the tick (exchange/filters.h round_price): a stop rounds AWAY from the entry (never tighter than
// planned), a target rounds TOWARD it (never further). Orders, all with working type MARK_PRICE so a
// one-print wick on the last price does not trigger them:
//   STOP_MARKET        at stop_loss,   closePosition=true
//   TAKE_PROFIT_MARKET at take_profit, closePosition=true
//   TRAILING_STOP_MARKET (when trailing_stop is on): reduceOnly with the position's quantity (Binance
//       does not take closePosition on it), activation at entry +- trailing_activation_atr_pct/100 x ATR
//       rounded like a target (none when that is 0: it arms at once), callback trailing_callback_tenths/10 %.
// Time stop: max_holding_hours after the entry, the bot closes at market (no exchange order exists for it).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/params.h"
#include "strategy/scoring.h"

namespace tradingd::strategy {

struct TrailingStop {
    std::optional<money::Decimal> activation_price;  // none: armed from the start
    money::Decimal callback_rate;                    // percent, one decimal, e.g. 1.0
};

struct ExitPlan {
    Direction direction = Direction::long_side;
    money::Decimal entry_price;
    money::Decimal quantity;
    money::Decimal stop_loss;
    money::Decimal take_profit;
    std::optional<TrailingStop> trailing;
    std::optional<exchange::TimeMs> time_stop_at_ms;
    // stop-loss, take-profit, then the trailing stop if any. client_order_id is left empty for the bot to
    // derive from the position and leg (exchange/client_order_id.h).
    std::vector<exchange::OrderRequest> orders;
};

enum class ExitRefusal {
    invalid_atr,          // ATR not finite or not above 0
    stop_not_positive,    // a LONG's stop (entry - SL x ATR) would be at or below 0, raw or on the tick
    target_not_positive,  // a SHORT's target (entry - TP x ATR) would be at or below 0
    target_too_close,     // on the tick grid the target is not beyond the entry (ATR smaller than a tick)
    exchange_filter,      // an order breaks another exchange filter, e.g. a price under the minimum
};
std::string_view refusal_code(ExitRefusal refusal);

struct ExitPlanResult {
    std::optional<ExitPlan> plan;
    std::optional<ExitRefusal> refusal;
    std::string message;

    explicit operator bool() const { return plan.has_value(); }
};

// Throws std::invalid_argument for a non-positive entry price or quantity, or params failing validate().
ExitPlanResult plan_exits(const exchange::SymbolInfo& symbol, Direction direction, money::Decimal entry_price,
                          money::Decimal quantity, double atr, exchange::TimeMs entry_time_ms,
                          const StrategyParams& params);

// True once the position has been held max_holding_hours (never without a time stop).
bool time_stop_due(const ExitPlan& plan, exchange::TimeMs now_ms);

}  // namespace tradingd::strategy
