// SQL for authentication: refresh tokens (hashed, one-time, in families), the audit log, user administration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/repository.h"

namespace tradingd::store {

struct RefreshTokenRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string family_id;
    std::string expires_at;  // 'YYYY-MM-DD HH:MM:SS' UTC
    std::optional<std::string> used_at;
    std::optional<std::string> revoked_at;
};

struct AuditEntry {
    std::optional<std::int64_t> user_id;  // the account acted on or acting, when known
    std::string actor;                    // an email, "tradingctl(uid=0)", or "anonymous"
    std::string action;                   // login, login_failed, refresh_reuse, role_change, ...
    std::optional<std::string> target;
    std::optional<std::string> ip;
    std::optional<std::string> details;  // JSON text
};

struct AuditRow {
    std::int64_t id = 0;
    AuditEntry entry;
    std::string created_at;
};

class AuthRepository {
  public:
    explicit AuthRepository(Connection& conn) : conn_(conn) {}

    void add_refresh_token(std::int64_t user_id, const std::string& family_id, const std::string& token_hash,
                           const std::string& expires_at);
    std::optional<RefreshTokenRow> find_refresh_token(const std::string& token_hash);
    // Marks a token used; false when it was already used or revoked (a concurrent refresh won).
    bool use_refresh_token(std::int64_t id, const std::string& now);
    std::int64_t revoke_token_family(const std::string& family_id, const std::string& now);
    std::int64_t revoke_user_tokens(std::int64_t user_id, const std::string& now);
    std::int64_t revoke_all_tokens(const std::string& now);

    void audit(const AuditEntry& entry);
    std::vector<AuditRow> audit_log(int limit, std::optional<std::int64_t> before_id);

    std::vector<UserRow> users(int limit, int offset);
    bool set_user_status(std::int64_t user_id, const std::string& status);
    bool set_user_role(std::int64_t user_id, const std::string& role);
    std::optional<std::int64_t> agent_id_of_user(std::int64_t user_id);

  private:
    Connection& conn_;
};

// Now, as stored: 'YYYY-MM-DD HH:MM:SS' in UTC, plus an offset in seconds.
std::string utc_timestamp(std::int64_t offset_s = 0);

}  // namespace tradingd::store
