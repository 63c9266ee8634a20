// The lifecycle commands behind `tradingctl bot ...`: desired state first (it survives daemon restarts),
// then the process. Refusals are CommandRefused values for the handler to turn into error codes.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "bots/bot_store.h"
#include "bots/supervisor_impl.h"
#include "daemon_context.h"

namespace tradingd::bots {

using nlohmann::json;

namespace {
json opt_json(const std::optional<std::string>& v) {
    return v ? json(*v) : json(nullptr);
}

// The lifecycle changes wait for maintenance mode to end: they would write, and a bot started now would
// trade against a database that is being copied.
void refuse_in_maintenance(daemon::DaemonContext& ctx, const char* command) {
    if (ctx.maintenance() != daemon::Maintenance::off)
        throw CommandRefused{"unavailable",
                             std::string("the daemon is in maintenance mode (its database is being "
                                         "copied): ") +
                                 command + " is refused until `tradingctl maintenance off`"};
}
}  // namespace

json Supervisor::Impl::status_of(std::int64_t agent_id) {
    auto info = ctx.with_store([&](store::Repository& repo) { return BotStore(repo).find(agent_id); });
    if (!info) throw CommandRefused{"not_found", "agent " + std::to_string(agent_id) + " has no bot"};
    json j = {{"agent_id", info->agent_id},
              {"name", info->display_name},
              {"mode", info->mode},
              {"state", info->state},
              {"desired_state", info->desired_state},
              {"restart_count", info->restart_count},
              {"last_error", opt_json(info->last_error)},
              {"last_cause", opt_json(info->last_cause)},
              {"last_restart_at", opt_json(info->last_restart_at)},
              {"started_at", opt_json(info->started_at)},
              {"pid", nullptr},
              {"rss_kib", nullptr}};
    auto it = workers.find(agent_id);
    if (it != workers.end() && it->second->pid > 0) {
        j["pid"] = it->second->pid;
        std::ifstream statm("/proc/" + std::to_string(it->second->pid) + "/statm");
        long size = 0, resident = 0;
        if (statm >> size >> resident) j["rss_kib"] = resident * (::sysconf(_SC_PAGESIZE) / 1024);
    }
    return j;
}

json Supervisor::list() {
    auto bots = impl_->ctx.with_store([](store::Repository& repo) { return BotStore(repo).list(); });
    json out = json::array();
    for (const auto& b : bots) out.push_back(impl_->status_of(b.agent_id));
    return {{"bots", out}};
}

json Supervisor::status(std::int64_t agent_id) {
    return impl_->status_of(agent_id);
}

json Supervisor::start_bot(std::int64_t agent_id, const std::string& mode) {
    refuse_in_maintenance(impl_->ctx, "bot start");
    if (!mode.empty() && mode != "paper" && mode != "live")
        throw CommandRefused{"invalid_args", "mode must be paper or live"};
    impl_->ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        if (!bs.agent_exists(agent_id))
            throw CommandRefused{"not_found", "no agent " + std::to_string(agent_id)};
        auto bot = bs.ensure(agent_id);
        if (bot.state == "error")
            throw CommandRefused{"conflict", "bot is in error (" + bot.last_error.value_or("") +
                                                 "); run `tradingctl bot reset " + std::to_string(agent_id) +
                                                 "` first"};
        if (!mode.empty()) bs.set_mode(agent_id, mode);
        bs.set_desired(agent_id, "running");
    });
    Worker& w = impl_->slot(agent_id);
    if (w.pid > 0 || w.state == "backoff") return impl_->status_of(agent_id);  // already on its way
    w.restarts.clear();
    impl_->spawn(w);
    return impl_->status_of(agent_id);
}

