// The JSON payloads of the bot's events: compact, stable field names, money as exact decimal strings.
#include <nlohmann/json.hpp>

#include <charconv>

#include "bot/bot_impl.h"

namespace tradingd::bot {

using nlohmann::json;

namespace {

json opt(const std::optional<Decimal>& d) {
    return d ? json(d->to_string()) : json(nullptr);
}

}  // namespace

std::string_view position_status_name(PositionStatus status) {
    switch (status) {
        case PositionStatus::pending:
            return "pending";
        case PositionStatus::open:
            return "open";
        case PositionStatus::closed:
            return "closed";
        case PositionStatus::cancelled:
            return "cancelled";
    }
    return "unknown";
}

std::optional<PositionStatus> parse_position_status(std::string_view name) {
    for (auto s :
         {PositionStatus::pending, PositionStatus::open, PositionStatus::closed, PositionStatus::cancelled})
        if (position_status_name(s) == name) return s;
    return std::nullopt;
}

std::string leg_name(exchange::Leg leg) {
    switch (leg) {
        case exchange::Leg::entry:
            return "entry";
        case exchange::Leg::stop_loss:
            return "stop_loss";
        case exchange::Leg::take_profit:
            return "take_profit";
        case exchange::Leg::exit:
            return "exit";
    }
    return "unknown";
}

std::string order_status_name(exchange::OrderStatus status) {
    constexpr const char* names[] = {"NEW",     "PARTIALLY_FILLED", "FILLED",  "CANCELED",
                                     "EXPIRED", "EXPIRED_IN_MATCH", "REJECTED"};
    return names[static_cast<int>(status)];
}

std::string atr_text(double atr) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, atr);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string order_payload(const PositionRecord& p, exchange::Leg leg, const exchange::OrderInfo& o,
                          const exchange::Error* error) {
    json j{{"position_id", p.id},
           {"client_order_id", o.client_order_id},
           {"leg", leg_name(leg)},
           {"symbol", o.symbol.empty() ? p.symbol : o.symbol},
           {"side", o.side == exchange::Side::buy ? "BUY" : "SELL"},
           {"status", order_status_name(o.status)}};
    if (o.orig_qty.is_positive()) j["quantity"] = o.orig_qty.to_string();
    if (o.stop_price.is_positive()) j["stop_price"] = o.stop_price.to_string();
    if (o.executed_qty.is_positive()) j["filled_quantity"] = o.executed_qty.to_string();
    if (o.avg_price.is_positive()) j["avg_price"] = o.avg_price.to_string();
    if (error) j["error"] = error->describe();
    return j.dump();
}

std::string position_opened_payload(const PositionRecord& p) {
    return json{{"position_id", p.id},
                {"symbol", p.symbol},
                {"direction", strategy::direction_name(p.direction)},
                {"quantity", p.quantity.to_string()},
                {"entry_price", p.entry_price.to_string()},
                {"stop_loss", opt(p.stop_loss)},
                {"take_profit", opt(p.take_profit)},
                {"adopted", p.adopted}}
        .dump();
}

std::string position_closed_payload(const PositionRecord& p) {
    return json{{"position_id", p.id},
                {"symbol", p.symbol},
                {"exit_price", opt(p.exit_price)},
                {"realized_pnl", opt(p.realized_pnl)},
                {"fees", p.fees.to_string()},
                {"close_reason", p.close_reason}}
        .dump();
}

std::string reconcile_payload(const ReconcileReport& r) {
    return json{{"restored", r.restored},
                {"filled_pending", r.filled_pending},
                {"cancelled_pending", r.cancelled_pending},
                {"closed", r.closed},
                {"adopted", r.adopted},
                {"flattened", r.flattened},
                {"rearmed", r.rearmed},
                {"stale_cancelled", r.stale_cancelled},
                {"unknown", r.unknown},
                {"details", r.details}}
        .dump();
}

std::string message_payload(std::string_view key, std::string_view value, std::string_view where) {
    json j{{std::string(key), value}};
    if (!where.empty()) j["where"] = where;
    return j.dump();
}

std::string decision_payload(std::int64_t scan_id, const std::vector<DecisionLine>& entries,
                             const std::vector<DecisionLine>& refused, std::size_t rows) {
    json e = json::array(), r = json::array();
    for (const auto& l : entries)
        e.push_back({{"symbol", l.symbol},
                     {"direction", l.what},
                     {"score", l.score},
                     {"quantity", l.detail},
                     {"position_id", l.position_id}});
    for (const auto& l : refused)
        r.push_back({{"symbol", l.symbol}, {"reason", l.what}, {"detail", l.detail}, {"score", l.score}});
    return json{{"scan_id", scan_id},
                {"entries", e},
                {"refused", r},
                {"skipped", rows - entries.size() - refused.size()}}
        .dump();
}

}  // namespace tradingd::bot
