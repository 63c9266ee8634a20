// The supervisor's internals, shared by supervisor.cpp (lifecycle, watchdog) and event_sink.cpp (what
// workers send). Everything here runs on the daemon's event loop thread only.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "bots/supervisor.h"
#include "util/log.h"

namespace tradingd::bots {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Worker {
    explicit Worker(asio::io_context& io, std::int64_t agent) : agent_id(agent), restart_timer(io) {}

    std::int64_t agent_id;
    pid_t pid = -1;
    std::unique_ptr<asio::local::stream_protocol::socket> socket;
    std::string state = "stopped";  // starting running stopping (as in the bots table), or "backoff"
    bool stop_requested = false;    // a `bot stop` is in progress: its exit is not a crash
    bool restart_after_stop = false;
    std::string kill_cause;  // hung | rss_limit | stop_timeout when the watchdog killed it
    Clock::time_point last_seen{};
    Clock::time_point spawned_at{};
    Clock::time_point stop_sent_at{};
    std::deque<Clock::time_point> restarts;  // within bots.restart_window_s
    asio::steady_timer restart_timer;
    std::deque<std::shared_ptr<const std::string>> outbox;
    bool writing = false;
    std::uint64_t generation = 0;  // bumps with each spawn, so a dead worker's late callbacks are dropped
};

struct Supervisor::Impl {
    Impl(asio::io_context& io, daemon::DaemonContext& ctx) : io(io), ctx(ctx), sigchld(io), watchdog(io) {}

    asio::io_context& io;
    daemon::DaemonContext& ctx;
    asio::signal_set sigchld;
    asio::steady_timer watchdog;
    std::map<std::int64_t, std::unique_ptr<Worker>> workers;
    std::shared_ptr<spdlog::logger> logger = log::get("supervisor");
    bool shutting_down = false;
    bool paused = false;  // maintenance mode: workers stop and none is spawned

    void start_desired();  // spawns every bot whose desired state is running

    Worker& slot(std::int64_t agent_id);
    void spawn(Worker& w);
    void send(Worker& w, std::shared_ptr<const std::string> line);
    void flush(Worker& w);
    void read_loop(Worker& w, std::uint64_t generation);
    void on_exit(Worker& w, int wait_status);
    void schedule_restart(Worker& w, const std::string& cause);
    void reap();
    void wait_sigchld();
    void tick();
    void kill_worker(Worker& w, const std::string& cause);
    void request_stop(Worker& w, bool flatten);  // supervisor_commands.cpp
    void set_state(std::int64_t agent_id, const std::string& state, const std::optional<std::string>& error);
    nlohmann::json status_of(std::int64_t agent_id);

    // event_sink.cpp
    void handle_line(Worker& w, const std::string& line);
    nlohmann::json handle_request(Worker& w, const std::string& op, const nlohmann::json& args);
    void handle_event(Worker& w, const nlohmann::json& msg);
    void record_event(std::int64_t agent_id, const std::string& kind, const nlohmann::json& payload,
                      const std::optional<nlohmann::json>& notify);
    nlohmann::json build_init(std::int64_t agent_id);
};

}  // namespace tradingd::bots
