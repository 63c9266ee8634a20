// Maintenance mode's transitions; the control commands in commands/maintenance.cpp call them. Log lines
// carry stable words tests grep: "maintenance entering", "maintenance on", "maintenance off".
#include "maintenance.h"

#include <ctime>

#include "bots/bot_store.h"
#include "bots/supervisor.h"
#include "daemon_context.h"
#include "scanner/scanner.h"
#include "util/log.h"

namespace tradingd::daemon {
namespace {

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buf;
}

}  // namespace

MaintenanceMode::MaintenanceMode(boost::asio::io_context& io, DaemonContext& ctx, Scanner& scanner,
                                 bots::Supervisor& supervisor)
    : ctx_(ctx), scanner_(scanner), supervisor_(supervisor), timer_(io) {}

nlohmann::json MaintenanceMode::enter() {
    if (ctx_.maintenance() != Maintenance::off) return status();
    // Outside writers first (REST, control), so nothing new starts while the daemon's own writers wind down.
    ctx_.set_maintenance(Maintenance::entering);
    since_ = utc_now();
    log::get("daemon")->warn("maintenance entering: changes refused, bots stopping, scanner paused");
    scanner_.pause();
    supervisor_.pause_all();
    settle();
    return status();
}

void MaintenanceMode::settle() {
    if (ctx_.maintenance() != Maintenance::entering) return;
    // The stopping workers still report their cancelled orders, and a scan in flight still stores its rows:
    // both must land before the store refuses writes.
    if (supervisor_.live_workers() == 0 && !scanner_.busy()) {
        try {
            ctx_.set_store_read_only(true);
            store_read_only_ = true;
            ctx_.set_maintenance(Maintenance::on);
            log::get("daemon")->warn("maintenance on: every bot stopped, the store is read-only");
            return;
        } catch (const std::exception& e) {
            log::get("daemon")->error("maintenance: cannot make the store read-only yet: {}", e.what());
        }
    }
    timer_.expires_after(std::chrono::milliseconds(50));
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) settle();
    });
}

nlohmann::json MaintenanceMode::leave() {
    if (ctx_.maintenance() == Maintenance::off) return status();
    timer_.cancel();
    if (store_read_only_) {
        ctx_.set_store_read_only(false);  // throws when the database is unreachable: maintenance stays on
        store_read_only_ = false;
    }
    ctx_.set_maintenance(Maintenance::off);
    since_.clear();
    scanner_.resume();
    supervisor_.resume_all();
    log::get("daemon")->warn(
        "maintenance off: the store takes writes again, bots with desired state running "
        "are starting");
    return status();
}

nlohmann::json MaintenanceMode::summary() const {
    return {{"state", maintenance_name(ctx_.maintenance())},
            {"since", since_.empty() ? nlohmann::json(nullptr) : nlohmann::json(since_)},
            {"store_read_only", store_read_only_}};
}

nlohmann::json MaintenanceMode::status() {
    auto j = summary();
    j["scanner_paused"] = scanner_.paused();
    j["workers_alive"] = supervisor_.live_workers();
    j["bots_to_resume"] =
        ctx_.with_store([](store::Repository& repo) { return bots::BotStore(repo).desired_running(); });
    return j;
}

}  // namespace tradingd::daemon
