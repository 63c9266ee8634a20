// The shared strategy's tunables (one set for the whole platform, from tradingd.yaml's `strategy.*` keys) and
// an agent's own risk settings (per bot, from the store). Plain data with documented defaults and one check.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/types.h"
#include "money/decimal.h"

namespace tradingd::strategy {

// Every field mirrors one proposed tradingd.yaml key (`strategy.<field name>`) in the same unit, so wiring
// config to params is a plain copy with no float conversion (`interval` is written as Binance names it, "1h",
// see interval_from_name). Units in the names:
//   *_pct      percent (integer), e.g. weight_trend_pct 35 = 0.35, stop_loss_atr_pct 150 = 1.5 x ATR
//   *_bp       basis points of the price (1 bp = 0.01 %), e.g. atr_pct_low_bp 40 = ATR is 0.40 % of price
//   *_tenths   tenths of a percent, Binance's unit for a trailing stop's callback rate (10 = 1.0 %)
struct StrategyParams {
    // Universe.
    int universe_size = 150;              // top N USDT perpetuals by 24h quote volume
    std::vector<std::string> skip_coins;  // base assets or symbols, case-insensitive ("doge", "BTCUSDT")

    // Market data: the scanner fetches `lookback_candles` closed candles of `interval` per symbol. Scoring
    // uses at most the last `lookback_candles` (so live, paper and backtest see the same window) and needs
    // at least `min_candles`, otherwise the symbol is `insufficient_data`.
    exchange::Interval interval = exchange::Interval::h1;
    int lookback_candles = 200;
    int min_candles = 100;
    int ma_slope_candles = 10;  // the MA slope is EMA50 now minus EMA50 this many candles ago

    // Component weights in percent; they must add up to exactly 100.
    int weight_trend_pct = 35;
    int weight_momentum_pct = 30;
    int weight_volatility_pct = 15;
    int weight_volume_pct = 20;

    // Volatility band on ATR(14) as a share of the close: 0 below min, rising to 100 at low, 100 up to
    // high, falling to 0 at max and beyond. Defaults suit 1h candles.
    int atr_pct_min_bp = 20;
    int atr_pct_low_bp = 40;
    int atr_pct_high_bp = 250;
    int atr_pct_max_bp = 500;

    // Filters.
    int entry_threshold = 70;   // score_too_low below this
    int long_skip_score = 85;   // long_85_plus: a LONG scoring this or more is skipped; 101 turns it off
    int cooldown_minutes = 60;  // cooldown: no new entry on a symbol this bot traded or closed so recently

    // Sizing: the platform's ceiling on any agent's leverage.
    int max_leverage = 20;

    // Exits, as multiples of ATR(14) at entry.
    int stop_loss_atr_pct = 150;
    int take_profit_atr_pct = 300;
    bool trailing_stop = false;
    int trailing_activation_atr_pct = 100;  // the trailing stop arms once price moves this far in profit
    int trailing_callback_tenths = 10;      // then follows price at this distance (Binance: 0.1 % .. 10 %)
    int max_holding_hours = 48;             // time stop; 0 = none
};

// Human-readable problems ("weights add up to 95, not 100"); empty when the params are usable. Scoring and
// planning throw std::invalid_argument on params that fail this, so config loading should call it first.
std::vector<std::string> validate(const StrategyParams& params);

// "1h" -> Interval::h1, for wiring the strategy.interval key; nullopt for a name Binance does not use.
std::optional<exchange::Interval> interval_from_name(std::string_view name);

// One agent's limits, set on the dashboard and stored per agent.
struct RiskSettings {
    money::Decimal equity_fraction = money::Decimal::parse("0.1");  // initial margin per position / equity
    int leverage = 3;                                               // capped by StrategyParams::max_leverage
    int max_open_positions = 5;
};

std::vector<std::string> validate(const RiskSettings& risk);

}  // namespace tradingd::strategy
