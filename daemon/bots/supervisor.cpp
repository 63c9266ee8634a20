// Worker lifecycle: spawn, reap on SIGCHLD, watchdog (heartbeat timeout, RSS limit, stop timeout), restart
// with backoff up to the limit, and the lifecycle commands. Log lines carry stable words tests grep:
// "worker started", "bot running", "restart agent=N cause=C", "bot error".
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <future>

#include "bots/bot_store.h"
#include "bots/supervisor_impl.h"
#include "bots/worker_process.h"
#include "daemon_context.h"
#include "scanner/scanner.h"

namespace tradingd::bots {

using nlohmann::json;
using namespace std::chrono;

namespace {
const config::Settings& settings_of(daemon::DaemonContext& ctx, std::shared_ptr<const config::Config>& keep) {
    keep = ctx.config();
    return keep->settings;
}
}  // namespace

Worker& Supervisor::Impl::slot(std::int64_t agent_id) {
    auto& w = workers[agent_id];
    if (!w) w = std::make_unique<Worker>(io, agent_id);
    return *w;
}

void Supervisor::Impl::set_state(std::int64_t agent_id, const std::string& state,
                                 const std::optional<std::string>& error) {
    ctx.with_store([&](store::Repository& repo) { BotStore(repo).set_state(agent_id, state, error); });
}

void Supervisor::Impl::spawn(Worker& w) {
    if (paused) {  // maintenance mode: resume_all() starts it later if its desired state is running
        w.state = "stopped";
        return;
    }
    std::shared_ptr<const config::Config> keep;
    const auto& s = settings_of(ctx, keep);
    json init;
    try {
        init = build_init(w.agent_id);
    } catch (const CommandRefused& r) {
        logger->error("bot error agent={}: cannot start: {}", w.agent_id, r.message);
        w.state = "stopped";
        set_state(w.agent_id, "error", r.message);
        return;
    }
    SpawnedWorker child;
    try {
        child = spawn_worker(s.log_level);
    } catch (const std::exception& e) {
        logger->error("cannot start a worker for agent {}: {}", w.agent_id, e.what());
        schedule_restart(w, "spawn_failed");
        return;
    }
    w.pid = child.pid;
    w.generation++;
    w.socket =
        std::make_unique<asio::local::stream_protocol::socket>(io, asio::local::stream_protocol(), child.fd);
    w.state = "starting";
    w.kill_cause.clear();
    w.outbox.clear();
    w.writing = false;
    w.spawned_at = w.last_seen = Clock::now();
    set_state(w.agent_id, "starting", std::nullopt);
    logger->info("worker started agent={} pid={}", w.agent_id, w.pid);
    send(w, std::make_shared<const std::string>(init.dump() + "\n"));
    read_loop(w, w.generation);
}

void Supervisor::Impl::send(Worker& w, std::shared_ptr<const std::string> line) {
    if (!w.socket) return;
    w.outbox.push_back(std::move(line));
    flush(w);
}

void Supervisor::Impl::flush(Worker& w) {
    if (w.writing || w.outbox.empty() || !w.socket) return;
    w.writing = true;
    auto line = w.outbox.front();
    const auto agent = w.agent_id;
    const auto gen = w.generation;
    asio::async_write(*w.socket, asio::buffer(*line),
                      [this, agent, gen, line](boost::system::error_code ec, std::size_t) {
                          auto it = workers.find(agent);
                          if (it == workers.end() || it->second->generation != gen) return;
                          Worker& w = *it->second;
                          w.writing = false;
                          if (ec) return;  // the worker died; SIGCHLD handles it
                          if (!w.outbox.empty()) w.outbox.pop_front();
                          flush(w);
                      });
}

void Supervisor::Impl::read_loop(Worker& w, std::uint64_t generation) {
    auto buffer = std::make_shared<std::string>();
    const auto agent = w.agent_id;
    auto step = std::make_shared<std::function<void()>>();
    *step = [this, agent, generation, buffer, step] {
        auto it = workers.find(agent);
        if (it == workers.end() || it->second->generation != generation || !it->second->socket) return;
        asio::async_read_until(
            *it->second->socket, asio::dynamic_buffer(*buffer, 16 * 1024 * 1024), '\n',
            [this, agent, generation, buffer, step](boost::system::error_code ec, std::size_t n) {
                auto it = workers.find(agent);
                if (it == workers.end() || it->second->generation != generation) return;
                Worker& w = *it->second;
                if (ec) {
                    // EOF or an oversized line: the worker is gone or broken; make sure it is, SIGCHLD reaps.
                    // A worker that died with lines from us still unread resets the connection instead of
                    // closing it: that is a death (its wait status says which), not a protocol breach.
                    const bool gone = ec == asio::error::eof || ec == asio::error::connection_reset;
                    if (w.pid > 0 && !gone) kill_worker(w, "protocol");
                    return;
                }
                std::string line = buffer->substr(0, n - 1);
                buffer->erase(0, n);
                w.last_seen = Clock::now();
                handle_line(w, line);
                (*step)();
            });
    };
    (*step)();
}

void Supervisor::Impl::kill_worker(Worker& w, const std::string& cause) {
    if (w.pid <= 0) return;
    if (w.kill_cause.empty()) w.kill_cause = cause;
    ::kill(w.pid, SIGKILL);
}

void Supervisor::Impl::wait_sigchld() {
    sigchld.async_wait([this](boost::system::error_code ec, int) {
        if (ec) return;
        reap();
        wait_sigchld();
    });
}

// Signals coalesce: one SIGCHLD may stand for several exits, so every known child is checked.
void Supervisor::Impl::reap() {
    for (auto& [agent, w] : workers) {
        if (w->pid <= 0) continue;
        int status = 0;
        pid_t r = ::waitpid(w->pid, &status, WNOHANG);
        if (r == w->pid) {
            on_exit(*w, status);
        } else if (r < 0 && errno == ECHILD) {
            // Someone else reaped it (a waitpid(-1) elsewhere in the process): it is gone all the same.
            on_exit(*w, W_EXITCODE(0, SIGKILL));
        }
    }
}

void Supervisor::Impl::on_exit(Worker& w, int status) {
    const pid_t pid = w.pid;
    w.pid = -1;
    w.generation++;
    if (w.socket) {
        boost::system::error_code ignored;
        w.socket->close(ignored);
        w.socket.reset();
    }
    const std::string how = describe_exit(status);
    if (shutting_down) return;
    if (paused && !w.stop_requested) {
        // A crash while maintenance stops the bots: no restart now (nothing may start), the desired state
        // brings it back when maintenance ends.
        logger->warn("worker died agent={} pid={} ({}) during maintenance: not restarted", w.agent_id, pid,
                     how);
        w.state = "stopped";
        set_state(w.agent_id, "stopped", std::nullopt);
        return;
    }
    if (w.stop_requested) {
        w.stop_requested = false;
        logger->info("worker exited agent={} pid={} ({}): bot stopped", w.agent_id, pid, how);
        w.state = "stopped";
        set_state(w.agent_id, "stopped", std::nullopt);
        record_event(w.agent_id, "supervisor", {{"action", "stopped"}, {"exit", how}}, std::nullopt);
        if (w.restart_after_stop) {
            w.restart_after_stop = false;
            spawn(w);
        }
        return;
    }
    const std::string cause = w.kill_cause.empty() ? exit_cause(status) : w.kill_cause;
    logger->warn("worker died agent={} pid={} ({}) cause={}", w.agent_id, pid, how, cause);
    schedule_restart(w, cause == "stopped" ? "exited" : cause);
}

void Supervisor::Impl::schedule_restart(Worker& w, const std::string& cause) {
    std::shared_ptr<const config::Config> keep;
    const auto& s = settings_of(ctx, keep);
    const auto now = Clock::now();
    const auto window = seconds(s.bots_restart_window_s);
    while (!w.restarts.empty() && now - w.restarts.front() > window) w.restarts.pop_front();
    w.restarts.push_back(now);
    const auto attempt = static_cast<std::int64_t>(w.restarts.size());
    if (attempt > s.bots_restart_limit) {
        const std::string why = "restart limit: " + std::to_string(attempt) + " crashes within " +
                                std::to_string(s.bots_restart_window_s) + " s (last cause " + cause + ")";
        logger->error("bot error agent={}: {}", w.agent_id, why);
        w.state = "error";
        set_state(w.agent_id, "error", why);
        record_event(w.agent_id, "supervisor",
                     {{"action", "error"}, {"cause", cause}, {"restarts", attempt - 1}},
                     json{{"type", "risk_alert"},
                          {"title", "Bot stopped after repeated crashes"},
                          {"message", "Your bot crashed " + std::to_string(attempt) + " times within " +
                                          std::to_string(s.bots_restart_window_s / 60) +
                                          " minutes and was stopped. Open positions keep their protective "
                                          "orders on the exchange. An operator must reset it."}});
        return;
    }
    std::int64_t delay = s.bots_restart_backoff_ms;
    for (std::int64_t i = 1; i < attempt && delay < s.bots_restart_backoff_max_ms; ++i) delay *= 2;
    delay = std::min(delay, s.bots_restart_backoff_max_ms);
    logger->warn("restart agent={} cause={} attempt={} delay_ms={}", w.agent_id, cause, attempt, delay);
    w.state = "backoff";
    ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        bs.record_restart(w.agent_id, cause);
        bs.set_state(w.agent_id, "starting", std::nullopt);
    });
    // The agent hears of every restart, not only of the last one: a bot that keeps dying is worth a look.
    record_event(w.agent_id, "supervisor",
                 {{"action", "restart"}, {"cause", cause}, {"attempt", attempt}, {"delay_ms", delay}},
                 json{{"type", "system"},
                      {"title", "Bot restarted"},
                      {"message", "Your bot's process stopped unexpectedly (" + cause +
                                      ") and is being restarted; its open positions are restored from the "
                                      "exchange."}});
    const auto agent = w.agent_id;
    w.restart_timer.expires_after(milliseconds(delay));
    w.restart_timer.async_wait([this, agent](boost::system::error_code ec) {
        if (ec) return;
        auto it = workers.find(agent);
        if (it == workers.end() || it->second->state != "backoff") return;
        spawn(*it->second);
    });
}

