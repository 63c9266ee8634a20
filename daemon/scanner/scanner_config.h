// The scanner's wiring to tradingd.yaml: its settings (read before every scan, so a reload applies from the
// next one) and its market-data sources (exchange.*, fixed at start like every exchange setting).
#pragma once

#include "config/config.h"
#include "scanner/scanner.h"

namespace tradingd::daemon {

ScannerSettings scanner_settings(const config::Settings& settings);

// The simulated market is thread-safe: one instance serves every fetch thread. A Binance source holds one
// connection, so each fetch thread gets its own (all sharing the process's weight budget).
Scanner::SourceFactory market_sources(const config::Settings& settings);

}  // namespace tradingd::daemon
