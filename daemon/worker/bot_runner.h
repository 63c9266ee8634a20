// What the worker loop drives: one bot, built from the daemon's `init`. The loop (worker_main.cpp) knows
// only this interface, so the process machinery does not depend on how the bot trades.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "worker/worker_link.h"

namespace tradingd::bot {
class Journal;
}

namespace tradingd::worker {

class BotRunner {
  public:
    virtual ~BotRunner() = default;
    // Reconciles the daemon's OPEN/PENDING positions with the exchange, the cooldown seeded from
    // `recent_activity` ({symbol: ms}, see docs/worker-protocol.md); returns the `ready` message's extra
    // fields (counts found).
    virtual nlohmann::json start(const nlohmann::json& positions, const nlohmann::json& recent_activity) = 0;
    virtual void on_scan(const nlohmann::json& scan, std::int64_t scan_id) = 0;
    virtual void poll() = 0;
    virtual void stop(bool flatten) = 0;
    // Live bots with a user data stream (see stream_watch.h): true once after the stream reported something
    // about the bot, so the loop polls at once; and whether the regular poll may wait for
    // `stream_poll_interval_ms` instead of `poll_interval_ms` (the stream is up and the last poll changed
    // nothing). Paper bots have no stream.
    virtual bool take_poll_request() { return false; }
    virtual bool quiet_on_stream() const { return false; }
    virtual bool has_stream() const { return false; }
};

// The engine (common/bot) on the exchange `init` names: Binance with the agent's key (live) or the paper
// broker whose snapshot is saved through `link` after every state-changing call (paper). Throws
// std::runtime_error naming what is missing or wrong in `init`.
std::unique_ptr<BotRunner> make_runner(const nlohmann::json& init, bot::Journal& journal, WorkerLink& link);

}  // namespace tradingd::worker