json Supervisor::stop_bot(std::int64_t agent_id, bool flatten) {
    refuse_in_maintenance(impl_->ctx, "bot stop");
    impl_->ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        if (!bs.find(agent_id))
            throw CommandRefused{"not_found", "agent " + std::to_string(agent_id) + " has no bot"};
        bs.set_desired(agent_id, "stopped");
    });
    Worker& w = impl_->slot(agent_id);
    w.restart_timer.cancel();
    if (w.pid <= 0) {
        w.state = "stopped";
        auto info = impl_->status_of(agent_id);
        if (info["state"] != "error") impl_->set_state(agent_id, "stopped", std::nullopt);
        return impl_->status_of(agent_id);
    }
    if (!w.stop_requested) impl_->request_stop(w, flatten);
    return impl_->status_of(agent_id);
}

// The worker cancels its entry orders, keeps the protective ones (or closes everything when flattening),
// says "stopped" and exits; the watchdog kills it after bots.stop_timeout_s.
void Supervisor::Impl::request_stop(Worker& w, bool flatten) {
    w.stop_requested = true;
    w.stop_sent_at = Clock::now();
    w.state = "stopping";
    set_state(w.agent_id, "stopping", std::nullopt);
    logger->info("stopping bot agent={} flatten={}", w.agent_id, flatten);
    if (w.socket)
        send(w,
             std::make_shared<const std::string>(json{{"type", "stop"}, {"flatten", flatten}}.dump() + "\n"));
    else
        kill_worker(w, "stop_timeout");
}

json Supervisor::restart_bot(std::int64_t agent_id) {
    refuse_in_maintenance(impl_->ctx, "bot restart");
    Worker& w = impl_->slot(agent_id);
    if (w.pid > 0) {
        stop_bot(agent_id, false);
        w.restart_after_stop = true;
        impl_->ctx.with_store(
            [&](store::Repository& repo) { BotStore(repo).set_desired(agent_id, "running"); });
        return impl_->status_of(agent_id);
    }
    return start_bot(agent_id, "");
}

json Supervisor::reset_bot(std::int64_t agent_id) {
    refuse_in_maintenance(impl_->ctx, "bot reset");
    impl_->ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        auto bot = bs.find(agent_id);
        if (!bot) throw CommandRefused{"not_found", "agent " + std::to_string(agent_id) + " has no bot"};
        bs.reset_restarts(agent_id);
        if (bot->state == "error") {
            bs.set_desired(agent_id, "stopped");
            bs.set_state(agent_id, "stopped", std::nullopt);
        }
    });
    Worker& w = impl_->slot(agent_id);
    w.restarts.clear();
    if (w.state == "error") w.state = "stopped";
    impl_->logger->info("bot reset agent={}", agent_id);
    impl_->record_event(agent_id, "supervisor", {{"action", "reset"}}, std::nullopt);
    return impl_->status_of(agent_id);
}

void Supervisor::pause_all() {
    impl_->paused = true;
    for (auto& [agent, w] : impl_->workers) {
        w->restart_timer.cancel();
        w->restart_after_stop = false;
        if (w->pid <= 0) {
            if (w->state == "backoff") {  // its restart is cancelled; the desired state brings it back
                w->state = "stopped";
                impl_->set_state(agent, "stopped", std::nullopt);
            }
            continue;
        }
        // As stop_bot(agent, false), minus the desired state.
        if (!w->stop_requested) impl_->request_stop(*w, false);
    }
    impl_->logger->info("maintenance: every bot stopping, desired states kept");
}

void Supervisor::resume_all() {
    impl_->paused = false;
    impl_->start_desired();
}

int Supervisor::live_workers() const {
    return static_cast<int>(std::count_if(impl_->workers.begin(), impl_->workers.end(),
                                          [](const auto& kv) { return kv.second->pid > 0; }));
}

json Supervisor::logs(std::int64_t agent_id, int limit) {
    return impl_->ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        if (!bs.find(agent_id))
            throw CommandRefused{"not_found", "agent " + std::to_string(agent_id) + " has no bot"};
        return json{{"agent_id", agent_id}, {"events", bs.recent_events(agent_id, limit)}};
    });
}

}  // namespace tradingd::bots
