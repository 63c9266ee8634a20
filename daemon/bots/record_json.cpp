// Journal records <-> JSON, one codec for both ends of the worker socket.
#include "bots/record_json.h"

#include <stdexcept>

#include "exchange/binance_json_fields.h"

namespace tradingd::bots {
namespace {

using nlohmann::json;
namespace wire = exchange::binance_json::fields;

constexpr std::pair<std::string_view, exchange::Leg> kLegs[] = {{"entry", exchange::Leg::entry},
                                                                {"stop_loss", exchange::Leg::stop_loss},
                                                                {"take_profit", exchange::Leg::take_profit},
                                                                {"exit", exchange::Leg::exit}};

template <class E, std::size_t N>
std::string_view word_of(E e, const std::pair<std::string_view, E> (&words)[N]) {
    for (const auto& [w, v] : words)
        if (v == e) return w;
    throw std::invalid_argument("enum value without a word");
}

template <class E, std::size_t N>
E enum_of(const json& j, const char* name, const std::pair<std::string_view, E> (&words)[N]) {
    const std::string w = j.at(name).get<std::string>();
    for (const auto& [word, v] : words)
        if (word == w) return v;
    throw std::invalid_argument(std::string("field '") + name + "' has unknown value '" + w + "'");
}

money::Decimal dec(const json& j, const char* name) {
    const auto& v = j.at(name);
    if (!v.is_string())
        throw std::invalid_argument(std::string("field '") + name + "' must be a decimal string");
    auto r = money::Decimal::try_parse(v.get<std::string>());
    if (!r) throw std::invalid_argument(std::string("field '") + name + "' is not a decimal");
    return *r;
}

std::optional<money::Decimal> opt_dec(const json& j, const char* name) {
    if (!j.contains(name) || j[name].is_null()) return std::nullopt;
    return dec(j, name);
}

template <class T>
std::optional<T> opt(const json& j, const char* name) {
    if (!j.contains(name) || j[name].is_null()) return std::nullopt;
    return j[name].get<T>();
}

template <class T>
json or_null(const std::optional<T>& v) {
    if (!v) return nullptr;
    if constexpr (std::is_same_v<T, money::Decimal>)
        return v->to_string();
    else
        return *v;
}

}  // namespace

std::string_view leg_name(exchange::Leg leg) {
    return word_of(leg, kLegs);
}
std::string_view order_status_name(exchange::OrderStatus s) {
    return word_of(s, wire::kStatuses);
}
std::string_view algo_status_name(exchange::AlgoStatus s) {
    return word_of(s, wire::kAlgoStatuses);
}
std::string_view order_type_name(exchange::OrderType t) {
    return word_of(t, wire::kTypes);
}
std::string_view side_name(exchange::Side s) {
    return word_of(s, wire::kSides);
}

json position_to_json(const bot::PositionRecord& p) {
    return {{"id", p.id},
            {"agent_id", p.agent_id},
            {"symbol", p.symbol},
            {"direction", strategy::direction_name(p.direction)},
            {"status", bot::position_status_name(p.status)},
            {"quantity", p.quantity.to_string()},
            {"entry_price", p.entry_price.to_string()},
            {"exit_price", or_null(p.exit_price)},
            {"stop_loss", or_null(p.stop_loss)},
            {"take_profit", or_null(p.take_profit)},
            {"leverage", p.leverage},
            {"score", or_null(p.score)},
            {"atr_at_entry", p.atr_at_entry},
            {"realized_pnl", or_null(p.realized_pnl)},
            {"fees", p.fees.to_string()},
            {"close_reason", p.close_reason},
            {"opened_at_ms", p.opened_at_ms},
            {"closed_at_ms", or_null(p.closed_at_ms)},
            {"attempts",
             {{"entry", p.attempts.entry},
              {"stop_loss", p.attempts.stop_loss},
              {"take_profit", p.attempts.take_profit},
              {"exit", p.attempts.exit},
              {"trailing", p.attempts.trailing}}},
            {"scan_id", or_null(p.scan_id)},
            {"adopted", p.adopted}};
}

bot::PositionRecord position_from_json(const json& j) {
    try {
        bot::PositionRecord p;
        p.id = j.value("id", std::int64_t{0});
        p.agent_id = j.value("agent_id", std::int64_t{0});
        p.symbol = j.at("symbol").get<std::string>();
        const auto dir = j.at("direction").get<std::string>();
        if (dir != "LONG" && dir != "SHORT") throw std::invalid_argument("direction must be LONG or SHORT");
        p.direction = dir == "LONG" ? strategy::Direction::long_side : strategy::Direction::short_side;
        auto status = bot::parse_position_status(j.at("status").get<std::string>());
        if (!status) throw std::invalid_argument("unknown position status");
        p.status = *status;
        p.quantity = dec(j, "quantity");
        p.entry_price = dec(j, "entry_price");
        p.exit_price = opt_dec(j, "exit_price");
        p.stop_loss = opt_dec(j, "stop_loss");
        p.take_profit = opt_dec(j, "take_profit");
        p.leverage = j.value("leverage", 1);
        p.score = opt<int>(j, "score");
        p.atr_at_entry = j.value("atr_at_entry", std::string());
        p.realized_pnl = opt_dec(j, "realized_pnl");
        p.fees = j.contains("fees") ? dec(j, "fees") : money::Decimal();
        p.close_reason = j.value("close_reason", std::string());
        p.opened_at_ms = j.value("opened_at_ms", exchange::TimeMs{0});
        p.closed_at_ms = opt<exchange::TimeMs>(j, "closed_at_ms");
        if (j.contains("attempts")) {
            const auto& a = j["attempts"];
            p.attempts.entry = a.value("entry", 0u);
            p.attempts.stop_loss = a.value("stop_loss", 0u);
            p.attempts.take_profit = a.value("take_profit", 0u);
            p.attempts.exit = a.value("exit", 0u);
            p.attempts.trailing = a.value("trailing", 0u);
        }
        p.scan_id = opt<std::int64_t>(j, "scan_id");
        p.adopted = j.value("adopted", false);
        return p;
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("malformed position: ") + e.what());
    }
}

