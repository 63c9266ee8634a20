// The Bot's state and the steps its public calls are made of, shared by the engine's .cpp files (bot.cpp:
// scans and stop; legs.cpp: orders by client id; lifecycle.cpp: pending entries, closes, time stops;
// reconcile.cpp: start). Internal: nothing outside common/bot includes it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "bot/bot.h"
#include "strategy/exits.h"

namespace tradingd::bot {

// The three protective legs the engine keeps on the exchange; the trailing stop uses exit-leg ids.
enum class Guard { stop_loss, take_profit, trailing };
std::uint32_t& attempt_of(PositionRecord& p, Guard g);  // the guard's current attempt in the record
exchange::Leg leg_of(Guard g);                          // the client order id leg it uses
std::string_view reason_of(Guard g);  // its close reason: stop_loss take_profit trailing_stop

// What one order is known to be after a request and, if needed, lookups by its client id.
enum class Known {
    present,  // the exchange has it (any status): `order` holds it
    absent,   // the exchange says it does not exist
    unknown,  // no answer we can trust: ask again later, never place it twice
    refused,  // a definite refusal of a new order: `error` holds why
};
struct OrderState {
    Known known = Known::unknown;
    exchange::OrderInfo order;
    std::optional<exchange::Error> error;
};

// One line of the per-scan `decision` event.
struct DecisionLine {
    std::string symbol;
    std::string what;    // entries: "LONG"/"SHORT"; refusals: the reason code
    std::string detail;  // entries: quantity; refusals: the filter's numbers
    int score = 0;
    std::int64_t position_id = 0;
};

// New or partly filled; for a conditional order, not yet finished, cancelled, rejected or expired.
bool order_is_live(const exchange::OrderInfo& o);

struct Bot::Impl {
    Impl(BotSettings s, exchange::Trading& t, Journal& j, std::function<TimeMs()> c)
        : settings(std::move(s)), ex(t), journal(j), clock(std::move(c)) {}

    BotSettings settings;
    exchange::Trading& ex;
    Journal& journal;
    std::function<TimeMs()> clock;

    std::map<std::string, exchange::SymbolInfo, std::less<>> symbols;  // exchangeInfo, once per start()
    std::map<std::int64_t, PositionRecord> tracked;                    // pending and open, by id
    ActivityBySymbol last_activity;                                    // for the cooldown filter
    std::map<std::string, double> last_atr;                            // latest scan's ATR per symbol
    std::set<std::pair<std::int64_t, int>> alerted;                    // (position, guard) already alerted
    std::map<std::int64_t, TimeMs> guards_checked_at;                  // by position id, for guard_check_ms
    bool started = false;
    bool stopped = false;
    bool halted = false;

    // --- journal (bot.cpp) ---
    void save(PositionRecord& p);  // update_position + the tracked copy
    void note_order(const PositionRecord& p, exchange::Leg leg, const exchange::OrderInfo& o);
    void emit(std::string kind, std::string payload, std::optional<Notification> notify = std::nullopt);
    void error_event(std::string_view where, std::string_view message);
    void log_event(std::string message);

    // --- orders by client id (legs.cpp) ---
    std::string client_id(const PositionRecord& p, exchange::Leg leg, std::uint32_t attempt) const;
    OrderState lookup(const std::string& symbol, const std::string& id, exchange::OrderKind kind);
    OrderState place(const exchange::OrderRequest& request);
    const exchange::SymbolInfo* symbol_info(std::string_view symbol) const;
    std::optional<strategy::ExitPlan> exit_plan(const PositionRecord& p) const;
    // Makes sure the guard's order is live on the exchange: query the current attempt, place it when it was
    // never placed, a new attempt when it was cancelled or expired. True when it placed something.
    bool ensure_guard(PositionRecord& p, Guard guard);
    void ensure_guards(PositionRecord& p, int* placed = nullptr);
    // Cancels the live protective orders of a position (after it closed, or to flatten it).
    void cancel_guards(PositionRecord& p);
    // Cancels that failed with an unknown outcome, retried by poll(): a stale closePosition order would
    // otherwise close the next position opened on its symbol.
    std::set<std::pair<std::string, std::string>> leftover_cancels;  // (symbol, client id)
    void retry_leftover_cancels();
    // A reduce-only MARKET exit of `amount` (the signed exchange position), with a fresh exit attempt and
    // the close reason persisted first.
    // Both return true when the exit order filled (the caller then records the close).
    bool start_exit(PositionRecord& p, std::string reason, exchange::Decimal amount);
    // Sends the exit recorded in p.attempts.exit unless the exchange already has it (looked up first unless
    // `known_absent`); an exit that ended unfilled gets a new attempt.
    bool continue_exit(PositionRecord& p, exchange::Decimal amount, bool known_absent = false);

    // --- lifecycle (lifecycle.cpp) ---
    // The methods that may record a position as closed or cancelled erase it from `tracked`: after them
    // `p` is only valid when they return true (resolve_pending, poll_open) or never (close_from_exchange
    // when it succeeded, cancel_position).
    bool resolve_pending(PositionRecord& p, bool force_stale);
    void apply_entry(PositionRecord& p, const exchange::OrderInfo& entry);
    void open_position(PositionRecord& p, const exchange::OrderInfo& entry);
    std::optional<PositionRecord> close_from_exchange(PositionRecord& p);  // the closed record
    void cancel_position(PositionRecord& p, std::string reason);
    bool poll_open(PositionRecord& p, const std::optional<exchange::PositionInfo>& on_exchange,
                   int* placed = nullptr);
    void poll_once();
    // Runs f on every tracked position (by id, re-read each time since f may close or erase it).
    template <class F>
    void each_tracked(F&& f) {
        std::vector<std::int64_t> ids;
        for (const auto& [id, p] : tracked) ids.push_back(id);
        for (auto id : ids) {
            auto it = tracked.find(id);
            if (it != tracked.end()) f(it->second);
        }
    }

    // --- reconcile (reconcile.cpp) ---
    ReconcileReport reconcile(std::vector<PositionRecord> from_daemon, ActivityBySymbol recent_activity);
    // An adopted position's ATR(14) from the klines hook, as the scanner computes it; none (with an error
    // event naming why) when the klines are unavailable or too few.
    std::optional<double> atr_from_klines(const std::string& symbol);
    // Stop-loss/take-profit prices of the exit plan on the record (none without an ATR).
    void set_exit_prices(PositionRecord& p) const;

    // --- scans (bot.cpp) ---
    void scan(const strategy::ScanResult& scan, std::int64_t scan_id);
    // Sizes and enters one accepted signal; a refusal (sizing, filters, exchange) comes back as a line.
    DecisionLine enter(const strategy::Signal& signal, std::int64_t scan_id, exchange::Decimal equity,
                       bool* entered);
};

// JSON payloads for the events (events.cpp): nlohmann stays out of the headers.
std::string decision_payload(std::int64_t scan_id, const std::vector<DecisionLine>& entries,
                             const std::vector<DecisionLine>& refused, std::size_t rows);
std::string order_payload(const PositionRecord& p, exchange::Leg leg, const exchange::OrderInfo& o,
                          const exchange::Error* error = nullptr);
std::string position_opened_payload(const PositionRecord& p);
std::string position_closed_payload(const PositionRecord& p);
std::string reconcile_payload(const ReconcileReport& r);
std::string message_payload(std::string_view key, std::string_view value, std::string_view where = {});
std::string leg_name(exchange::Leg leg);
std::string atr_text(double atr);  // shortest text that reads back as the same double
std::string order_status_name(exchange::OrderStatus status);

}  // namespace tradingd::bot
