// Everything the fake exchange remembers between requests: accounts with their orders, positions and
// trades, per-IP weight usage, injected faults and counters. One World, behind one mutex (see app.h).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "market_sim.h"

namespace fake {

// What GET /sapi/v1/account/apiRestrictions reports, and what the futures endpoints enforce.
struct Restrictions {
    bool ip_restrict = false, enable_reading = true, enable_futures = true, enable_withdrawals = false;
    bool enable_internal_transfer = false, enable_margin = false, enable_spot_and_margin_trading = false;
    bool permits_universal_transfer = false, enable_vanilla_options = false;
    bool enable_portfolio_margin_trading = false, enable_fix_api_trade = false, enable_fix_read_only = false;
    std::vector<std::string> allowed_ips;  // checked only when ip_restrict is on
    std::int64_t create_time = 0;
};

struct Order {
    std::int64_t id = 0;
    std::string client_id, symbol, side, type, orig_type, tif = "GTC", status = "NEW";
    Fx price = 0, qty = 0, executed = 0, stop_price = 0;
    double cum_quote = 0;
    bool reduce_only = false, close_position = false, price_protect = false;
    std::string working_type = "CONTRACT_PRICE", position_side = "BOTH";
    std::int64_t time = 0, update_time = 0, good_till = 0;
    bool open() const { return status == "NEW" || status == "PARTIALLY_FILLED"; }
};

struct AlgoOrder {
    std::int64_t id = 0;
    std::string client_id, symbol, side, type, status = "NEW", tif = "GTC", working_type = "CONTRACT_PRICE";
    Fx qty = 0, price = 0, trigger = 0, activate = 0;
    std::string callback_rate;  // percent, as sent
    bool close_position = false, reduce_only = false, price_protect = false;
    bool activated = false;  // trailing stops: activation price reached
    double extreme = 0;      // trailing stops: best price since activation
    std::int64_t create_time = 0, update_time = 0, trigger_time = 0, good_till = 0;
    std::int64_t actual_order_id = 0;
    std::string reject_reason;
    bool open() const { return status == "NEW"; }
};

struct Position {
    Fx amount = 0;  // signed: < 0 is short (one-way mode)
    double entry = 0;
    std::int64_t update_time = 0;
};

struct SymbolSettings {
    int leverage = 20;
    bool isolated = false;
};

struct Trade {
    std::int64_t id = 0, order_id = 0, time = 0;
    std::string symbol, side;
    double price = 0, quote = 0, realized = 0, commission = 0;
    Fx qty = 0;
    bool maker = false;
};

struct Income {
    std::int64_t tran_id = 0, time = 0;
    std::string symbol, type, trade_id, info;
    double amount = 0;
};

struct Account {
    std::string key, secret;
    double wallet = 0;
    Restrictions restrictions;
    std::map<std::string, Position> positions;
    std::map<std::string, SymbolSettings> settings;
    std::map<std::int64_t, Order> orders;  // every order ever placed, by id
    std::map<std::int64_t, AlgoOrder> algos;
    std::vector<Trade> trades;
    std::vector<Income> income;
    std::deque<std::int64_t> order_times;  // for the ORDERS rate limits
    std::string listen_key;
    std::int64_t listen_key_expiry = 0;
};

// One IP's REQUEST_WEIGHT window, its 429 strikes and any ban.
struct IpUsage {
    std::int64_t window = -1;  // minute number
    int used = 0;
    int strikes = 0;
    std::int64_t last_strike_window = -100;
    std::int64_t banned_until = 0;
    int bans = 0;
};

struct Limits {
    int weight_budget = 2400;
    int orders_10s = 300, orders_1m = 1200;
    int ban_after = 5;             // 429 replies within a minute before the IP is banned (418)
    std::int64_t ban_ms = 120000;  // first ban; doubles per ban up to 3 days, like Binance
};

// An injected failure: the next `remaining` requests on method+path get it.
struct Fault {
    std::string method, path;  // empty method = any; path "*" = any
    int remaining = 1;
    std::string action = "status";  // status | hang | drop
    int status = 503;
    std::string variant = "unknown";  // unknown | unavailable | throttle | custom
    int code = 0;
    std::string msg, body;
    bool after = false;            // let the request take effect, then fail the reply
    std::int64_t hold_ms = 10000;  // hang: how long to hold the connection before closing it
};

struct Counters {
    std::map<std::string, std::int64_t> requests;  // "GET /fapi/v1/klines" -> count
    std::int64_t order_requests = 0;               // POST /fapi/v1/order that reached the order logic
    std::int64_t orders_placed = 0;                // orders stored (accepted)
    std::int64_t algo_orders_placed = 0;
    std::int64_t faults_fired = 0;
};

struct StreamCounters {
    std::int64_t connections_open = 0, connections_total = 0, messages = 0, dropped = 0, expired = 0;
};

struct World {
    std::int64_t epoch = 0;                   // differs between Worlds, so the stream notices a reset
    std::map<std::string, Account> accounts;  // by API key
    std::int64_t next_order_id = 4000000001;  // above 2^31: catches clients that keep ids in int32
    std::int64_t next_algo_id = 1000000000001;
    std::int64_t next_trade_id = 300000001;
    std::int64_t next_tran_id = 9000000001;
    std::map<std::string, IpUsage> ip_usage;
    Limits limits;
    std::vector<Fault> faults;
    std::int64_t latency_all_ms = 0;
    std::map<std::string, std::int64_t> latency_path_ms;
    std::int64_t clock_skew_ms = 0;
    std::int64_t last_match_ms = 0;
    Counters counters;
    StreamCounters stream;
    // /_fake/stream {drop} asks the stream server to close every connection; it counts what it carried out.
    std::int64_t stream_drops_requested = 0;
};

}  // namespace fake
