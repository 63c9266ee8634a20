// The market-data factory: settings in, a MarketData out.
#include "exchange/market_source.h"

#include "exchange/binance_client.h"
#include "exchange/simulated_market.h"
#include "exchange/weight_budget.h"

namespace tradingd::exchange {

std::optional<MarketSourceKind> parse_market_source(std::string_view name) {
    if (name == "simulated") return MarketSourceKind::simulated;
    if (name == "binance") return MarketSourceKind::binance;
    return std::nullopt;
}

std::unique_ptr<MarketData> open_market_data(const MarketSourceSettings& settings) {
    if (settings.kind == MarketSourceKind::simulated)
        return std::make_unique<SimulatedMarket>(settings.simulated_seed);
    BinanceConfig config;
    config.base_url = settings.rest_url;
    config.request_timeout = settings.request_timeout;
    config.connect_timeout = settings.connect_timeout;
    return std::make_unique<BinanceMarketData>(config, process_weight_budget());
}

}  // namespace tradingd::exchange
