// The daemon's shared state and the config reload that validates before it swaps.
#include "daemon_context.h"

#include <ctime>

#include "util/log.h"

namespace tradingd::daemon {

DaemonContext::DaemonContext(config::LoadOptions load_options, config::Config config,
                             std::unique_ptr<store::Connection> store)
    : load_options_(std::move(load_options)),
      config_(std::make_shared<const config::Config>(std::move(config))),
      store_(std::move(store)) {
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    started_at_ = buf;
}

std::string_view maintenance_name(Maintenance m) {
    switch (m) {
        case Maintenance::entering:
            return "entering";
        case Maintenance::on:
            return "on";
        case Maintenance::off:
            break;
    }
    return "off";
}

void DaemonContext::set_store_read_only(bool on) {
    store_.with([&](Store& s) { s.conn->set_read_only(on); });
}

bool DaemonContext::store_read_only() {
    return store_.with([](Store& s) { return s.conn->read_only(); });
}

std::chrono::seconds DaemonContext::uptime() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
}

DaemonContext::ReloadResult DaemonContext::reload() {
    ReloadResult r;
    config::Config fresh;
    try {
        fresh = config::load(load_options_);
        if (auto problems = config::check_daemon_secrets(fresh.secrets); !problems.empty())
            throw config::ConfigError(std::move(problems));
    } catch (const config::ConfigError& e) {
        r.problems = e.problems();
        return r;
    }
    auto old = config();
    if (fresh.settings.control_socket != old->settings.control_socket) {
        r.warnings.push_back("control.socket changed: takes effect after a restart");
        fresh.settings.control_socket = old->settings.control_socket;
    }
    if (fresh.settings.control_socket_group != old->settings.control_socket_group) {
        r.warnings.push_back("control.socket_group changed: takes effect after a restart");
        fresh.settings.control_socket_group = old->settings.control_socket_group;
    }
    auto& fs = fresh.settings;
    const auto& os = old->settings;
    if (fs.http_listen != os.http_listen || fs.http_threads != os.http_threads ||
        fs.http_max_body_bytes != os.http_max_body_bytes || fs.http_timeout_s != os.http_timeout_s) {
        r.warnings.push_back(
            "http.listen, threads, max_body_bytes and timeout_s changes take effect after a restart");
        fs.http_listen = os.http_listen;
        fs.http_threads = os.http_threads;
        fs.http_max_body_bytes = os.http_max_body_bytes;
        fs.http_timeout_s = os.http_timeout_s;
    }
    if (!(fresh.db == old->db)) {
        r.warnings.push_back("database settings changed: take effect after a restart");
        fresh.db = old->db;
    }
    log::set_level(fresh.settings.log_level);
    config_.store(std::make_shared<const config::Config>(std::move(fresh)));
    return r;
}

}  // namespace tradingd::daemon
