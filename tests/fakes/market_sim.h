// The fake exchange's view of the shared simulated market (common/market_sim): the same symbol universe,
// price walk, fixed-point decimals and kline intervals the daemon's built-in market uses, under the short
// names the fake's handlers have always used.
#pragma once

#include "market_sim/fixed.h"
#include "market_sim/intervals.h"
#include "market_sim/kline_window.h"
#include "market_sim/price_sim.h"
#include "market_sim/universe.h"

namespace fake {

using tradingd::market_sim::Candle;
using tradingd::market_sim::Fx;
using tradingd::market_sim::fx_abs;
using tradingd::market_sim::fx_fixed;
using tradingd::market_sim::fx_from_double;
using tradingd::market_sim::fx_str;
using tradingd::market_sim::fx_to_double;
using tradingd::market_sim::kAnchorMs;
using tradingd::market_sim::kFxDecimals;
using tradingd::market_sim::kFxOne;
using tradingd::market_sim::kHistoryOriginMs;
using tradingd::market_sim::kline_opens;
using tradingd::market_sim::KlineWindow;
using tradingd::market_sim::kPerpetualDeliveryMs;
using tradingd::market_sim::money;
using tradingd::market_sim::parse_decimal;
using tradingd::market_sim::parse_interval;
using tradingd::market_sim::ParsedDecimal;
using tradingd::market_sim::PriceRange;
using tradingd::market_sim::PriceSim;
using tradingd::market_sim::Round;
using tradingd::market_sim::step_decimals;
using tradingd::market_sim::SymbolSpec;
using tradingd::market_sim::Universe;

}  // namespace fake
