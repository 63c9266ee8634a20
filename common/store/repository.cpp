// SQL for users, agents, API keys, bots, positions, notifications and events. Both dialects accept every
// statement here; where they differ, the difference is spelled out next to the statement.
#include "store/repository.h"

#include <array>

namespace tradingd::store {
namespace {

UserRow read_user(const Statement& st) {
    return {st.get_int(0), st.get_text(1), st.get_text(2), st.get_text(3), st.get_text(4), st.get_text(5)};
}

PositionRow read_position(const Statement& st) {
    PositionRow p;
    p.id = st.get_int(0);
    p.agent_id = st.get_int(1);
    p.symbol = st.get_text(2);
    p.side = st.get_text(3);
    p.status = st.get_text(4);
    p.quantity = normalize_decimal(st.get_text(5));
    p.entry_price = normalize_decimal(st.get_text(6));
    if (!st.is_null(7)) p.exit_price = normalize_decimal(st.get_text(7));
    if (!st.is_null(8)) p.realized_pnl = normalize_decimal(st.get_text(8));
    p.leverage = st.get_int(9);
    return p;
}

BotRow read_bot(const Statement& st) {
    return {st.get_int(0),  st.get_int(1), st.get_text(2),    st.get_text(3),
            st.get_text(4), st.get_int(5), st.get_opt_text(6)};
}

Value opt(const std::optional<std::string>& v) {
    return v ? Value(*v) : Value(nullptr);
}

}  // namespace

std::string normalize_decimal(std::string_view text) {
    std::string s(text);
    if (s.find('.') != std::string::npos && s.find_first_of("eE") == std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    if (s == "-0" || s.empty()) return std::string(1, '0');
    return s;
}

std::int64_t Repository::create_user(const std::string& email, const std::string& password_hash,
                                     const std::string& role, const std::string& status) {
    auto st = conn_.cached("INSERT INTO users (email, password_hash, role, status) VALUES (?, ?, ?, ?)");
    st->bind_all(email, password_hash, role, status);
    st->step();
    return conn_.last_insert_id();
}

std::optional<UserRow> Repository::find_user_by_email(const std::string& email) {
    // SQLite's column is COLLATE NOCASE and MySQL's utf8mb4_unicode_ci: both match case-insensitively.
    auto st =
        conn_.cached("SELECT id, email, password_hash, role, status, created_at FROM users WHERE email = ?");
    st->bind_all(email);
    if (!st->step()) return std::nullopt;
    return read_user(*st);
}

std::optional<UserRow> Repository::find_user(std::int64_t id) {
    auto st =
        conn_.cached("SELECT id, email, password_hash, role, status, created_at FROM users WHERE id = ?");
    st->bind_all(id);
    if (!st->step()) return std::nullopt;
    return read_user(*st);
}

void Repository::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
    auto st = conn_.cached("UPDATE users SET password_hash = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
    st->bind_all(password_hash, user_id);
    st->step();
}

std::int64_t Repository::create_agent(std::int64_t user_id, const std::string& display_name) {
    auto st = conn_.cached("INSERT INTO agents (user_id, display_name) VALUES (?, ?)");
    st->bind_all(user_id, display_name);
    st->step();
    return conn_.last_insert_id();
}

std::optional<AgentRow> Repository::find_agent(std::int64_t id) {
    auto st = conn_.cached(
        "SELECT id, user_id, display_name, telegram_chat_id, risk_fraction, max_leverage, max_positions, "
        "high_water_mark FROM agents WHERE id = ?");
    st->bind_all(id);
    if (!st->step()) return std::nullopt;
    return AgentRow{st->get_int(0),
                    st->get_int(1),
                    st->get_text(2),
                    st->get_opt_text(3),
                    normalize_decimal(st->get_text(4)),
                    st->get_int(5),
                    st->get_int(6),
                    normalize_decimal(st->get_text(7))};
}

std::int64_t Repository::add_api_key(std::int64_t agent_id, const std::string& key_masked,
                                     std::int64_t data_key_id, const Blob& ciphertext) {
    auto st = conn_.cached(
        "INSERT INTO api_keys (agent_id, key_masked, data_key_id, ciphertext) VALUES (?, ?, ?, ?)");
    st->bind_all(agent_id, key_masked, data_key_id, ciphertext);
    st->step();
    return conn_.last_insert_id();
}

std::optional<ApiKeyRow> Repository::active_api_key(std::int64_t agent_id) {
    auto st = conn_.cached(
        "SELECT id, agent_id, key_masked, data_key_id, ciphertext FROM api_keys "
        "WHERE agent_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1");
    st->bind_all(agent_id);
    if (!st->step()) return std::nullopt;
    return ApiKeyRow{st->get_int(0), st->get_int(1), st->get_text(2), st->get_int(3), st->get_blob(4)};
}

std::int64_t Repository::revoke_api_keys(std::int64_t agent_id) {
    auto st = conn_.cached("UPDATE api_keys SET status = 'revoked' WHERE agent_id = ? AND status = 'active'");
    st->bind_all(agent_id);
    st->step();
    return st->affected_rows();
}

std::vector<ApiKeyRow> Repository::all_api_keys() {
    auto st =
        conn_.cached("SELECT id, agent_id, key_masked, data_key_id, ciphertext FROM api_keys ORDER BY id");
    std::vector<ApiKeyRow> out;
    while (st->step())
        out.push_back({st->get_int(0), st->get_int(1), st->get_text(2), st->get_int(3), st->get_blob(4)});
    return out;
}

void Repository::replace_api_key_ciphertext(std::int64_t id, std::int64_t data_key_id,
                                            const Blob& ciphertext) {
    auto st = conn_.cached("UPDATE api_keys SET data_key_id = ?, ciphertext = ? WHERE id = ?");
    st->bind_all(data_key_id, ciphertext, id);
    st->step();
}

BotRow Repository::ensure_bot(std::int64_t agent_id) {
    auto find = conn_.cached(
        "SELECT id, agent_id, mode, state, desired_state, restart_count, last_error FROM bots WHERE agent_id "
        "= ?");
    find->bind_all(agent_id);
    if (find->step()) return read_bot(*find);
    auto ins = conn_.cached("INSERT INTO bots (agent_id) VALUES (?)");
    ins->bind_all(agent_id);
    ins->step();
    find->bind_all(agent_id);
    find->step();
    return read_bot(*find);
}

bool Repository::set_bot_state(std::int64_t agent_id, const std::string& state,
                               const std::optional<std::string>& error) {
    auto st = conn_.cached(
        "UPDATE bots SET state = ?, last_error = ?, updated_at = CURRENT_TIMESTAMP WHERE agent_id = ?");
    st->bind_all(state, opt(error), agent_id);
    st->step();
    return st->affected_rows() == 1;
}

std::vector<BotRow> Repository::bots() {
    auto st = conn_.cached(
        "SELECT id, agent_id, mode, state, desired_state, restart_count, last_error FROM bots ORDER BY "
        "agent_id");
    std::vector<BotRow> out;
    while (st->step()) out.push_back(read_bot(*st));
    return out;
}

std::int64_t Repository::open_position(std::int64_t agent_id, const std::string& symbol,
                                       const std::string& side, const std::string& quantity,
                                       const std::string& entry_price, std::int64_t leverage) {
    auto st = conn_.cached(
        "INSERT INTO positions (agent_id, symbol, side, quantity, entry_price, leverage) VALUES (?, ?, ?, ?, "
        "?, ?)");
    st->bind_all(agent_id, symbol, side, quantity, entry_price, leverage);
    st->step();
    return conn_.last_insert_id();
}

bool Repository::close_position(std::int64_t agent_id, std::int64_t position_id,
                                const std::string& exit_price, const std::string& realized_pnl,
                                const std::string& reason) {
    auto st = conn_.cached(
        "UPDATE positions SET status = 'CLOSED', exit_price = ?, realized_pnl = ?, close_reason = ?, "
        "closed_at = CURRENT_TIMESTAMP WHERE id = ? AND agent_id = ? AND status = 'OPEN'");
    st->bind_all(exit_price, realized_pnl, reason, position_id, agent_id);
    st->step();
    return st->affected_rows() == 1;
}

std::vector<PositionRow> Repository::positions(std::int64_t agent_id,
                                               const std::optional<std::string>& status) {
    auto st = conn_.cached(
        "SELECT id, agent_id, symbol, side, status, quantity, entry_price, exit_price, realized_pnl, "
        "leverage "
        "FROM positions WHERE agent_id = ? AND (? IS NULL OR status = ?) ORDER BY id");
    st->bind_all(agent_id, opt(status), opt(status));
    std::vector<PositionRow> out;
    while (st->step()) out.push_back(read_position(*st));
    return out;
}

std::int64_t Repository::add_notification(std::int64_t agent_id, const std::string& type,
                                          const std::string& title,
                                          const std::optional<std::string>& message) {
    auto st = conn_.cached("INSERT INTO notifications (agent_id, type, title, message) VALUES (?, ?, ?, ?)");
    st->bind_all(agent_id, type, title, opt(message));
    st->step();
    return conn_.last_insert_id();
}

std::vector<NotificationRow> Repository::notifications(std::int64_t agent_id, bool unread_only, int limit) {
    auto st = conn_.cached(
        "SELECT id, agent_id, type, title, message, is_read, created_at FROM notifications "
        "WHERE agent_id = ? AND (? = 0 OR is_read = 0) ORDER BY id DESC LIMIT ?");
    st->bind_all(agent_id, std::int64_t{unread_only ? 1 : 0}, std::int64_t{limit});
    std::vector<NotificationRow> out;
    while (st->step())
        out.push_back({st->get_int(0), st->get_int(1), st->get_text(2), st->get_text(3), st->get_opt_text(4),
                       st->get_int(5) != 0, st->get_text(6)});
    return out;
}

std::int64_t Repository::mark_notification_read(std::int64_t agent_id, std::int64_t notification_id) {
    // The agent id is part of the key: an agent can never touch another agent's notification.
    auto st = conn_.cached("UPDATE notifications SET is_read = 1 WHERE id = ? AND agent_id = ?");
    st->bind_all(notification_id, agent_id);
    st->step();
    return st->affected_rows();
}

std::int64_t Repository::append_event(std::optional<std::int64_t> agent_id, const std::string& kind,
                                      const std::string& payload_json) {
    auto st = conn_.cached("INSERT INTO events (agent_id, kind, payload) VALUES (?, ?, ?)");
    st->bind_all(agent_id ? Value(*agent_id) : Value(nullptr), kind, payload_json);
    st->step();
    return conn_.last_insert_id();
}

std::map<std::string, std::int64_t> Repository::row_counts() {
    // Table names cannot be bound parameters, so each count is its own fixed statement.
    static constexpr std::array<std::pair<const char*, const char*>, 10> kCounts = {{
        {"users", "SELECT COUNT(*) FROM users"},
        {"agents", "SELECT COUNT(*) FROM agents"},
        {"api_keys", "SELECT COUNT(*) FROM api_keys"},
        {"bots", "SELECT COUNT(*) FROM bots"},
        {"positions", "SELECT COUNT(*) FROM positions"},
        {"orders", "SELECT COUNT(*) FROM orders"},
        {"trades", "SELECT COUNT(*) FROM trades"},
        {"notifications", "SELECT COUNT(*) FROM notifications"},
        {"scan_results", "SELECT COUNT(*) FROM scan_results"},
        {"events", "SELECT COUNT(*) FROM events"},
    }};
    std::map<std::string, std::int64_t> out;
    for (const auto& [table, sql] : kCounts) {
        auto st = conn_.cached(sql);
        st->step();
        out[table] = st->get_int(0);
    }
    return out;
}

}  // namespace tradingd::store
