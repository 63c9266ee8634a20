// Which symbols the strategy looks at: the most traded USDT perpetuals that are open for trading, minus the
// operator's skip list. Pure: exchange info and 24h tickers in, a ranked list out.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "exchange/types.h"
#include "strategy/params.h"

namespace tradingd::strategy {

struct UniverseMember {
    exchange::SymbolInfo info;  // with its filters, for sizing and exits later
    double quote_volume = 0;    // 24h, in USDT; 0 when the tickers had no row for the symbol
    int rank = 0;               // 1 = highest volume among the eligible symbols, skip coins included
};

struct Universe {
    // The top `universe_size` eligible symbols that are not skip coins, by rank.
    std::vector<UniverseMember> members;
    // Every eligible symbol that the skip list removed, by rank, so a scan can say "skip_coin" for them
    // instead of leaving the operator to wonder why a big coin never shows up.
    std::vector<UniverseMember> skipped;
};

// Eligible: status TRADING, contract type PERPETUAL, quote asset USDT (exact, as Binance spells them).
// Ranked by 24h quote volume, highest first; equal volumes by symbol name, so the result does not depend
// on the order the exchange listed them in. A symbol missing from `tickers` counts as volume 0 (and a
// non-finite or negative volume as 0); a symbol listed twice in `symbols` or `tickers` uses its first row.
Universe select_universe(std::span<const exchange::SymbolInfo> symbols,
                         std::span<const exchange::Ticker24h> tickers, const StrategyParams& params);

// True when an entry of `skip_coins` equals the base asset or the symbol, ignoring case and surrounding
// blanks: "doge" skips DOGEUSDT, "BTCUSDT" skips BTCUSDT. No partial matches: "PEPE" does not skip
// 1000PEPEUSDT (base asset "1000PEPE").
bool is_skip_coin(const exchange::SymbolInfo& symbol, std::span<const std::string> skip_coins);

}  // namespace tradingd::strategy
