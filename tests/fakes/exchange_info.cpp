// GET /fapi/v1/exchangeInfo: rate limits, assets and every symbol with its filters, shaped like Binance's.
#include "routes.h"

namespace fake {
namespace {

Json symbol_json(const SymbolSpec& s) {
    Json j;
    j["symbol"] = s.symbol;
    j["pair"] = s.pair;
    j["contractType"] = s.contract_type;
    j["deliveryDate"] = s.delivery_ms;
    j["onboardDate"] = s.onboard_ms;
    j["status"] = s.status;
    j["maintMarginPercent"] = "2.5000";
    j["requiredMarginPercent"] = "5.0000";
    j["baseAsset"] = s.base;
    j["quoteAsset"] = s.quote;
    j["marginAsset"] = s.quote;
    j["pricePrecision"] = s.price_precision;
    j["quantityPrecision"] = s.quantity_precision;
    j["baseAssetPrecision"] = 8;
    j["quotePrecision"] = 8;
    j["underlyingType"] = s.underlying;
    j["underlyingSubType"] = Json::array();
    j["triggerProtect"] = "0.0500";
    j["liquidationFee"] = "0.012500";
    j["marketTakeBound"] = "0.05";
    j["maxMoveOrderLimit"] = 10000;
    Json filters = Json::array();
    // Binance prints tickSize and minPrice with pricePrecision decimals ("0.10" for BTC, "0.0010" for
    // UNI): a client that counts the decimals of the string instead of using the value gets -4014.
    int pp = s.price_precision, qp = s.quantity_precision;
    filters.push_back({{"minPrice", fx_fixed(s.min_price, pp)},
                       {"maxPrice", fx_str(s.max_price)},
                       {"filterType", "PRICE_FILTER"},
                       {"tickSize", fx_fixed(s.tick, pp)}});
    filters.push_back({{"stepSize", fx_fixed(s.step, qp)},
                       {"filterType", "LOT_SIZE"},
                       {"maxQty", fx_str(s.max_qty)},
                       {"minQty", fx_fixed(s.min_qty, qp)}});
    filters.push_back({{"stepSize", fx_fixed(s.step, qp)},
                       {"filterType", "MARKET_LOT_SIZE"},
                       {"maxQty", fx_str(s.market_max_qty)},
                       {"minQty", fx_fixed(s.min_qty, qp)}});
    filters.push_back({{"limit", 200}, {"filterType", "MAX_NUM_ORDERS"}});
    // MAX_NUM_ALGO_ORDERS is gone since 2025-12-29 (change log); conditional orders are capped at 200 in all.
    filters.push_back({{"notional", fx_str(s.min_notional)}, {"filterType", "MIN_NOTIONAL"}});
    filters.push_back({{"multiplierDown", s.multiplier_down},
                       {"multiplierUp", s.multiplier_up},
                       {"multiplierDecimal", "4"},
                       {"filterType", "PERCENT_PRICE"}});
    filters.push_back({{"positionControlSide", "NONE"}, {"filterType", "POSITION_RISK_CONTROL"}});
    j["filters"] = filters;
    j["orderTypes"] = {"LIMIT",
                       "MARKET",
                       "STOP",
                       "STOP_MARKET",
                       "TAKE_PROFIT",
                       "TAKE_PROFIT_MARKET",
                       "TRAILING_STOP_MARKET"};
    j["timeInForce"] = {"GTC", "IOC", "FOK", "GTX", "GTD"};
    j["permissionSet"] = {"GRID", "COPY"};
    return j;
}

}  // namespace

Json exchange_info_json(const App& app, std::int64_t now) {
    Limits limits = app.world.with([](const World& w) { return w.limits; });
    Json j;
    j["timezone"] = "UTC";
    j["serverTime"] = now;
    j["futuresType"] = "U_MARGINED";
    j["rateLimits"] = {
        {{"rateLimitType", "REQUEST_WEIGHT"},
         {"interval", "MINUTE"},
         {"intervalNum", 1},
         {"limit", limits.weight_budget}},
        {{"rateLimitType", "ORDERS"},
         {"interval", "MINUTE"},
         {"intervalNum", 1},
         {"limit", limits.orders_1m}},
        {{"rateLimitType", "ORDERS"},
         {"interval", "SECOND"},
         {"intervalNum", 10},
         {"limit", limits.orders_10s}},
    };
    j["exchangeFilters"] = Json::array();
    j["assets"] = Json::array();
    for (const char* asset : {"USDT", "BTC", "BNB", "ETH", "USDC"}) {
        j["assets"].push_back({{"asset", asset}, {"marginAvailable", true}, {"autoAssetExchange", "-10000"}});
    }
    j["symbols"] = Json::array();
    for (const SymbolSpec& s : app.universe.all()) j["symbols"].push_back(symbol_json(s));
    return j;
}

}  // namespace fake
