// tradingd's configuration: settings from tradingd.yaml, secrets and database credentials from the
// environment or an env file. Every YAML key is declared once (config/keys.cpp) with type, default and help.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/open.h"

namespace tradingd::config {

// Values from tradingd.yaml. Defaults live in the key table, not here.
struct Settings {
    std::string log_level;
    std::string control_socket;
    std::string control_socket_group;
    std::int64_t control_idle_timeout_ms = 0;
    std::int64_t control_max_line_bytes = 0;
    std::int64_t control_max_clients = 0;
    std::string sqlite_path;
    std::int64_t sqlite_busy_timeout_ms = 0;
    std::int64_t mysql_connect_timeout_s = 0;
    std::string http_listen;
    std::int64_t http_threads = 0;
    std::int64_t http_max_body_bytes = 0;
    std::int64_t http_timeout_s = 0;
    std::vector<std::string> http_trusted_proxies;
    std::string auth_issuer;
    std::int64_t auth_access_token_ttl_s = 0;
    std::int64_t auth_refresh_token_ttl_days = 0;
    bool auth_require_approval = false;
    std::int64_t auth_login_max_failures_per_account = 0;
    std::int64_t auth_login_max_failures_per_ip = 0;
    std::int64_t auth_login_window_s = 0;
    std::string exchange_market_data;
    std::string exchange_rest_url;
    std::string exchange_sapi_url;
    std::string exchange_stream_url;
    std::int64_t exchange_request_timeout_ms = 0;
    std::int64_t exchange_simulated_seed = 0;
    std::string paper_starting_balance;  // decimals as text, checked at load, parsed by the paper broker
    std::string paper_taker_fee_rate;
    std::string paper_maker_fee_rate;
    std::string paper_slippage_rate;
    std::int64_t bots_heartbeat_interval_s = 0;
    std::int64_t bots_heartbeat_timeout_s = 0;
    std::int64_t bots_poll_interval_s = 0;
    std::int64_t bots_stream_poll_interval_s = 0;
    std::int64_t bots_rss_limit_mb = 0;
    std::int64_t bots_restart_limit = 0;
    std::int64_t bots_restart_window_s = 0;
    std::int64_t bots_restart_backoff_ms = 0;
    std::int64_t bots_restart_backoff_max_ms = 0;
    std::int64_t bots_stop_timeout_s = 0;
    std::string bots_orphan_policy;
    std::int64_t bots_scan_interval_s = 0;
    std::int64_t bots_scan_fetch_concurrency = 0;
    std::int64_t bots_scan_retention_days = 0;
    // strategy.*: same names and units as strategy::StrategyParams (config/strategy_settings.h builds it).
    std::string strategy_interval;
    std::int64_t strategy_universe_size = 0;
    std::vector<std::string> strategy_skip_coins;
    std::int64_t strategy_lookback_candles = 0;
    std::int64_t strategy_min_candles = 0;
    std::int64_t strategy_ma_slope_candles = 0;
    std::int64_t strategy_weight_trend_pct = 0;
    std::int64_t strategy_weight_momentum_pct = 0;
    std::int64_t strategy_weight_volatility_pct = 0;
    std::int64_t strategy_weight_volume_pct = 0;
    std::int64_t strategy_atr_pct_min_bp = 0;
    std::int64_t strategy_atr_pct_low_bp = 0;
    std::int64_t strategy_atr_pct_high_bp = 0;
    std::int64_t strategy_atr_pct_max_bp = 0;
    std::int64_t strategy_entry_threshold = 0;
    std::int64_t strategy_long_skip_score = 0;
    std::int64_t strategy_cooldown_minutes = 0;
    std::int64_t strategy_max_leverage = 0;
    std::int64_t strategy_stop_loss_atr_pct = 0;
    std::int64_t strategy_take_profit_atr_pct = 0;
    bool strategy_trailing_stop = false;
    std::int64_t strategy_trailing_activation_atr_pct = 0;
    std::int64_t strategy_trailing_callback_tenths = 0;
    std::int64_t strategy_max_holding_hours = 0;
    bool backtest_publish_sample = false;
};

// Values that must never be written to tradingd.yaml or a log line.
struct Secrets {
    std::string jwt_secret_key;             // JWT_SECRET_KEY
    std::vector<std::string> cors_origins;  // CORS_ORIGINS, comma-separated allowlist
    std::string session_key;                // TRADINGD_SESSION_KEY (hex)
    // TRADINGD_DATA_KEY and, during a rotation, TRADINGD_DATA_KEY_PREVIOUS: "ID:HEX" with a 32-byte key.
    struct DataKey {
        std::uint32_t id = 0;
        std::string hex;
        bool operator==(const DataKey&) const = default;
    };
    std::optional<DataKey> data_key;
    std::optional<DataKey> previous_data_key;
};

// The daemon's extra requirements on secrets (the CLI's db commands do not need them): JWT_SECRET_KEY
// present, not a placeholder, at least 32 bytes of entropy; a data key present. Returns the problems.
std::vector<std::string> check_daemon_secrets(const Secrets& secrets);

// Parses "ID:HEX" (a 32-byte key); returns std::nullopt and a message in `problem` when malformed.
std::optional<Secrets::DataKey> parse_data_key(const std::string& text, std::string& problem);

struct Config {
    std::string config_path;    // empty when running on built-in defaults
    std::string env_file_path;  // empty when none was given
    Settings settings;
    store::DbSettings db;
    Secrets secrets;
};

// All problems found, one per line, each naming the file and line (or the variable) at fault.
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

  private:
    std::vector<std::string> problems_;
};

struct LoadOptions {
    std::string config_path;              // empty: built-in defaults only
    std::string env_file_path;            // empty: process environment only
    bool use_process_environment = true;  // tests turn this off for isolation
    // Keep going past problems, with defaults where a value was wrong: tradingctl uses this to find the
    // control socket even when the file has an error the running daemon should report itself.
    bool tolerate_problems = false;
};

// Reads and validates everything; throws ConfigError listing every problem at once.
Config load(const LoadOptions& options);

// One declared key, for --print-defaults and the man page.
struct KeyInfo {
    std::string path;  // e.g. "control.socket"
    std::string type;  // "string", "integer", "path", "enum"
    std::string default_value;
    std::string help;
};
std::vector<KeyInfo> declared_keys();

// A commented YAML file with every key at its default: `tradingd --print-defaults`.
std::string defaults_yaml();

// The effective configuration as text, secrets masked: `tradingd --check-config --verbose`.
std::string describe(const Config& config);

}  // namespace tradingd::config
