// What a replay means: the summary figures the landing page and `tradingctl backtest show` print, computed
// from the trades and the equity curve in exact decimals (Sharpe alone goes through doubles, then rounds).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backtest/engine.h"

namespace tradingd::backtest {

struct MonthlyReturn {
    std::string month;  // "2025-03" (UTC)
    money::Decimal start_equity, end_equity;
    money::Decimal return_pct;  // 2 decimals
    int trades = 0;             // closed in the month
    int wins = 0;               // of those, with pnl > 0
};

struct Summary {
    money::Decimal initial_equity, final_equity;
    money::Decimal total_return_pct;  // 2 decimals
    money::Decimal max_drawdown_pct;  // largest fall from a peak of the equity curve, 2 decimals, >= 0
    std::optional<money::Decimal>
        profit_factor;                     // gross profit / gross loss, 2 decimals; none without a loss
    std::optional<money::Decimal> sharpe;  // daily returns, annualised x sqrt(365), 2 decimals
    int trade_count = 0;
    int win_count = 0;
    money::Decimal win_rate_pct;          // of trades, 2 decimals
    money::Decimal monthly_win_rate_pct;  // of months with a positive return, 2 decimals
};

struct Metrics {
    Summary summary;
    std::vector<MonthlyReturn> monthly;
    std::vector<Trade> top_trades;  // the 10 best by pnl (ties: earlier entry, then symbol)
};

Metrics compute_metrics(const RawResult& raw, money::Decimal initial_equity);

// "2025-03" for a time in epoch ms (UTC).
std::string month_of(exchange::TimeMs ms);
// "2025-03-01 00:00:00" (UTC), the store's timestamp text.
std::string utc_text(exchange::TimeMs ms);

}  // namespace tradingd::backtest
