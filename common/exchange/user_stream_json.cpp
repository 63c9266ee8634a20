// The user data stream's event shapes (reference §6) into typed structs; money fields exactly, as strings.
#include <nlohmann/json.hpp>

#include "exchange/binance_json_fields.h"
#include "exchange/user_stream.h"

namespace tradingd::exchange {
namespace {

using namespace binance_json::fields;

OrderUpdate order_update(const json& j) {
    const json& o = need(j, "o");
    OrderUpdate u;
    u.event_time = integer(j, "E");
    u.transaction_time = integer_or(j, "T", u.event_time);
    u.symbol = text(o, "s");
    u.client_order_id = text(o, "c");
    u.side = word(o, "S", kSides);
    u.order_type = text(o, "o");
    u.orig_type = find(o, "ot") ? text(o, "ot") : u.order_type;
    u.exec_type = text(o, "x");
    u.status = word(o, "X", kStatuses);
    u.order_id = integer(o, "i");
    u.trade_id = integer_or(o, "t", 0);
    u.quantity = dec(o, "q");
    u.price = dec_or_zero(o, "p");
    u.avg_price = dec_or_zero(o, "ap");
    u.stop_price = dec_or_zero(o, "sp");
    u.last_qty = dec_or_zero(o, "l");
    u.last_price = dec_or_zero(o, "L");
    u.cum_qty = dec_or_zero(o, "z");
    u.commission = dec_or_zero(o, "n");
    u.commission_asset = find(o, "N") ? text(o, "N") : "";
    u.realized_pnl = dec_or_zero(o, "rp");
    u.reduce_only = flag(o, "R", false);
    u.close_position = flag(o, "cp", false);
    return u;
}

AlgoUpdate algo_update(const json& j) {
    const json& o = need(j, "o");
    AlgoUpdate u;
    u.event_time = integer(j, "E");
    u.symbol = text(o, "s");
    u.client_algo_id = text(o, "caid");
    u.order_type = text(o, "o");
    u.side = word(o, "S", kSides);
    u.status = word(o, "X", kAlgoStatuses);
    u.algo_id = integer(o, "aid");
    u.actual_order_id = integer_or(o, "ai", 0);
    u.quantity = dec_or_zero(o, "q");
    u.trigger_price = dec_or_zero(o, "tp");
    u.reject_reason = find(o, "rm") ? text(o, "rm") : "";
    return u;
}

AccountUpdate account_update(const json& j) {
    const json& a = need(j, "a");
    AccountUpdate u;
    u.event_time = integer(j, "E");
    u.reason = find(a, "m") ? text(a, "m") : "";
    if (const json* b = find(a, "B")) {
        for (const json& x : need_array(*b, "B"))
            u.balances.push_back({text(x, "a"), dec(x, "wb"), dec_or_zero(x, "cw"), dec_or_zero(x, "bc")});
    }
    if (const json* p = find(a, "P")) {
        for (const json& x : need_array(*p, "P"))
            u.positions.push_back({text(x, "s"), dec(x, "pa"), dec_or_zero(x, "ep"), dec_or_zero(x, "up")});
    }
    return u;
}

}  // namespace

Result<std::optional<UserStreamEvent>> parse_user_stream_event(std::string_view text_in) {
    return read("user stream event", [&]() -> std::optional<UserStreamEvent> {
        const json j = json::parse(text_in);
        // The combined form wraps each event as {"stream":..., "data":{...}}.
        const json& e = j.contains("data") && j["data"].is_object() ? j["data"] : j;
        const json* kind = find(e, "e");
        if (!kind || !kind->is_string()) fail("no event type 'e'");
        const std::string& k = kind->get_ref<const std::string&>();
        if (k == "ORDER_TRADE_UPDATE") return order_update(e);
        if (k == "ALGO_UPDATE") return algo_update(e);
        if (k == "ACCOUNT_UPDATE") return account_update(e);
        return std::nullopt;  // listenKeyExpired, MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, ...: nothing to parse
                              // here
    });
}

}  // namespace tradingd::exchange
