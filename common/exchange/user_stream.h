// UserStream: keeps one Binance account's user data stream (WebSocket) alive on its own thread — listenKey
// through BinanceRest, connect (ws:// or wss:// with SNI), keepalive, reconnect with backoff — and hands
// each pushed event, typed, to a callback. Network types stay in user_stream.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "exchange/binance_client.h"
#include "exchange/types.h"
#include "exchange/weight_budget.h"

namespace tradingd::exchange {

// ORDER_TRADE_UPDATE: an order changed (x: NEW, TRADE, CANCELED, EXPIRED, ...).
struct OrderUpdate {
    TimeMs event_time = 0, transaction_time = 0;
    std::string symbol, client_order_id, exec_type, order_type, orig_type;
    Side side = Side::buy;
    OrderStatus status = OrderStatus::new_;
    std::int64_t order_id = 0, trade_id = 0;
    Decimal quantity, price, avg_price, stop_price, last_qty, last_price, cum_qty, commission, realized_pnl;
    std::string commission_asset;
    bool reduce_only = false, close_position = false;
};

// ALGO_UPDATE: a conditional order changed status (triggered, cancelled, rejected, ...).
struct AlgoUpdate {
    TimeMs event_time = 0;
    std::string symbol, client_algo_id, order_type, reject_reason;
    Side side = Side::buy;
    AlgoStatus status = AlgoStatus::new_;
    std::int64_t algo_id = 0, actual_order_id = 0;  // 0 until triggered
    Decimal quantity, trigger_price;
};

struct BalanceChange {
    std::string asset;
    Decimal wallet, cross_wallet, change;
};
struct PositionChange {
    std::string symbol;
    Decimal amount, entry_price, unrealized_pnl;  // amount < 0: short
};
// ACCOUNT_UPDATE: balances and changed positions after a fill, a funding fee, a transfer.
struct AccountUpdate {
    TimeMs event_time = 0;
    std::string reason;  // m: ORDER, FUNDING_FEE, DEPOSIT, ...
    std::vector<BalanceChange> balances;
    std::vector<PositionChange> positions;
};

// The stream is (again) connected after a time without one: events may have been missed, so the caller must
// read the state from REST once. Also sent on the first connect (events before it were never seen).
struct StreamResync {
    std::string why;
};

using UserStreamEvent = std::variant<OrderUpdate, AlgoUpdate, AccountUpdate, StreamResync>;

// One text frame of the stream: the typed event, nothing for frames the caller need not see (unknown event
// types, listenKeyExpired, which the stream handles itself), or an Error for a malformed one.
Result<std::optional<UserStreamEvent>> parse_user_stream_event(std::string_view text);

struct UserStreamSettings {
    std::string stream_url = "wss://fstream.binance.com";           // or fake-binance's ws://127.0.0.1:PORT
    std::chrono::milliseconds keepalive{std::chrono::minutes(30)};  // PUT listenKey; keys live 60 min
    std::chrono::milliseconds reconnect_min{500}, reconnect_max{std::chrono::seconds(30)};
    // No frame for this long: ping; none for as long again: the connection is dead. Binance pings every 3
    // minutes, so a live stream is never idle for long.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

struct UserStreamStats {
    int connects = 0, drops = 0, keys_created = 0, keepalives = 0, events = 0, malformed = 0;
};

class UserStream {
  public:
    using Callback = std::function<void(const UserStreamEvent&)>;

    // `on_event` runs on the stream's thread and should be quick (set a flag, queue). Only the API key is
    // needed: listenKey calls are not signed. `budget` must outlive the stream.
    UserStream(BinanceConfig rest, crypto::SecretString api_key, WeightBudget& budget,
               UserStreamSettings settings, Callback on_event);
    ~UserStream();  // stop()
    UserStream(const UserStream&) = delete;
    UserStream& operator=(const UserStream&) = delete;

    void start();
    // Closes the connection and joins the thread; returns within about a second even mid-reconnect (a
    // listenKey REST call in flight may hold it up to the REST timeout).
    void stop();

    bool connected() const { return connected_.load(); }
    UserStreamStats stats() const;

    struct Impl;  // public only so the .cpp's helpers can name it

  private:
    std::unique_ptr<Impl> impl_;
    std::atomic<bool> connected_{false};
};

}  // namespace tradingd::exchange
