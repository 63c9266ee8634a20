// The repository layer: every SQL statement the product runs lives here, next to the function that uses
// it, prepared with bound parameters. Callers see rows as plain structs, never SQL or backend details.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/sql.h"

namespace tradingd::store {

// MySQL returns DECIMAL(36,18) as "1.500000000000000000"; SQLite returns the text stored. Both read back as
// the shortest exact form ("1.5", "0", "-12.03") so values compare equal across backends.
std::string normalize_decimal(std::string_view text);

struct UserRow {
    std::int64_t id = 0;
    std::string email;
    std::string password_hash;
    std::string role;    // admin | agent
    std::string status;  // pending | active | disabled
    std::string created_at;
};

struct AgentRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string display_name;
    std::optional<std::string> telegram_chat_id;
    std::string risk_fraction;
    std::int64_t max_leverage = 0;
    std::int64_t max_positions = 0;
    std::string high_water_mark;
};

struct ApiKeyRow {
    std::int64_t id = 0;
    std::int64_t agent_id = 0;
    std::string key_masked;
    std::int64_t data_key_id = 0;
    Blob ciphertext;
};

struct PositionRow {
    std::int64_t id = 0;
    std::int64_t agent_id = 0;
    std::string symbol;
    std::string side;    // LONG | SHORT
    std::string status;  // OPEN | CLOSED
    std::string quantity;
    std::string entry_price;
    std::optional<std::string> exit_price;
    std::optional<std::string> realized_pnl;
    std::int64_t leverage = 1;
};

struct NotificationRow {
    std::int64_t id = 0;
    std::int64_t agent_id = 0;
    std::string type;
    std::string title;
    std::optional<std::string> message;
    bool is_read = false;
    std::string created_at;
};

struct BotRow {
    std::int64_t id = 0;
    std::int64_t agent_id = 0;
    std::string mode;
    std::string state;
    std::string desired_state;
    std::int64_t restart_count = 0;
    std::optional<std::string> last_error;
};

class Repository {
  public:
    explicit Repository(Connection& conn) : conn_(conn) {}
    Connection& connection() { return conn_; }

    // users and agents
    std::int64_t create_user(const std::string& email, const std::string& password_hash,
                             const std::string& role, const std::string& status = "active");
    std::optional<UserRow> find_user_by_email(const std::string& email);
    std::optional<UserRow> find_user(std::int64_t id);
    void set_password_hash(std::int64_t user_id, const std::string& password_hash);
    std::int64_t create_agent(std::int64_t user_id, const std::string& display_name);
    std::optional<AgentRow> find_agent(std::int64_t id);

    // API keys: ciphertext only; encryption happens above the store
    std::int64_t add_api_key(std::int64_t agent_id, const std::string& key_masked, std::int64_t data_key_id,
                             const Blob& ciphertext);
    std::optional<ApiKeyRow> active_api_key(std::int64_t agent_id);
    std::int64_t revoke_api_keys(std::int64_t agent_id);
    std::vector<ApiKeyRow> all_api_keys();  // active and revoked, for re-encryption
    void replace_api_key_ciphertext(std::int64_t id, std::int64_t data_key_id, const Blob& ciphertext);

    // bots
    BotRow ensure_bot(std::int64_t agent_id);
    bool set_bot_state(std::int64_t agent_id, const std::string& state,
                       const std::optional<std::string>& error);
    std::vector<BotRow> bots();

    // positions
    std::int64_t open_position(std::int64_t agent_id, const std::string& symbol, const std::string& side,
                               const std::string& quantity, const std::string& entry_price,
                               std::int64_t leverage);
    bool close_position(std::int64_t agent_id, std::int64_t position_id, const std::string& exit_price,
                        const std::string& realized_pnl, const std::string& reason);
    std::vector<PositionRow> positions(std::int64_t agent_id, const std::optional<std::string>& status);

    // notifications
    std::int64_t add_notification(std::int64_t agent_id, const std::string& type, const std::string& title,
                                  const std::optional<std::string>& message);
    std::vector<NotificationRow> notifications(std::int64_t agent_id, bool unread_only, int limit);
    std::int64_t mark_notification_read(std::int64_t agent_id, std::int64_t notification_id);

    // events
    std::int64_t append_event(std::optional<std::int64_t> agent_id, const std::string& kind,
                              const std::string& payload_json);

    // counts per table, for status and verification
    std::map<std::string, std::int64_t> row_counts();

  private:
    Connection& conn_;
};

}  // namespace tradingd::store
