// SQL of the bots, positions, orders and paper_accounts tables as the supervisor and workers use them.
// Positions' status is stored upper-case (OPEN, CLOSED as before 0004; PENDING, CANCELLED added).
#include "bots/bot_store.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "bots/record_json.h"

namespace tradingd::bots {
namespace {

using nlohmann::json;
using store::Value;

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

template <class T>
Value opt_value(const std::optional<T>& v) {
    if (!v) return nullptr;
    if constexpr (std::is_same_v<T, money::Decimal>)
        return v->to_string();
    else
        return static_cast<std::int64_t>(*v);
}

json opt_dec_text(const store::Statement& st, int col) {
    if (st.is_null(col)) return nullptr;
    return store::normalize_decimal(st.get_text(col));
}
json opt_int(const store::Statement& st, int col) {
    if (st.is_null(col)) return nullptr;
    return st.get_int(col);
}
json opt_text(const store::Statement& st, int col) {
    if (st.is_null(col)) return nullptr;
    return st.get_text(col);
}

constexpr const char* kBotColumns =
    "SELECT b.agent_id, a.display_name, b.mode, b.state, b.desired_state, b.restart_count, b.last_error, "
    "b.last_cause, b.last_restart_at, b.started_at, b.worker_pid FROM bots b JOIN agents a ON a.id = "
    "b.agent_id ";

BotInfo read_bot(const store::Statement& st) {
    BotInfo b;
    b.agent_id = st.get_int(0);
    b.display_name = st.get_text(1);
    b.mode = st.get_text(2);
    b.state = st.get_text(3);
    b.desired_state = st.get_text(4);
    b.restart_count = st.get_int(5);
    b.last_error = st.get_opt_text(6);
    b.last_cause = st.get_opt_text(7);
    b.last_restart_at = st.get_opt_text(8);
    b.started_at = st.get_opt_text(9);
    b.worker_pid = st.get_opt_int(10);
    return b;
}

}  // namespace

bool BotStore::agent_exists(std::int64_t agent_id) {
    return repo_.find_agent(agent_id).has_value();
}

std::vector<BotInfo> BotStore::list() {
    auto st = conn_.cached(std::string(kBotColumns) + "ORDER BY b.agent_id");
    std::vector<BotInfo> out;
    while (st->step()) out.push_back(read_bot(*st));
    return out;
}

std::optional<BotInfo> BotStore::find(std::int64_t agent_id) {
    auto st = conn_.cached(std::string(kBotColumns) + "WHERE b.agent_id = ?");
    st->bind_all(agent_id);
    if (!st->step()) return std::nullopt;
    return read_bot(*st);
}

BotInfo BotStore::ensure(std::int64_t agent_id) {
    repo_.ensure_bot(agent_id);
    auto b = find(agent_id);
    if (!b) throw std::runtime_error("bot row missing after insert");
    return *b;
}

void BotStore::set_mode(std::int64_t agent_id, const std::string& mode) {
    auto st = conn_.cached("UPDATE bots SET mode = ?, updated_at = CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(mode, agent_id);
    st->step();
}

void BotStore::set_desired(std::int64_t agent_id, const std::string& desired) {
    auto st =
        conn_.cached("UPDATE bots SET desired_state = ?, updated_at = CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(desired, agent_id);
    st->step();
}

void BotStore::set_state(std::int64_t agent_id, const std::string& state,
                         const std::optional<std::string>& error) {
    auto st = conn_.cached(
        "UPDATE bots SET state = ?, last_error = COALESCE(?, last_error), worker_pid = CASE WHEN ? IN "
        "('stopped', 'error') THEN NULL ELSE worker_pid END, updated_at = CURRENT_TIMESTAMP WHERE agent_id = "
        "?");
    st->bind_all(state, error ? Value(*error) : Value(nullptr), state, agent_id);
    st->step();
}

void BotStore::set_running(std::int64_t agent_id, std::int64_t pid) {
    auto st = conn_.cached(
        "UPDATE bots SET state = 'running', worker_pid = ?, started_at = CURRENT_TIMESTAMP, updated_at = "
        "CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(pid, agent_id);
    st->step();
}

void BotStore::record_restart(std::int64_t agent_id, const std::string& cause) {
    auto st = conn_.cached(
        "UPDATE bots SET restart_count = restart_count + 1, last_cause = ?, last_restart_at = "
        "CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(cause, agent_id);
    st->step();
}

void BotStore::reset_restarts(std::int64_t agent_id) {
    auto st = conn_.cached(
        "UPDATE bots SET restart_count = 0, last_error = NULL, last_cause = NULL, updated_at = "
        "CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(agent_id);
    st->step();
}

std::vector<std::int64_t> BotStore::desired_running() {
    auto st = conn_.cached(
        "SELECT agent_id FROM bots WHERE desired_state = 'running' AND state <> 'error' ORDER BY "
        "agent_id");
    std::vector<std::int64_t> out;
    while (st->step()) out.push_back(st->get_int(0));
    return out;
}

json BotStore::risk_settings(std::int64_t agent_id) {
    auto agent = repo_.find_agent(agent_id);
    if (!agent) throw std::runtime_error("no agent " + std::to_string(agent_id));
    return {{"equity_fraction", store::normalize_decimal(agent->risk_fraction)},
            {"leverage", agent->max_leverage},
            {"max_open_positions", agent->max_positions}};
}

std::int64_t BotStore::create_position(std::int64_t agent_id, const json& record) {
    auto p = position_from_json(record);
    auto st = conn_.cached(
        "INSERT INTO positions (agent_id, symbol, side, status, quantity, entry_price, stop_loss, "
        "take_profit, "
        "leverage, score, atr_at_entry, fees, opened_at_ms, entry_attempt, stop_loss_attempt, "
        "take_profit_attempt, exit_attempt, trailing_attempt, scan_id, adopted) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st->bind_all(agent_id, p.symbol, std::string(strategy::direction_name(p.direction)),
                 upper(bot::position_status_name(p.status)), p.quantity.to_string(),
                 p.entry_price.to_string(), opt_value(p.stop_loss), opt_value(p.take_profit),
                 std::int64_t{p.leverage}, opt_value(p.score), p.atr_at_entry, p.fees.to_string(),
                 p.opened_at_ms, std::int64_t{p.attempts.entry}, std::int64_t{p.attempts.stop_loss},
                 std::int64_t{p.attempts.take_profit}, std::int64_t{p.attempts.exit},
                 std::int64_t{p.attempts.trailing}, opt_value(p.scan_id), std::int64_t{p.adopted ? 1 : 0});
    st->step();
    return conn_.last_insert_id();
}

void BotStore::update_position(std::int64_t agent_id, const json& record) {
    auto p = position_from_json(record);
    auto st = conn_.cached(
        "UPDATE positions SET symbol = ?, side = ?, status = ?, quantity = ?, entry_price = ?, exit_price = "
        "?, "
        "stop_loss = ?, take_profit = ?, leverage = ?, score = ?, atr_at_entry = ?, realized_pnl = ?, fees = "
        "?, "
        "close_reason = ?, opened_at_ms = ?, closed_at_ms = ?, closed_at = CASE WHEN ? IS NULL THEN NULL "
        "ELSE "
        "CURRENT_TIMESTAMP END, entry_attempt = ?, stop_loss_attempt = ?, take_profit_attempt = ?, "
        "exit_attempt = ?, trailing_attempt = ?, scan_id = ?, adopted = ? WHERE id = ? AND agent_id = ?");
    st->bind_all(p.symbol, std::string(strategy::direction_name(p.direction)),
                 upper(bot::position_status_name(p.status)), p.quantity.to_string(),
                 p.entry_price.to_string(), opt_value(p.exit_price), opt_value(p.stop_loss),
                 opt_value(p.take_profit), std::int64_t{p.leverage}, opt_value(p.score), p.atr_at_entry,
                 opt_value(p.realized_pnl), p.fees.to_string(),
                 p.close_reason.empty() ? Value(nullptr) : Value(p.close_reason), p.opened_at_ms,
                 opt_value(p.closed_at_ms), opt_value(p.closed_at_ms), std::int64_t{p.attempts.entry},
                 std::int64_t{p.attempts.stop_loss}, std::int64_t{p.attempts.take_profit},
                 std::int64_t{p.attempts.exit}, std::int64_t{p.attempts.trailing}, opt_value(p.scan_id),
                 std::int64_t{p.adopted ? 1 : 0}, p.id, agent_id);
    st->step();
    if (st->affected_rows() != 1)
        throw std::invalid_argument("no position " + std::to_string(p.id) + " of this agent");
}

void BotStore::record_order(std::int64_t agent_id, const json& record) {
    auto o = order_from_json(record);
    {
        // A client order id belongs to one agent for ever: refuse to overwrite another agent's order.
        auto owner = conn_.cached("SELECT agent_id FROM orders WHERE client_order_id = ?");
        owner->bind_all(o.client_order_id);
        if (owner->step() && owner->get_int(0) != agent_id)
            throw std::invalid_argument("client order id " + o.client_order_id + " is not this agent's");
    }
    const Value position = o.position_id > 0 ? Value(o.position_id) : Value(nullptr);
    const Value algo = o.algo_status ? Value(std::string(algo_status_name(*o.algo_status))) : Value(nullptr);
    const Value exchange_id =
        o.exchange_order_id ? Value(std::to_string(*o.exchange_order_id)) : Value(nullptr);
    auto up = conn_.cached(
        "UPDATE orders SET position_id = ?, exchange_order_id = ?, status = ?, algo_status = ?, quantity = "
        "?, "
        "price = ?, stop_price = ?, filled_quantity = ?, average_price = ?, updated_at_ms = ?, updated_at = "
        "CURRENT_TIMESTAMP WHERE client_order_id = ? AND agent_id = ?");
    up->bind_all(position, exchange_id, std::string(order_status_name(o.status)), algo,
                 o.quantity.to_string(), opt_value(o.price), opt_value(o.stop_price),
                 o.filled_quantity.to_string(), opt_value(o.average_price), o.updated_at_ms,
                 o.client_order_id, agent_id);
    up->step();
    if (up->affected_rows() == 1) return;
    auto ins = conn_.cached(
        "INSERT INTO orders (agent_id, position_id, client_order_id, exchange_order_id, symbol, side, type, "
        "leg, "
        "status, algo_status, quantity, price, stop_price, filled_quantity, average_price, reduce_only, "
        "close_position, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins->bind_all(
        agent_id, position, o.client_order_id, exchange_id, o.symbol, std::string(side_name(o.side)),
        std::string(order_type_name(o.type)), std::string(leg_name(o.leg)),
        std::string(order_status_name(o.status)), algo, o.quantity.to_string(), opt_value(o.price),
        opt_value(o.stop_price), o.filled_quantity.to_string(), opt_value(o.average_price),
        std::int64_t{o.reduce_only ? 1 : 0}, std::int64_t{o.close_position ? 1 : 0}, o.updated_at_ms);
    ins->step();
}

void BotStore::save_paper_state(std::int64_t agent_id, const std::string& state_json) {
    auto up = conn_.cached(
        "UPDATE paper_accounts SET state = ?, updated_at = CURRENT_TIMESTAMP WHERE agent_id = ?");
    up->bind_all(state_json, agent_id);
    up->step();
    if (up->affected_rows() == 1) return;
    auto ins = conn_.cached("INSERT INTO paper_accounts (agent_id, state) VALUES (?, ?)");
    ins->bind_all(agent_id, state_json);
    ins->step();
}

std::optional<std::string> BotStore::paper_state(std::int64_t agent_id) {
    auto st = conn_.cached("SELECT state FROM paper_accounts WHERE agent_id = ?");
    st->bind_all(agent_id);
    if (!st->step()) return std::nullopt;
    return st->get_text(0);
}

json BotStore::open_positions(std::int64_t agent_id) {
    json out = json::array();
    {
        auto st = conn_.cached(
            "SELECT id, symbol, side, status, quantity, entry_price, stop_loss, take_profit, leverage, "
            "score, "
            "atr_at_entry, fees, opened_at_ms, entry_attempt, stop_loss_attempt, take_profit_attempt, "
            "exit_attempt, trailing_attempt, scan_id, adopted FROM positions WHERE agent_id = ? AND status "
            "IN "
            "('PENDING', 'OPEN') ORDER BY id");
        st->bind_all(agent_id);
        while (st->step()) {
            out.push_back({{"id", st->get_int(0)},
                           {"agent_id", agent_id},
                           {"symbol", st->get_text(1)},
                           {"direction", st->get_text(2)},
                           {"status", lower(st->get_text(3))},
                           {"quantity", store::normalize_decimal(st->get_text(4))},
                           {"entry_price", store::normalize_decimal(st->get_text(5))},
                           {"stop_loss", opt_dec_text(*st, 6)},
                           {"take_profit", opt_dec_text(*st, 7)},
                           {"leverage", st->get_int(8)},
                           {"score", opt_int(*st, 9)},
                           {"atr_at_entry", st->get_text(10)},
                           {"fees", store::normalize_decimal(st->get_text(11))},
                           {"opened_at_ms", st->get_int(12)},
                           {"attempts",
                            {{"entry", st->get_int(13)},
                             {"stop_loss", st->get_int(14)},
                             {"take_profit", st->get_int(15)},
                             {"exit", st->get_int(16)},
                             {"trailing", st->get_int(17)}}},
                           {"scan_id", opt_int(*st, 18)},
                           {"adopted", st->get_int(19) != 0},
                           {"orders", json::array()}});
        }
    }
    auto st = conn_.cached(
        "SELECT client_order_id, leg, symbol, side, type, status, algo_status, quantity, price, stop_price, "
        "filled_quantity, average_price, exchange_order_id, reduce_only, close_position, updated_at_ms FROM "
        "orders WHERE agent_id = ? AND position_id = ? ORDER BY id");
    for (auto& p : out) {
        st->bind_all(agent_id, p["id"].get<std::int64_t>());
        while (st->step()) {
            auto ex = st->get_opt_text(12);
            p["orders"].push_back({{"client_order_id", st->get_text(0)},
                                   {"position_id", p["id"]},
                                   {"leg", st->get_text(1)},
                                   {"symbol", st->get_text(2)},
                                   {"side", st->get_text(3)},
                                   {"type", st->get_text(4)},
                                   {"status", st->get_text(5)},
                                   {"algo_status", opt_text(*st, 6)},
                                   {"quantity", store::normalize_decimal(st->get_text(7))},
                                   {"price", opt_dec_text(*st, 8)},
                                   {"stop_price", opt_dec_text(*st, 9)},
                                   {"filled_quantity", store::normalize_decimal(st->get_text(10))},
                                   {"average_price", opt_dec_text(*st, 11)},
                                   {"exchange_order_id", ex ? json(std::stoll(*ex)) : json(nullptr)},
                                   {"reduce_only", st->get_int(13) != 0},
                                   {"close_position", st->get_int(14) != 0},
                                   {"updated_at_ms", st->get_int(15)}});
        }
        st->reset();
    }
    return out;
}

json BotStore::recent_activity(std::int64_t agent_id, std::int64_t since_ms) {
    auto st = conn_.cached(
        "SELECT symbol, MAX(opened_at_ms), MAX(COALESCE(closed_at_ms, 0)) FROM positions WHERE agent_id = ? "
        "AND (opened_at_ms >= ? OR closed_at_ms >= ?) GROUP BY symbol ORDER BY symbol");
    st->bind_all(agent_id, since_ms, since_ms);
    json out = json::object();
    while (st->step()) out[st->get_text(0)] = std::max(st->get_int(1), st->get_int(2));
    return out;
}

json BotStore::recent_events(std::int64_t agent_id, int limit) {
    auto st = conn_.cached(
        "SELECT id, kind, payload, created_at FROM events WHERE agent_id = ? ORDER BY id DESC LIMIT ?");
    st->bind_all(agent_id, std::int64_t{limit});
    json out = json::array();
    while (st->step()) {
        json payload = json::parse(st->get_text(2), nullptr, false);
        out.push_back({{"id", st->get_int(0)},
                       {"kind", st->get_text(1)},
                       {"payload", payload.is_discarded() ? json(st->get_text(2)) : payload},
                       {"created_at", st->get_text(3)}});
    }
    return out;
}

}  // namespace tradingd::bots
