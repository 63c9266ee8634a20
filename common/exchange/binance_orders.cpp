// Orders on Binance: fitting a request to the symbol's filters, plain orders on /fapi/v1/order, conditional
// ones on the algo service, and the lookup protocol that keeps a lost reply from becoming a second order.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

#include "exchange/binance_client.h"
#include "exchange/binance_json.h"
#include "exchange/binance_rest.h"
#include "exchange/client_order_id.h"
#include "exchange/order_fit.h"

namespace tradingd::exchange {

namespace {

namespace wire = binance_json;

// Allowance for the error in our estimate of Binance's clock when deciding that a request has expired.
constexpr TimeMs kClockErrorMarginMs = 1000;

QueryParams plain_params(const OrderRequest& o) {
    QueryParams p{{"symbol", o.symbol},
                  {"side", std::string(wire::side_word(o.side))},
                  {"type", std::string(wire::type_word(o.type))},
                  {"positionSide", std::string(wire::position_side_word(o.position_side))}};
    if (o.quantity) p.emplace_back("quantity", o.quantity->to_string());
    if (o.type == OrderType::limit) {
        if (o.price) p.emplace_back("price", o.price->to_string());
        p.emplace_back("timeInForce",
                       std::string(wire::time_in_force_word(o.time_in_force.value_or(TimeInForce::gtc))));
    }
    if (o.reduce_only) p.emplace_back("reduceOnly", "true");
    if (!o.client_order_id.empty()) p.emplace_back("newClientOrderId", o.client_order_id);
    p.emplace_back("newOrderRespType", "RESULT");  // the fill state of a MARKET order in the reply itself
    return p;
}

QueryParams algo_params(const OrderRequest& o) {
    QueryParams p{{"algoType", "CONDITIONAL"},
                  {"symbol", o.symbol},
                  {"side", std::string(wire::side_word(o.side))},
                  {"positionSide", std::string(wire::position_side_word(o.position_side))},
                  {"type", std::string(wire::type_word(o.type))}};
    // closePosition=true refuses a quantity (-4137) and reduceOnly (-4138).
    if (o.quantity && !o.close_position) p.emplace_back("quantity", o.quantity->to_string());
    if (has_limit_price(o.type)) {
        if (o.price) p.emplace_back("price", o.price->to_string());
        p.emplace_back("timeInForce",
                       std::string(wire::time_in_force_word(o.time_in_force.value_or(TimeInForce::gtc))));
    }
    if (o.stop_price) p.emplace_back("triggerPrice", o.stop_price->to_string());
    p.emplace_back("workingType", std::string(wire::working_type_word(o.working_type)));
    if (o.close_position) p.emplace_back("closePosition", "true");
    if (o.reduce_only && !o.close_position) p.emplace_back("reduceOnly", "true");
    if (o.activation_price) p.emplace_back("activatePrice", o.activation_price->to_string());
    if (o.callback_rate) p.emplace_back("callbackRate", o.callback_rate->to_string());
    if (!o.client_order_id.empty()) p.emplace_back("clientAlgoId", o.client_order_id);
    return p;
}

RestCall order_call(std::string_view method, std::string_view path, QueryParams params, int weight) {
    return RestCall{method, path, std::move(params), Security::signed_request, weight, Priority::essential,
                    false};
}

void sleep_ms(TimeMs ms) {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

Result<OrderRequest> BinanceTrading::fitted(const OrderRequest& request) {
    auto rules = rules_for(request.symbol);
    if (!rules) return rules.error();
    const SymbolInfo& s = rules.value();
    OrderRequest o = round_to_filters(s, request);

    Decimal mark;
    if (needs_mark_price(s, o)) {
        auto reply = rest_->call(RestCall{
            "GET", "/fapi/v1/premiumIndex", {{"symbol", o.symbol}}, Security::none, 1, Priority::essential});
        if (!reply) return reply.error();
        auto prices = wire::mark_prices(reply.value());
        if (!prices) return prices.error();
        if (prices->empty() || !prices->front().mark_price.is_positive()) {
            return local_error(Outcome::unavailable, "no mark price for " + o.symbol + " to value the order");
        }
        mark = prices->front().mark_price;
    }
    if (auto refusal = filter_refusal(s, request, o, mark)) return *refusal;
    return o;
}

Result<OrderInfo> BinanceTrading::place_order(const OrderRequest& request) {
    if (!request.client_order_id.empty() && !is_valid_client_order_id(request.client_order_id)) {
        return local_error(Outcome::rejected, "client order id \"" + request.client_order_id +
                                                  "\" is not 1-36 characters of [.A-Z:/a-z0-9_-]");
    }
    auto order = fitted(request);
    if (!order) return order.error();
    const bool conditional = kind_of(order->type) == OrderKind::conditional;
    RestCall call{"POST",
                  conditional ? "/fapi/v1/algoOrder" : "/fapi/v1/order",
                  conditional ? algo_params(*order) : plain_params(*order),
                  Security::signed_request,
                  0,  // placing costs no IP weight, only order count
                  Priority::essential,
                  true};
    auto reply = rest_->call(call);
    if (!reply) return reply.error();
    return conditional ? wire::algo_order(reply.value()) : wire::order(reply.value());
}

Result<OrderInfo> BinanceTrading::query_order(const std::string& symbol, const std::string& client_order_id,
                                              OrderKind kind) {
    if (kind == OrderKind::conditional) {
        auto reply =
            rest_->call(order_call("GET", "/fapi/v1/algoOrder", {{"clientAlgoId", client_order_id}}, 1));
        if (!reply) return reply.error();
        return wire::algo_order(reply.value());
    }
    auto reply = rest_->call(
        order_call("GET", "/fapi/v1/order", {{"symbol", symbol}, {"origClientOrderId", client_order_id}}, 1));
    if (!reply) return reply.error();
    return wire::order(reply.value());
}

Result<OrderInfo> BinanceTrading::cancel_order(const std::string& symbol, const std::string& client_order_id,
                                               OrderKind kind) {
    if (kind == OrderKind::plain) {
        auto reply = rest_->call(order_call("DELETE", "/fapi/v1/order",
                                            {{"symbol", symbol}, {"origClientOrderId", client_order_id}}, 1));
        if (!reply) return reply.error();
        return wire::order(reply.value());
    }
    auto reply =
        rest_->call(order_call("DELETE", "/fapi/v1/algoOrder", {{"clientAlgoId", client_order_id}}, 1));
    if (!reply) return reply.error();
    // The algo cancel answers only {algoId, clientAlgoId, code, msg}; the full order comes from a lookup. If
    // that lookup fails the cancel still succeeded, so a minimal record is returned rather than an error.
    if (auto full = query_order(symbol, client_order_id, kind); full.ok()) return full;
    OrderInfo o;
    o.symbol = symbol;
    o.kind = OrderKind::conditional;
    o.client_order_id = client_order_id;
    o.status = OrderStatus::canceled;
    o.algo_status = AlgoStatus::canceled;
    if (reply->is_object() && reply->contains("algoId") && (*reply)["algoId"].is_number_integer()) {
        o.algo_id = (*reply)["algoId"].get<std::int64_t>();
    }
    return o;
}

Result<OrderInfo> BinanceTrading::place_order_idempotent(const OrderRequest& request, int max_lookups) {
    if (request.client_order_id.empty()) {
        return local_error(
            Outcome::rejected,
            "idempotent placement needs a client order id: without one a lost reply cannot be looked up");
    }
    auto placed = place_order(request);
    if (placed.ok() || !must_query_order(placed.outcome())) return placed;
    return lookup_after_unknown(request, max_lookups);
}

// After unknown_status or duplicate_client_id. Every exit either returns the one order that exists, an
// error that proves no order was placed, or unknown_status.
Result<OrderInfo> BinanceTrading::lookup_after_unknown(const OrderRequest& request, int max_lookups) {
    const OrderKind kind = kind_of(request.type);
    TimeMs dead_after = rest_->last_signed_timestamp() + rest_->config().recv_window_ms + kClockErrorMarginMs;
    std::string last_problem = "no lookup made";
    int failed_lookups = 0;
    while (failed_lookups < max_lookups) {
        auto found = query_order(request.symbol, request.client_order_id, kind);
        if (found.ok()) return found;
        if (found.outcome() != Outcome::unknown_order) {
            last_problem = found.error().describe();
            ++failed_lookups;
            sleep_ms(std::min<TimeMs>(250LL << std::min(failed_lookups, 3), 2000));
            continue;
        }
        // Not found. The first request may still be in flight inside Binance; once its timestamp is older
        // than recvWindow the matching engine refuses it (-5028), so only then is "not found" final.
        if (const TimeMs wait = dead_after - rest_->server_now(); wait > 0) {
            sleep_ms(wait);
            continue;
        }
        auto again = place_order(request);
        if (again.ok() || !must_query_order(again.outcome())) return again;
        last_problem = again.error().describe();
        ++failed_lookups;
        dead_after = rest_->last_signed_timestamp() + rest_->config().recv_window_ms + kClockErrorMarginMs;
    }
    Error e;
    e.outcome = Outcome::unknown_status;
    e.message = "order " + request.client_order_id + " on " + request.symbol + " is still unknown after " +
                std::to_string(max_lookups) + " failed lookups (last: " + last_problem +
                "); do not place it again before it has been found or reconciled";
    return e;
}

}  // namespace tradingd::exchange
