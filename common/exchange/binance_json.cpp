// Reading Binance's market-data reply shapes (reference/binance-usdm.md §2) and the wire words requests use.
// Prices and quantities arrive as strings and become exact Decimals; indicator data stays double.
#include "exchange/binance_json.h"

#include "exchange/binance_json_fields.h"

namespace tradingd::exchange::binance_json {

using namespace fields;

namespace {

SymbolInfo symbol_info(const json& j) {
    SymbolInfo s;
    s.symbol = text(j, "symbol");
    try {
        s.status = text(j, "status");
        s.contract_type = text(j, "contractType");
        s.base_asset = text(j, "baseAsset");
        s.quote_asset = text(j, "quoteAsset");
        s.margin_asset = text(j, "marginAsset");
        s.price_precision = static_cast<int>(integer_or(j, "pricePrecision", 0));
        s.quantity_precision = static_cast<int>(integer_or(j, "quantityPrecision", 0));
        for (const json& f : need_array(need(j, "filters"), "filters")) {
            const std::string type = text(f, "filterType");
            if (type == "PRICE_FILTER") {
                s.tick_size = dec(f, "tickSize");
                s.min_price = dec(f, "minPrice");
                s.max_price = dec(f, "maxPrice");
            } else if (type == "LOT_SIZE") {
                s.step_size = dec(f, "stepSize");
                s.min_qty = dec(f, "minQty");
                s.max_qty = dec(f, "maxQty");
            } else if (type == "MARKET_LOT_SIZE") {
                s.market_step_size = dec(f, "stepSize");
                s.market_min_qty = dec(f, "minQty");
                s.market_max_qty = dec(f, "maxQty");
            } else if (type == "MIN_NOTIONAL") {
                s.min_notional = dec(f, "notional");
            } else if (type == "MAX_NUM_ORDERS") {
                s.max_num_orders = static_cast<int>(integer(f, "limit"));
            } else if (type == "MAX_NUM_ALGO_ORDERS") {
                s.max_num_algo_orders = static_cast<int>(integer(f, "limit"));
            }  // other filters (PERCENT_PRICE, POSITION_RISK_CONTROL, ...) are checked by the exchange only
        }
    } catch (const std::exception& e) {
        fail("symbol " + s.symbol + ": " + e.what());
    }
    return s;
}

void apply_rate_limit(const json& r, WeightLimits& limits) {
    const std::string type = text(r, "rateLimitType");
    const std::string interval = text(r, "interval");
    const std::int64_t n = integer(r, "intervalNum");
    const int limit = static_cast<int>(integer(r, "limit"));
    if (type == "REQUEST_WEIGHT" && interval == "MINUTE" && n == 1) limits.ip_weight_per_minute = limit;
    if (type == "ORDERS" && interval == "MINUTE" && n == 1) limits.orders_per_minute = limit;
    if (type == "ORDERS" && interval == "SECOND" && n == 10) limits.orders_per_10s = limit;
}

}  // namespace

Result<ExchangeInfo> exchange_info(const json& body, const WeightLimits& current) {
    return read("exchangeInfo", [&] {
        ExchangeInfo out;
        out.limits = current;
        if (const json* limits = find(body, "rateLimits")) {
            for (const json& r : need_array(*limits, "rateLimits")) apply_rate_limit(r, out.limits);
        }
        out.symbols = each<SymbolInfo>(need(body, "symbols"), "symbols", symbol_info);
        return out;
    });
}

Result<std::vector<Kline>> klines(const json& body) {
    return read("klines", [&] {
        return each<Kline>(body, "klines", [](const json& k) {
            if (!k.is_array() || k.size() < 9) fail("a kline is not an array of at least 9 values");
            Kline c;
            c.open_time = integer_value(k[0], "openTime");
            c.open = real(k[1], "open");
            c.high = real(k[2], "high");
            c.low = real(k[3], "low");
            c.close = real(k[4], "close");
            c.volume = real(k[5], "volume");
            c.close_time = integer_value(k[6], "closeTime");
            c.quote_volume = real(k[7], "quoteVolume");
            c.trades = integer_value(k[8], "trades");
            return c;
        });
    });
}

Result<std::vector<Ticker24h>> tickers(const json& body) {
    return read("ticker/24hr", [&] {
        return each<Ticker24h>(body, "tickers", [](const json& j) {
            Ticker24h t;
            t.symbol = text(j, "symbol");
            t.last_price = real_field(j, "lastPrice");
            t.price_change_percent = real_field(j, "priceChangePercent");
            t.high_price = real_field(j, "highPrice");
            t.low_price = real_field(j, "lowPrice");
            t.volume = real_field(j, "volume");
            t.quote_volume = real_field(j, "quoteVolume");
            t.open_time = integer(j, "openTime");
            t.close_time = integer(j, "closeTime");
            t.trades = integer_or(j, "count", 0);
            return t;
        });
    });
}

Result<std::vector<MarkPrice>> mark_prices(const json& body) {
    return read("premiumIndex", [&] {
        const auto one = [](const json& j) {
            MarkPrice m;
            m.symbol = text(j, "symbol");
            m.mark_price = dec(j, "markPrice");
            m.index_price = dec_or_zero(j, "indexPrice");
            m.funding_rate = dec_or_zero(j, "lastFundingRate");
            m.next_funding_time = integer_or(j, "nextFundingTime", 0);
            m.time = integer(j, "time");
            return m;
        };
        if (body.is_object()) return std::vector<MarkPrice>{one(body)};
        return each<MarkPrice>(body, "premiumIndex", one);
    });
}

std::string_view side_word(Side side) {
    return side == Side::buy ? "BUY" : "SELL";
}

std::string_view type_word(OrderType type) {
    for (const auto& [w, t] : kTypes) {
        if (t == type) return w;
    }
    throw std::invalid_argument("order type without a wire word");
}

std::string_view position_side_word(PositionSide side) {
    for (const auto& [w, s] : kPositionSides) {
        if (s == side) return w;
    }
    return "BOTH";
}

std::string_view time_in_force_word(TimeInForce tif) {
    for (const auto& [w, t] : kTifs) {
        if (t == tif) return w;
    }
    return "GTC";
}

std::string_view working_type_word(WorkingType type) {
    return type == WorkingType::mark_price ? "MARK_PRICE" : "CONTRACT_PRICE";
}

}  // namespace tradingd::exchange::binance_json
