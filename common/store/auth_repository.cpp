// Refresh tokens, audit log and user administration statements.
#include "store/auth_repository.h"

#include <ctime>

namespace tradingd::store {
namespace {

Value opt(const std::optional<std::string>& v) {
    return v ? Value(*v) : Value(nullptr);
}

}  // namespace

std::string utc_timestamp(std::int64_t offset_s) {
    std::time_t t = std::time(nullptr) + offset_s;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[20];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

void AuthRepository::add_refresh_token(std::int64_t user_id, const std::string& family_id,
                                       const std::string& token_hash, const std::string& expires_at) {
    auto st = conn_.cached(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES (?, ?, ?, ?)");
    st->bind_all(user_id, family_id, token_hash, expires_at);
    st->step();
}

std::optional<RefreshTokenRow> AuthRepository::find_refresh_token(const std::string& token_hash) {
    auto st = conn_.cached(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash "
        "= ?");
    st->bind_all(token_hash);
    if (!st->step()) return std::nullopt;
    return RefreshTokenRow{st->get_int(0),  st->get_int(1),      st->get_text(2),
                           st->get_text(3), st->get_opt_text(4), st->get_opt_text(5)};
}

bool AuthRepository::use_refresh_token(std::int64_t id, const std::string& now) {
    auto st = conn_.cached(
        "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL");
    st->bind_all(now, id);
    st->step();
    return st->affected_rows() == 1;
}

std::int64_t AuthRepository::revoke_token_family(const std::string& family_id, const std::string& now) {
    auto st =
        conn_.cached("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL");
    st->bind_all(now, family_id);
    st->step();
    return st->affected_rows();
}

std::int64_t AuthRepository::revoke_user_tokens(std::int64_t user_id, const std::string& now) {
    auto st =
        conn_.cached("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    st->bind_all(now, user_id);
    st->step();
    return st->affected_rows();
}

std::int64_t AuthRepository::revoke_all_tokens(const std::string& now) {
    auto st = conn_.cached("UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL");
    st->bind_all(now);
    st->step();
    return st->affected_rows();
}

void AuthRepository::audit(const AuditEntry& e) {
    auto st = conn_.cached(
        "INSERT INTO audit_log (user_id, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)");
    st->bind_all(e.user_id ? Value(*e.user_id) : Value(nullptr), e.actor, e.action, opt(e.target), opt(e.ip),
                 opt(e.details));
    st->step();
}

std::vector<AuditRow> AuthRepository::audit_log(int limit, std::optional<std::int64_t> before_id) {
    auto st = conn_.cached(
        "SELECT id, user_id, actor, action, target, ip, details, created_at FROM audit_log "
        "WHERE (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?");
    Value before = before_id ? Value(*before_id) : Value(nullptr);
    st->bind_all(before, before, std::int64_t{limit});
    std::vector<AuditRow> out;
    while (st->step())
        out.push_back({st->get_int(0),
                       {st->get_opt_int(1), st->get_text(2), st->get_text(3), st->get_opt_text(4),
                        st->get_opt_text(5), st->get_opt_text(6)},
                       st->get_text(7)});
    return out;
}

std::vector<UserRow> AuthRepository::users(int limit, int offset) {
    auto st = conn_.cached(
        "SELECT id, email, password_hash, role, status, created_at FROM users ORDER BY id LIMIT ? OFFSET ?");
    st->bind_all(std::int64_t{limit}, std::int64_t{offset});
    std::vector<UserRow> out;
    while (st->step())
        out.push_back({st->get_int(0), st->get_text(1), st->get_text(2), st->get_text(3), st->get_text(4),
                       st->get_text(5)});
    return out;
}

bool AuthRepository::set_user_status(std::int64_t user_id, const std::string& status) {
    auto st = conn_.cached("UPDATE users SET status = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
    st->bind_all(status, user_id);
    st->step();
    return st->affected_rows() == 1;
}

bool AuthRepository::set_user_role(std::int64_t user_id, const std::string& role) {
    auto st = conn_.cached("UPDATE users SET role = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?");
    st->bind_all(role, user_id);
    st->step();
    return st->affected_rows() == 1;
}

std::optional<std::int64_t> AuthRepository::agent_id_of_user(std::int64_t user_id) {
    auto st = conn_.cached("SELECT id FROM agents WHERE user_id = ?");
    st->bind_all(user_id);
    if (!st->step()) return std::nullopt;
    return st->get_int(0);
}

}  // namespace tradingd::store
