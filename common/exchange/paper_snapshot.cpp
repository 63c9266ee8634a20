// The paper account as JSON: every field, money as exact decimal strings, enums as numbers of their
// declaration order (stable: the enums in types.h only ever grow at the end). A format version guards
// against reading a snapshot written by an incompatible build.
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "exchange/paper_account.h"

namespace tradingd::exchange::paper {
namespace {

using json = nlohmann::json;
constexpr int kFormat = 1;

std::string dec(const Decimal& d) {
    return d.to_string();
}
Decimal dec(const json& j) {
    return Decimal::parse(j.get<std::string>());
}
template <class E>
int num(E e) {
    return static_cast<int>(e);
}
template <class E>
E as(const json& j) {
    return static_cast<E>(j.get<int>());
}

json order_json(const Order& o) {
    const OrderInfo& i = o.info;
    json j = {{"symbol", i.symbol},
              {"kind", num(i.kind)},
              {"order_id", i.order_id},
              {"algo_id", i.algo_id},
              {"client_order_id", i.client_order_id},
              {"side", num(i.side)},
              {"type", num(i.type)},
              {"position_side", num(i.position_side)},
              {"status", num(i.status)},
              {"price", dec(i.price)},
              {"stop_price", dec(i.stop_price)},
              {"avg_price", dec(i.avg_price)},
              {"orig_qty", dec(i.orig_qty)},
              {"executed_qty", dec(i.executed_qty)},
              {"cum_quote", dec(i.cum_quote)},
              {"reduce_only", i.reduce_only},
              {"close_position", i.close_position},
              {"working_type", num(i.working_type)},
              {"time", i.time},
              {"update_time", i.update_time},
              {"activation_price", dec(o.activation_price)},
              {"callback_rate", dec(o.callback_rate)},
              {"activated", o.activated},
              {"extreme", dec(o.extreme)}};
    if (i.algo_status) j["algo_status"] = num(*i.algo_status);
    if (i.time_in_force) j["time_in_force"] = num(*i.time_in_force);
    return j;
}

Order order_from(const json& j) {
    Order o;
    OrderInfo& i = o.info;
    i.symbol = j.at("symbol").get<std::string>();
    i.kind = as<OrderKind>(j.at("kind"));
    i.order_id = j.at("order_id").get<std::int64_t>();
    i.algo_id = j.at("algo_id").get<std::int64_t>();
    i.client_order_id = j.at("client_order_id").get<std::string>();
    i.side = as<Side>(j.at("side"));
    i.type = as<OrderType>(j.at("type"));
    i.position_side = as<PositionSide>(j.at("position_side"));
    i.status = as<OrderStatus>(j.at("status"));
    i.price = dec(j.at("price"));
    i.stop_price = dec(j.at("stop_price"));
    i.avg_price = dec(j.at("avg_price"));
    i.orig_qty = dec(j.at("orig_qty"));
    i.executed_qty = dec(j.at("executed_qty"));
    i.cum_quote = dec(j.at("cum_quote"));
    i.reduce_only = j.at("reduce_only").get<bool>();
    i.close_position = j.at("close_position").get<bool>();
    i.working_type = as<WorkingType>(j.at("working_type"));
    i.time = j.at("time").get<TimeMs>();
    i.update_time = j.at("update_time").get<TimeMs>();
    if (j.contains("algo_status")) i.algo_status = as<AlgoStatus>(j["algo_status"]);
    if (j.contains("time_in_force")) i.time_in_force = as<TimeInForce>(j["time_in_force"]);
    o.activation_price = dec(j.at("activation_price"));
    o.callback_rate = dec(j.at("callback_rate"));
    o.activated = j.at("activated").get<bool>();
    o.extreme = dec(j.at("extreme"));
    return o;
}

json trade_json(const UserTrade& t) {
    return {{"id", t.id},
            {"order_id", t.order_id},
            {"symbol", t.symbol},
            {"side", num(t.side)},
            {"position_side", num(t.position_side)},
            {"price", dec(t.price)},
            {"qty", dec(t.qty)},
            {"quote_qty", dec(t.quote_qty)},
            {"realized_pnl", dec(t.realized_pnl)},
            {"commission", dec(t.commission)},
            {"commission_asset", t.commission_asset},
            {"maker", t.maker},
            {"time", t.time}};
}

UserTrade trade_from(const json& j) {
    UserTrade t;
    t.id = j.at("id").get<std::int64_t>();
    t.order_id = j.at("order_id").get<std::int64_t>();
    t.symbol = j.at("symbol").get<std::string>();
    t.side = as<Side>(j.at("side"));
    t.position_side = as<PositionSide>(j.at("position_side"));
    t.price = dec(j.at("price"));
    t.qty = dec(j.at("qty"));
    t.quote_qty = dec(j.at("quote_qty"));
    t.realized_pnl = dec(j.at("realized_pnl"));
    t.commission = dec(j.at("commission"));
    t.commission_asset = j.at("commission_asset").get<std::string>();
    t.maker = j.at("maker").get<bool>();
    t.time = j.at("time").get<TimeMs>();
    return t;
}

}  // namespace

std::string to_json(const Account& a) {
    const PaperSettings& s = a.settings;
    json j = {{"format", kFormat},
              {"settings",
               {{"starting_balance", dec(s.starting_balance)},
                {"taker_fee_rate", dec(s.taker_fee_rate)},
                {"maker_fee_rate", dec(s.maker_fee_rate)},
                {"slippage_rate", dec(s.slippage_rate)},
                {"default_leverage", s.default_leverage},
                {"funding", s.funding}}},
              {"wallet", dec(a.wallet)},
              {"next_order_id", a.next_order_id},
              {"next_algo_id", a.next_algo_id},
              {"next_trade_id", a.next_trade_id},
              {"funded_until", a.funded_until},
              {"version", a.version}};
    json& positions = j["positions"] = json::object();
    for (const auto& [symbol, p] : a.positions)
        positions[symbol] = {
            {"amount", dec(p.amount)}, {"entry_price", dec(p.entry_price)}, {"update_time", p.update_time}};
    j["leverage"] = a.leverage;
    json& margin = j["margin_types"] = json::object();
    for (const auto& [symbol, type] : a.margin_types) margin[symbol] = num(type);
    json& orders = j["orders"] = json::array();
    for (const Order& o : a.orders) orders.push_back(order_json(o));
    json& trades = j["trades"] = json::array();
    for (const UserTrade& t : a.trades) trades.push_back(trade_json(t));
    return j.dump();
}

std::unique_ptr<Account> from_json(const std::string& text) {
    try {
        json j = json::parse(text);
        if (j.at("format").get<int>() != kFormat)
            throw std::invalid_argument("paper account snapshot has format " + j["format"].dump() +
                                        ", expected " + std::to_string(kFormat));
        auto a = std::make_unique<Account>();
        const json& s = j.at("settings");
        a->settings.starting_balance = dec(s.at("starting_balance"));
        a->settings.taker_fee_rate = dec(s.at("taker_fee_rate"));
        a->settings.maker_fee_rate = dec(s.at("maker_fee_rate"));
        a->settings.slippage_rate = dec(s.at("slippage_rate"));
        a->settings.default_leverage = s.at("default_leverage").get<int>();
        a->settings.funding = s.at("funding").get<bool>();
        a->wallet = dec(j.at("wallet"));
        a->next_order_id = j.at("next_order_id").get<std::int64_t>();
        a->next_algo_id = j.at("next_algo_id").get<std::int64_t>();
        a->next_trade_id = j.at("next_trade_id").get<std::int64_t>();
        a->funded_until = j.at("funded_until").get<TimeMs>();
        a->version = j.at("version").get<std::uint64_t>();
        for (const auto& [symbol, p] : j.at("positions").items())
            a->positions[symbol] = {dec(p.at("amount")), dec(p.at("entry_price")),
                                    p.at("update_time").get<TimeMs>()};
        a->leverage = j.at("leverage").get<std::map<std::string, int>>();
        for (const auto& [symbol, type] : j.at("margin_types").items())
            a->margin_types[symbol] = as<MarginType>(type);
        for (const json& o : j.at("orders")) a->orders.push_back(order_from(o));
        for (const json& t : j.at("trades")) a->trades.push_back(trade_from(t));
        return a;
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("not a paper account snapshot: ") + e.what());
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("not a paper account snapshot: ") + e.what());
    }
}

}  // namespace tradingd::exchange::paper
