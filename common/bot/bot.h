// Bot: one agent's trading logic as plain synchronous code. It sees only the agent's exchange account
// (exchange::Trading: the Binance client live, the PaperBroker on paper), a Journal for durable state and
// events, and a clock. The worker process drives it; tests drive it directly. Owner: bot engine (issue 6).
#pragma once

// Crash safety, the rule every step follows: persist first, then act. A position intent is created
// (pending) before its entry order is sent; a leg's attempt number is bumped in the journal before an order
// with that client order id is sent. So whatever instant the process dies at, the journal names every order
// that may exist, and start() finds each one by its deterministic client order id instead of placing it
// twice.
//
// Events (Journal::event), payload is one JSON object:
//   decision         {scan_id, entries:[{symbol,direction,score,quantity,leverage}], refused:[{symbol,
//                    reason,detail}] (only signals that passed the global filters), skipped: count}
//   order_placed / order_filled / order_cancelled / order_rejected   {position_id, client_order_id, leg,
//                    symbol, side, type, quantity?, stop_price?, avg_price?, status, error?}
//   position_opened  {position_id, symbol, direction, quantity, entry_price, stop_loss?, take_profit?}
//   position_closed  {position_id, symbol, exit_price, realized_pnl, fees, close_reason}
//   reconcile        {restored, filled_pending, cancelled_pending, closed, adopted, flattened,
//                    rearmed, stale_cancelled, unknown, details:[...]}
//   error            {where, message}; where: start scan poll stop exit close cancel_protective
//                    protective_order, adopt (no ATR for an adopted position's exits yet), fees (a
//                    commission paid in an asset other than the quote asset, left out of `fees`)
//   log              {message}

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/journal.h"
#include "exchange/result.h"
#include "exchange/trading.h"
#include "strategy/params.h"
#include "strategy/scan.h"

namespace tradingd::bot {

// Per symbol, the latest time (ms since the epoch) the agent opened or closed a position on it: what the
// cooldown filter (strategy.cooldown_minutes) measures from.
using ActivityBySymbol = std::map<std::string, TimeMs>;

// What start() does with an exchange position the journal does not track.
enum class OrphanPolicy {
    adopt,    // track it as an open position (adopted = true) and arm stop-loss/take-profit around it
    flatten,  // close it with a reduce-only MARKET order
};

struct BotSettings {
    std::int64_t agent_id = 0;
    strategy::StrategyParams params;
    strategy::RiskSettings risk;
    OrphanPolicy orphan_policy = OrphanPolicy::adopt;
    exchange::MarginType margin_type = exchange::MarginType::isolated;
    // The symbols' filters (exchangeInfo), fetched once per start() and cached: the bot has no other source.
    // A failure makes start() throw BotError (nothing is traded without filters).
    std::function<exchange::Result<std::vector<exchange::SymbolInfo>>()> exchange_info;
    // Klines of params.interval for one symbol, oldest first (the newest may still be open; it is dropped),
    // at least lookback_candles + 1 of them. start() computes an adopted position's ATR(14) from them, as
    // the scanner would, so its stop-loss/take-profit go on at once. Unset or failing: the position is
    // protected once a scan gives its ATR, and an error event says so. (Added after the first commit.)
    std::function<exchange::Result<std::vector<exchange::Kline>>(const std::string& symbol)> klines;
    // An entry MARKET order still open (not filled) this long after the intent was made is cancelled.
    TimeMs stale_entry_ms = 60'000;
    // A pending entry whose order the exchange does not know is cancelled only this long after the intent:
    // Binance may still execute a request that timed out until its recvWindow (5 s) has passed.
    // (Added after the first commit.)
    TimeMs unknown_grace_ms = 15'000;
    // Lookups by client order id after an unknown_status before the bot gives up for this round (the
    // position stays pending and the next poll()/start() asks again; nothing is ever placed twice).
    int max_lookups = 3;
    // poll() re-verifies a position's protective orders by their ids at most this often (each lookup costs
    // request weight, counted per IP across every bot); a close is noticed on every poll regardless, from the
    // positions read. start() always verifies. (Added after the first commit.)
    TimeMs guard_check_ms = 60'000;
    std::string quote_asset = "USDT";  // the balance equity and margin are read from
};

// start() could not do its job (no exchange filters, no account data): the worker reports it and exits.
class BotError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// start() could not read the exchange and changed nothing. `transient()` is true when the same start may
// succeed later (rate limit, IP ban, outage, timeout, clock skew): the worker then waits and tries again
// rather than exiting, so a busy minute does not burn restarts and end in `error`.
class ExchangeUnavailable : public BotError {
  public:
    ExchangeUnavailable(const std::string& what, exchange::Error error)
        : BotError(what + ": " + error.describe()), error_(std::move(error)) {}
    const exchange::Error& error() const { return error_; }
    bool transient() const;

  private:
    exchange::Error error_;
};

// What start() found, also sent as the `reconcile` event.
struct ReconcileReport {
    int restored = 0;                  // open positions found on the exchange as the journal says
    int filled_pending = 0;            // pending entries whose order had filled: now open
    int cancelled_pending = 0;         // pending entries never placed / expired / stale: now cancelled
    int closed = 0;                    // open in the journal, flat on the exchange: now closed
    int adopted = 0;                   // exchange positions the journal did not know, now tracked
    int flattened = 0;                 // ... or closed at market by policy
    int rearmed = 0;                   // protective orders placed again
    int stale_cancelled = 0;           // open orders of ours that no tracked position needs, cancelled
    int unknown = 0;                   // lookups that stayed unknown (retried by poll())
    std::vector<std::string> details;  // one plain sentence per finding
};

class Bot {
  public:
    // Nothing is called on the exchange or journal here. `clock` gives milliseconds since the epoch.
    Bot(BotSettings settings, exchange::Trading& trading, Journal& journal, std::function<TimeMs()> clock);
    ~Bot();
    Bot(const Bot&) = delete;
    Bot& operator=(const Bot&) = delete;

    // Reconciles the journal's OPEN and PENDING positions with the exchange (see the brief in bot.cpp's
    // reconcile), then the bot is ready for scans. `recent_activity` is the agent's activity per symbol
    // within the cooldown window, from the daemon's store: it seeds the cooldown filter, so a restarted bot
    // does not re-enter a coin it closed a minute before it died. Throws BotError or JournalError.
    ReconcileReport start(std::vector<PositionRecord> open_from_daemon,
                          ActivityBySymbol recent_activity = {});
    // Applies the per-bot filters and enters the accepted signals. Throws JournalError.
    void on_scan(const strategy::ScanResult& scan, std::int64_t scan_id);
    // Protective-order fills, positions closed on the exchange, time stops, re-arming, pending entries whose
    // status was unknown. Call every few seconds. Throws JournalError.
    void poll();
    // Cancels open entry orders; leaves protective orders in place, or with `flatten` closes every position
    // at market and cancels its protective orders. Throws JournalError.
    void stop(bool flatten);

    // Pending and open positions the bot tracks, by id.
    std::vector<PositionRecord> positions() const;
    // After a JournalError the bot refuses to trade: every call throws JournalError again.
    bool halted() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::bot