void Supervisor::Impl::tick() {
    std::shared_ptr<const config::Config> keep;
    const auto& s = settings_of(ctx, keep);
    const auto now = Clock::now();
    for (auto& [agent, w] : workers) {
        if (w->pid <= 0) continue;
        if (w->stop_requested) {
            if (now - w->stop_sent_at > seconds(s.bots_stop_timeout_s)) {
                logger->warn("worker agent={} did not stop within {} s: killing it", agent,
                             s.bots_stop_timeout_s);
                kill_worker(*w, "stop_timeout");
            }
            continue;
        }
        if (now - w->last_seen > seconds(s.bots_heartbeat_timeout_s)) {
            logger->warn("worker agent={} pid={} hung: no heartbeat for {} s", agent, w->pid,
                         s.bots_heartbeat_timeout_s);
            kill_worker(*w, "hung");
            continue;
        }
        if (s.bots_rss_limit_mb > 0) {
            auto rss = resident_bytes(w->pid);
            if (rss && *rss > s.bots_rss_limit_mb * 1024 * 1024) {
                logger->warn(
                    "worker agent={} pid={} uses {} MiB resident, over bots.rss_limit_mb {}: recycling",
                    agent, w->pid, *rss / (1024 * 1024), s.bots_rss_limit_mb);
                kill_worker(*w, "rss_limit");
            }
        }
    }
    watchdog.expires_after(milliseconds(500));
    watchdog.async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

Supervisor::Supervisor(asio::io_context& io, daemon::DaemonContext& ctx)
    : impl_(std::make_unique<Impl>(io, ctx)) {}

Supervisor::~Supervisor() {
    shutdown();
}

void Supervisor::start() {
    impl_->sigchld.add(SIGCHLD);
    impl_->wait_sigchld();
    impl_->tick();
    impl_->start_desired();
}

void Supervisor::Impl::start_desired() {
    auto wanted = ctx.with_store([](store::Repository& repo) { return BotStore(repo).desired_running(); });
    for (auto agent : wanted) {
        Worker& w = slot(agent);
        if (w.pid > 0) {
            // Still stopping (maintenance was left before it exited): start it again once it has.
            if (w.stop_requested) w.restart_after_stop = true;
            continue;
        }
        if (w.state == "backoff") continue;
        logger->info("starting bot agent={} (desired state running)", agent);
        spawn(w);
    }
}

void Supervisor::shutdown() {
    if (impl_->shutting_down) return;
    impl_->shutting_down = true;
    boost::system::error_code ignored;
    impl_->watchdog.cancel();
    impl_->sigchld.cancel(ignored);
    for (auto& [agent, w] : impl_->workers) {
        w->restart_timer.cancel();
        if (w->pid <= 0) continue;
        // Closing our end makes the worker exit at its next read; desired states stay for the next start.
        if (w->socket) w->socket->close(ignored);
        ::kill(w->pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 50 && ::waitpid(w->pid, &status, WNOHANG) == 0; ++i) ::usleep(20000);
        if (::waitpid(w->pid, &status, WNOHANG) == 0) {
            ::kill(w->pid, SIGKILL);
            ::waitpid(w->pid, &status, 0);
        }
        impl_->set_state(agent, "stopped", std::nullopt);
    }
}

json Supervisor::on_loop(const std::function<json(Supervisor&)>& f) {
    auto done = std::make_shared<std::promise<json>>();
    auto result = done->get_future();
    asio::post(impl_->io, [this, f, done] {
        try {
            done->set_value(f(*this));
        } catch (...) {
            done->set_exception(std::current_exception());
        }
    });
    if (result.wait_for(seconds(10)) != std::future_status::ready)
        throw std::runtime_error("the bot supervisor did not answer (the daemon is stopping?)");
    return result.get();
}

void Supervisor::broadcast(std::shared_ptr<const daemon::ScanBroadcast> scan) {
    const auto posted = Clock::now();
    asio::post(impl_->io, [this, scan, posted] {
        auto line = std::make_shared<const std::string>(R"({"type":"scan","scan_id":)" +
                                                        std::to_string(scan->scan_id) + R"(,"scan":)" +
                                                        scan->json + "}\n");
        int sent = 0;
        for (auto& [agent, w] : impl_->workers)
            if (w->state == "running" && !w->stop_requested) {
                impl_->send(*w, line);
                ++sent;
            }
        // One line, shared by every worker; written without blocking (the socket buffers hold a scan).
        impl_->logger->info("scan_broadcast scan_id={} workers={} bytes={} handed_over_us={}", scan->scan_id,
                            sent, line->size(), duration_cast<microseconds>(Clock::now() - posted).count());
    });
}

}  // namespace tradingd::bots
