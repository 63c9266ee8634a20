// Every tradingd.yaml key, in one place. Add a key here and it is parsed, validated, defaulted,
// printed by --print-defaults and listed in tradingd.yaml(5) (a test checks the man page names it).
#include "config/keys.h"

namespace tradingd::config {

std::span<const KeyDecl> key_table() {
    static const std::vector<KeyDecl> keys = {
        {"log.level",
         KeyType::choice,
         &Settings::log_level,
         "info",
         "Minimum level written to the log (stderr, collected by journald).",
         0,
         0,
         {"trace", "debug", "info", "warn", "error", "critical", "off"}},
        {"control.socket", KeyType::path, &Settings::control_socket, "/run/tradingd/control.sock",
         "Unix socket tradingctl talks to. Created with mode 0660."},
        {"control.socket_group", KeyType::string, &Settings::control_socket_group, "",
         "Group owning the control socket; its members may use tradingctl. Empty: the daemon's group."},
        {"control.idle_timeout_ms", KeyType::integer, &Settings::control_idle_timeout_ms, "30000",
         "A control client that sends no complete request for this long is disconnected.", 100, 3600000},
        {"control.max_line_bytes", KeyType::integer, &Settings::control_max_line_bytes, "1048576",
         "Longest accepted control request line; longer ones are refused with 'too_large'.", 1024, 67108864},
        {"control.max_clients", KeyType::integer, &Settings::control_max_clients, "64",
         "Control connections served at once; further ones are refused with 'busy'.", 1, 4096},
        {"store.sqlite_path", KeyType::path, &Settings::sqlite_path, "/var/lib/tradingd/tradingd.db",
         "SQLite database file, used when MYSQL_HOST is not set. Relative paths are taken from the config "
         "file's folder."},
        {"store.sqlite_busy_timeout_ms", KeyType::integer, &Settings::sqlite_busy_timeout_ms, "5000",
         "How long an SQLite writer waits for a lock held by another process (tradingctl, backups).", 0,
         600000},
        {"store.mysql_connect_timeout_s", KeyType::integer, &Settings::mysql_connect_timeout_s, "5",
         "Seconds to wait for the MySQL/MariaDB server when connecting.", 1, 300},
        {"http.listen", KeyType::string, &Settings::http_listen, "127.0.0.1:8080",
         "Address and port of the web dashboard and REST API (HOST:PORT). Put nginx in front for TLS. "
         "Empty: no HTTP server."},
        {"http.threads", KeyType::integer, &Settings::http_threads, "16",
         "Worker threads of the HTTP server; each open keep-alive connection holds one.", 2, 1024},
        {"http.max_body_bytes", KeyType::integer, &Settings::http_max_body_bytes, "65536",
         "Largest accepted request body; larger ones get 413.", 1024, 16777216},
        {"http.timeout_s", KeyType::integer, &Settings::http_timeout_s, "10",
         "Read and write timeout of an HTTP connection, and its keep-alive idle limit.", 1, 300},
        {"http.trusted_proxies", KeyType::string_list, &Settings::http_trusted_proxies, "[]",
         "Peer addresses (e.g. 127.0.0.1 for a local nginx) whose X-Forwarded-For header is believed. "
         "From any other peer the header is ignored."},
        {"auth.issuer", KeyType::string, &Settings::auth_issuer, "tradingd",
         "The 'iss' claim of access tokens; tokens from another issuer are refused."},
        {"auth.access_token_ttl_s", KeyType::integer, &Settings::auth_access_token_ttl_s, "900",
         "Lifetime of an access token (JWT) in seconds.", 60, 86400},
        {"auth.refresh_token_ttl_days", KeyType::integer, &Settings::auth_refresh_token_ttl_days, "30",
         "Lifetime of a refresh token in days; each use replaces it with a new one.", 1, 365},
        {"auth.require_approval", KeyType::boolean, &Settings::auth_require_approval, "false",
         "New agents who register must be approved by an admin before they can sign in."},
        {"auth.login_max_failures_per_account", KeyType::integer,
         &Settings::auth_login_max_failures_per_account, "5",
         "Failed logins for one account within the window before further attempts get 429.", 1, 1000},
        {"auth.login_max_failures_per_ip", KeyType::integer, &Settings::auth_login_max_failures_per_ip, "20",
         "Failed logins from one client address within the window before further attempts get 429.", 1,
         100000},
        {"auth.login_window_s", KeyType::integer, &Settings::auth_login_window_s, "900",
         "The window, in seconds, over which failed logins are counted.", 10, 86400},
        {"exchange.market_data",
         KeyType::choice,
         &Settings::exchange_market_data,
         "simulated",
         "Where the scanner's market data comes from: 'simulated' is the built-in market (no network, the "
         "same symbols and prices as fake-binance with the same seed); 'binance' is Binance USD-M REST at "
         "exchange.rest_url.",
         0,
         0,
         {"simulated", "binance"}},
        {"exchange.rest_url", KeyType::string, &Settings::exchange_rest_url, "https://fapi.binance.com",
         "Base URL of the Binance USD-M Futures REST API (or a fake-binance's http://127.0.0.1:PORT)."},
        {"exchange.sapi_url", KeyType::string, &Settings::exchange_sapi_url, "https://api.binance.com",
         "Base URL of Binance's spot/wallet API, used only to read an API key's restrictions in the key "
         "check."},
        {"exchange.request_timeout_ms", KeyType::integer, &Settings::exchange_request_timeout_ms, "10000",
         "How long one exchange request may take before it counts as timed out (an order then has an "
         "unknown status and is looked up, never resent).",
         500, 120000},
        {"exchange.simulated_seed", KeyType::integer, &Settings::exchange_simulated_seed, "1",
         "Seed of the built-in simulated market: the same seed gives the same prices and candles.", 0,
         9007199254740991},
        {"paper.starting_balance", KeyType::string, &Settings::paper_starting_balance, "10000",
         "USDT wallet balance a new paper account starts with (a plain decimal number)."},
        {"paper.taker_fee_rate", KeyType::string, &Settings::paper_taker_fee_rate, "0.0005",
         "Fee of a paper fill that takes liquidity (market orders, triggered stops), as a fraction of its "
         "notional: 0.0005 is Binance's 0.05 %."},
        {"paper.maker_fee_rate", KeyType::string, &Settings::paper_maker_fee_rate, "0.0002",
         "Fee of a paper limit order filled while resting on the book, as a fraction of its notional."},
        {"paper.slippage_rate", KeyType::string, &Settings::paper_slippage_rate, "0.0002",
         "Paper market fills are this fraction worse than the mark price (buys higher, sells lower)."},
    };
    return keys;
}

}  // namespace tradingd::config
