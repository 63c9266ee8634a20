// The bot supervisor: one `tradingd worker` per running bot, on the daemon's event loop. It reaps workers on
// SIGCHLD at once, kills hung (no heartbeat) and bloated (RSS limit) ones, restarts with backoff, gives up
// after bots.restart_limit restarts in bots.restart_window_s (state `error` until `bot reset`), persists
// what workers report (the event sink) and hands every scan to every running worker.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace tradingd::daemon {
class DaemonContext;
struct ScanBroadcast;
}  // namespace tradingd::daemon

namespace tradingd::bots {

// An expected refusal of a lifecycle command (unknown agent, no API key, wrong state): the handler turns it
// into the reply's error code.
struct CommandRefused {
    std::string code;  // not_found | conflict | invalid_args
    std::string message;
};

class Supervisor {
  public:
    Supervisor(boost::asio::io_context& io, daemon::DaemonContext& ctx);
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    // Installs the SIGCHLD handler and the watchdog, then starts every bot whose desired state is running.
    void start();
    // Daemon shutdown: closes every worker's socket (they exit; desired states stay for the next start).
    void shutdown();

    // Lifecycle commands; call on the event loop. Each returns the bot's status or throws CommandRefused.
    nlohmann::json list();
    nlohmann::json status(std::int64_t agent_id);
    nlohmann::json start_bot(std::int64_t agent_id, const std::string& mode);  // mode "" keeps the stored one
    nlohmann::json stop_bot(std::int64_t agent_id, bool flatten);
    nlohmann::json restart_bot(std::int64_t agent_id);
    nlohmann::json reset_bot(std::int64_t agent_id);
    nlohmann::json logs(std::int64_t agent_id, int limit);

    // Maintenance mode (event loop): pause_all() stops every worker as `bot stop` does (entry orders
    // cancelled, protective orders kept) but leaves each bot's desired state alone, and starts nothing, not
    // even a restart, until resume_all(), which starts every bot whose desired state is running, as start()
    // does. Meanwhile the lifecycle commands are refused (CommandRefused "unavailable").
    void pause_all();
    void resume_all();
    // Workers still alive, stopping ones included: maintenance waits for 0 before the store turns read-only.
    int live_workers() const;

    // From another thread (an HTTP worker): runs `f` on the event loop and returns its result, or rethrows
    // what it threw (CommandRefused included). Throws std::runtime_error when the loop does not answer within
    // 10 s (the daemon is stopping). Never call it on the loop itself.
    nlohmann::json on_loop(const std::function<nlohmann::json(Supervisor&)>& f);

    // From any thread (the scanner's): queued to the loop, then written to every running worker.
    void broadcast(std::shared_ptr<const daemon::ScanBroadcast> scan);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::bots
