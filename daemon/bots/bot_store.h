// The supervisor's SQL: bot lifecycle rows, what workers persist through their journal (positions, orders,
// paper account snapshots), and the recent events `bot logs` shows. Every statement is bound; callers hold
// the store (DaemonContext::with_store) and open the transaction.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/repository.h"

namespace tradingd::bots {

struct BotInfo {
    std::int64_t agent_id = 0;
    std::string display_name;
    std::string mode;           // paper | live
    std::string state;          // stopped starting running stopping error
    std::string desired_state;  // stopped | running
    std::int64_t restart_count = 0;
    std::optional<std::string> last_error;
    std::optional<std::string> last_cause;
    std::optional<std::string> last_restart_at;
    std::optional<std::string> started_at;
    std::optional<std::int64_t> worker_pid;
};

class BotStore {
  public:
    explicit BotStore(store::Repository& repo) : repo_(repo), conn_(repo.connection()) {}

    bool agent_exists(std::int64_t agent_id);
    std::vector<BotInfo> list();
    std::optional<BotInfo> find(std::int64_t agent_id);
    // Creates the bots row on first use.
    BotInfo ensure(std::int64_t agent_id);
    void set_mode(std::int64_t agent_id, const std::string& mode);
    void set_desired(std::int64_t agent_id, const std::string& desired);
    void set_state(std::int64_t agent_id, const std::string& state, const std::optional<std::string>& error);
    void set_running(std::int64_t agent_id, std::int64_t pid);  // state running, started_at now
    void record_restart(std::int64_t agent_id, const std::string& cause);
    void reset_restarts(std::int64_t agent_id);
    // Bots to start with the daemon: desired running and not in error (that waits for `bot reset`).
    std::vector<std::int64_t> desired_running();

    // The agent's risk settings for `init`.
    nlohmann::json risk_settings(std::int64_t agent_id);

    // Worker journal writes; `agent_id` is the worker's own agent, whatever the record says.
    std::int64_t create_position(std::int64_t agent_id, const nlohmann::json& record);
    void update_position(std::int64_t agent_id, const nlohmann::json& record);
    void record_order(std::int64_t agent_id, const nlohmann::json& record);
    void save_paper_state(std::int64_t agent_id, const std::string& state_json);
    std::optional<std::string> paper_state(std::int64_t agent_id);

    // PENDING and OPEN positions with their orders, as worker records (for `init`).
    nlohmann::json open_positions(std::int64_t agent_id);
    // Per symbol, the latest opened_at_ms / closed_at_ms of the agent's positions (any status) active at or
    // after `since_ms`: {symbol: ms} for `init`, so a restarted bot keeps its cooldowns. One query on the
    // (agent_id, status) index.
    nlohmann::json recent_activity(std::int64_t agent_id, std::int64_t since_ms);
    // The newest events of the agent, newest first.
    nlohmann::json recent_events(std::int64_t agent_id, int limit);

  private:
    store::Repository& repo_;
    store::Connection& conn_;
};

}  // namespace tradingd::bots
