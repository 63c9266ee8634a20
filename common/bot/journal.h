// Journal: what a bot must not forget (positions and orders, committed by the daemon before the call returns)
// and what it reports (events, best effort). The worker implements it over its socket to the daemon; tests
// use an in-memory one. Owner: bot engine (issue 6). Changes after the first commit are announced here.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "exchange/client_order_id.h"
#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/scoring.h"

namespace tradingd::bot {

using exchange::TimeMs;
using money::Decimal;

// pending   = an entry intent is persisted; its entry order may or may not exist on the exchange
// open      = the entry filled; the exchange holds the position
// closed    = the position was open and is flat now (exit_price, realized_pnl, close_reason set)
// cancelled = the entry never filled (order unknown/expired/cancelled): no position was opened
enum class PositionStatus { pending, open, closed, cancelled };
std::string_view position_status_name(PositionStatus status);  // "pending", "open", "closed", "cancelled"
std::optional<PositionStatus> parse_position_status(std::string_view name);

// The attempt number of the LATEST client order id used per leg (0 = none yet), see
// exchange/client_order_id.h. The engine persists a bumped number BEFORE it sends an order with it, so after
// a crash the journal always names every id that may exist on the exchange. The exit leg's numbers are shared
// by the trailing stop (conditional) and market exits (time stop, flatten): `trailing_attempt` says which
// exit attempt is the armed trailing stop.
struct LegAttempts {
    std::uint32_t entry = 0;
    std::uint32_t stop_loss = 0;
    std::uint32_t take_profit = 0;
    std::uint32_t exit = 0;
    std::uint32_t trailing = 0;  // 0 = no trailing stop armed; else an exit-leg attempt number

    bool operator==(const LegAttempts&) const = default;
};

struct PositionRecord {
    std::int64_t id = 0;  // 0 until create_position returns it
    std::int64_t agent_id = 0;
    std::string symbol;
    strategy::Direction direction = strategy::Direction::long_side;
    PositionStatus status = PositionStatus::pending;
    Decimal quantity;     // pending: the sized quantity; open/closed: the filled quantity (unsigned)
    Decimal entry_price;  // pending: the scan's reference price; open/closed: the average fill price
    std::optional<Decimal> exit_price;  // closed: volume-weighted price of the closing fills
    std::optional<Decimal> stop_loss;
    std::optional<Decimal> take_profit;
    int leverage = 1;
    std::optional<int> score;  // the signal's score; none for an adopted orphan
    std::string atr_at_entry;  // ATR(14) at the signal as shortest round-trip text ("" for an orphan)
    std::optional<Decimal> realized_pnl;  // closed: the exchange's realizedPnl of the closing trades
    Decimal fees;                         // commissions of entry and exit trades (in the quote asset)
    std::string close_reason;  // stop_loss take_profit trailing_stop time_stop closed_on_exchange flattened
                               // (closed), entry_not_filled entry_stale entry_rejected (cancelled)
    TimeMs opened_at_ms = 0;   // pending: when the intent was made; open: the fill time
    std::optional<TimeMs> closed_at_ms;
    LegAttempts attempts;
    std::optional<std::int64_t> scan_id;  // the scan that produced the entry
    bool adopted = false;  // an exchange position found by reconciliation, not an entry of ours

    bool operator==(const PositionRecord&) const = default;
};

struct OrderRecord {
    std::string client_order_id;  // upsert key (clientOrderId or clientAlgoId)
    std::int64_t position_id = 0;
    exchange::Leg leg = exchange::Leg::entry;
    std::string symbol;
    exchange::Side side = exchange::Side::buy;
    exchange::OrderType type = exchange::OrderType::market;
    exchange::OrderStatus status = exchange::OrderStatus::new_;  // conditional: see algo_status too
    std::optional<exchange::AlgoStatus> algo_status;
    Decimal quantity;  // 0 for close_position orders
    std::optional<Decimal> price;
    std::optional<Decimal> stop_price;
    Decimal filled_quantity;
    std::optional<Decimal> average_price;
    std::optional<std::int64_t> exchange_order_id;  // orderId, or algoId for an untriggered conditional
    bool reduce_only = false;
    bool close_position = false;
    TimeMs updated_at_ms = 0;

    bool operator==(const OrderRecord&) const = default;
};

struct Notification {
    std::string type;  // trade_open trade_close risk_alert system
    std::string title;
    std::string message;
};

// kind: decision order_placed order_filled order_cancelled order_rejected position_opened position_closed
// reconcile error log. payload_json: one JSON object (built by the engine; see docs in bot.h).
struct Event {
    std::string kind;
    std::string payload_json;
    std::optional<Notification> notify;
};

// Thrown by the durable calls when the daemon did not confirm the commit (socket gone, store error).
class JournalError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Journal {
  public:
    virtual ~Journal() = default;

    // Durable: returns only after the daemon has committed it; throws JournalError when it could not. The
    // engine never acts on state that is not persisted.
    virtual std::int64_t create_position(const PositionRecord& intent) = 0;  // status pending; returns id
    virtual void update_position(const PositionRecord& position) = 0;        // by id, every field
    virtual void record_order(const OrderRecord& order) = 0;                 // upsert by client_order_id
    // Best effort, fire and forget (persisted as an `events` row, with a notification if set).
    virtual void event(const Event& event) = 0;
};

}  // namespace tradingd::bot
