// tradingd.yaml -> scanner settings and market-data sources.
#include "scanner/scanner_config.h"

#include "config/strategy_settings.h"
#include "exchange/market_source.h"

namespace tradingd::daemon {

ScannerSettings scanner_settings(const config::Settings& s) {
    ScannerSettings out;
    out.interval = std::chrono::seconds(s.bots_scan_interval_s);
    out.fetch_concurrency = static_cast<int>(s.bots_scan_fetch_concurrency);
    out.retention_days = static_cast<int>(s.bots_scan_retention_days);
    out.params = config::strategy_params(s);
    return out;
}

Scanner::SourceFactory market_sources(const config::Settings& s) {
    exchange::MarketSourceSettings m;
    // load() accepted only the words parse_market_source knows.
    m.kind =
        exchange::parse_market_source(s.exchange_market_data).value_or(exchange::MarketSourceKind::simulated);
    m.simulated_seed = static_cast<std::uint64_t>(s.exchange_simulated_seed);
    m.rest_url = s.exchange_rest_url;
    m.request_timeout = std::chrono::milliseconds(s.exchange_request_timeout_ms);
    if (m.kind == exchange::MarketSourceKind::simulated) {
        std::shared_ptr<exchange::MarketData> shared = exchange::open_market_data(m);
        return [shared] { return shared; };
    }
    return [m] { return std::shared_ptr<exchange::MarketData>(exchange::open_market_data(m)); };
}

}  // namespace tradingd::daemon
