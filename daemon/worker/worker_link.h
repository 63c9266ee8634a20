// The worker's conversation with the daemon: requests that block until the daemon committed them, fire and
// forget messages, heartbeats, and an inbox for what the daemon sends meanwhile (scans, stop).
#pragma once

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "worker/line_channel.h"

namespace tradingd::worker {

class WorkerLink {
  public:
    WorkerLink(LineChannel& channel, std::chrono::milliseconds heartbeat_interval)
        : channel_(channel), heartbeat_interval_(heartbeat_interval) {}

    // Sends {type: request, id, op, args} and waits for its reply; scans and stops arriving meanwhile are
    // kept for next(). Returns the reply's result; throws bot::JournalError on ok:false or a dead socket.
    nlohmann::json request(const std::string& op, nlohmann::json args);
    // A message of its own type (event, ready, stopped); throws ChannelClosed when the daemon is gone.
    void send(nlohmann::json message);
    // The next daemon message within `timeout` (nullopt: none). Heartbeats go out while waiting.
    std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);
    void heartbeat_if_due();
    // heartbeat_if_due() from inside the bot's work (before each exchange call): proof of progress that
    // must not break an order flow, so a dead socket is left for the next durable call to report.
    void progress() noexcept;

  private:
    LineChannel& channel_;
    std::chrono::milliseconds heartbeat_interval_;
    std::chrono::steady_clock::time_point last_heartbeat_{};
    std::int64_t next_id_ = 1;
    std::deque<nlohmann::json> inbox_;
};

}  // namespace tradingd::worker