json order_to_json(const bot::OrderRecord& o) {
    return {{"client_order_id", o.client_order_id},
            {"position_id", o.position_id},
            {"leg", leg_name(o.leg)},
            {"symbol", o.symbol},
            {"side", side_name(o.side)},
            {"type", order_type_name(o.type)},
            {"status", order_status_name(o.status)},
            {"algo_status", o.algo_status ? json(algo_status_name(*o.algo_status)) : json(nullptr)},
            {"quantity", o.quantity.to_string()},
            {"price", or_null(o.price)},
            {"stop_price", or_null(o.stop_price)},
            {"filled_quantity", o.filled_quantity.to_string()},
            {"average_price", or_null(o.average_price)},
            {"exchange_order_id", or_null(o.exchange_order_id)},
            {"reduce_only", o.reduce_only},
            {"close_position", o.close_position},
            {"updated_at_ms", o.updated_at_ms}};
}

bot::OrderRecord order_from_json(const json& j) {
    try {
        bot::OrderRecord o;
        o.client_order_id = j.at("client_order_id").get<std::string>();
        if (o.client_order_id.empty() || o.client_order_id.size() > 36)
            throw std::invalid_argument("client_order_id must be 1 to 36 characters");
        o.position_id = j.value("position_id", std::int64_t{0});
        o.leg = enum_of(j, "leg", kLegs);
        o.symbol = j.at("symbol").get<std::string>();
        o.side = enum_of(j, "side", wire::kSides);
        o.type = enum_of(j, "type", wire::kTypes);
        o.status = enum_of(j, "status", wire::kStatuses);
        if (j.contains("algo_status") && !j["algo_status"].is_null())
            o.algo_status = enum_of(j, "algo_status", wire::kAlgoStatuses);
        o.quantity = dec(j, "quantity");
        o.price = opt_dec(j, "price");
        o.stop_price = opt_dec(j, "stop_price");
        o.filled_quantity = j.contains("filled_quantity") ? dec(j, "filled_quantity") : money::Decimal();
        o.average_price = opt_dec(j, "average_price");
        o.exchange_order_id = opt<std::int64_t>(j, "exchange_order_id");
        o.reduce_only = j.value("reduce_only", false);
        o.close_position = j.value("close_position", false);
        o.updated_at_ms = j.value("updated_at_ms", exchange::TimeMs{0});
        return o;
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("malformed order: ") + e.what());
    }
}

}  // namespace tradingd::bots
