// What handlers may reach: the running config, the store, and facts about this process. Used from the
// event loop and from HTTP worker threads, so the config is an immutable snapshot swapped atomically and
// the store is reached only through with_store(), which serialises access to its one connection.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "store/repository.h"
#include "store/sql.h"
#include "util/guarded.h"

namespace tradingd::bots {
class Supervisor;
}

namespace tradingd::daemon {

class Scanner;
class MaintenanceMode;

// Maintenance mode's phase (maintenance.h): entering = writes from outside refused while the bots stop;
// on = the store is read-only as well.
enum class Maintenance { off, entering, on };
std::string_view maintenance_name(Maintenance m);

class DaemonContext {
  public:
    DaemonContext(config::LoadOptions load_options, config::Config config,
                  std::unique_ptr<store::Connection> store);

    // A snapshot: stays valid and unchanged for as long as the caller holds it, even across a reload.
    std::shared_ptr<const config::Config> config() const { return config_.load(); }

    // Runs f(store::Repository&) with the store to itself. Keep f short: every writer waits for it.
    template <typename F>
    decltype(auto) with_store(F&& f) {
        return store_.with([&](Store& s) -> decltype(auto) { return std::forward<F>(f)(s.repo); });
    }

    std::chrono::seconds uptime() const;
    // The HTTP server's bound port (0 when it is off), for `status` and tests using port 0.
    int http_port() const { return http_port_.load(); }
    void set_http_port(int port) { http_port_.store(port); }
    // The REST routes being served (method, pattern, access), for the `api.routes` command.
    const nlohmann::json& routes_info() const { return routes_info_; }
    void set_routes_info(nlohmann::json info) { routes_info_ = std::move(info); }
    const std::string& started_at() const { return started_at_; }
    // The market scanner, for scan.latest and the signal panel; null until the daemon has started it.
    Scanner* scanner() const { return scanner_.load(); }
    void set_scanner(Scanner* scanner) { scanner_.store(scanner); }
    // The bot supervisor, set once at startup; null in tests that run without one. Event-loop use only.
    bots::Supervisor* supervisor() const { return supervisor_; }
    void set_supervisor(bots::Supervisor* s) { supervisor_ = s; }

    // Maintenance mode: runtime state, never persisted (a restarted daemon starts outside it). Read from any
    // thread (HTTP workers refuse changes while it is not off); set by MaintenanceMode on the event loop.
    Maintenance maintenance() const { return maintenance_.load(); }
    void set_maintenance(Maintenance m) { maintenance_.store(m); }
    MaintenanceMode* maintenance_mode() const { return maintenance_mode_; }  // event-loop use only
    void set_maintenance_mode(MaintenanceMode* m) { maintenance_mode_ = m; }
    // Switches the store's connection read-only (every write refused) or back; waits for the store.
    void set_store_read_only(bool on);
    bool store_read_only();

    // Re-reads the config files. Returns the problems found; on any problem the old config stays.
    // Settings that need a restart (socket, database) keep their old values and are reported as warnings.
    struct ReloadResult {
        std::vector<std::string> problems;
        std::vector<std::string> warnings;
    };
    ReloadResult reload();

  private:
    struct Store {
        explicit Store(std::unique_ptr<store::Connection> c) : conn(std::move(c)), repo(*conn) {}
        std::unique_ptr<store::Connection> conn;
        store::Repository repo;
    };

    config::LoadOptions load_options_;
    std::atomic<std::shared_ptr<const config::Config>> config_;
    Guarded<Store> store_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::string started_at_;
    std::atomic<int> http_port_{0};
    std::atomic<Scanner*> scanner_{nullptr};
    bots::Supervisor* supervisor_ = nullptr;
    std::atomic<Maintenance> maintenance_{Maintenance::off};
    MaintenanceMode* maintenance_mode_ = nullptr;
    nlohmann::json routes_info_ = nlohmann::json::array();  // set once before serving starts
};

}  // namespace tradingd::daemon
