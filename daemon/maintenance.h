// Maintenance mode: the daemon stays up and keeps answering reads while its database is copied (`tradingctl
// db copy --stop-bots`, `tradingctl maintenance on|off`). Entering refuses every change from outside at once
// (REST 503, control refusals), stops every bot's worker while keeping its desired state, pauses the scanner,
// and, once nothing of the daemon's own is writing any more, switches the store read-only. Leaving undoes
// all of it and starts the bots whose desired state is running. Runtime state only: a restarted daemon
// starts outside maintenance, with those bots running.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace tradingd::bots {
class Supervisor;
}

namespace tradingd::daemon {

class DaemonContext;
class Scanner;

class MaintenanceMode {
  public:
    MaintenanceMode(boost::asio::io_context& io, DaemonContext& ctx, Scanner& scanner,
                    bots::Supervisor& supervisor);
    MaintenanceMode(const MaintenanceMode&) = delete;
    MaintenanceMode& operator=(const MaintenanceMode&) = delete;

    // Event loop only. Both are idempotent and return status(); enter() returns while the bots still stop
    // (state "entering"), the state turns "on" when they have.
    nlohmann::json enter();
    nlohmann::json leave();
    // state (off | entering | on), since, store_read_only, scanner_paused, workers_alive, bots_to_resume.
    nlohmann::json status();
    // The part `status` shows: state, since, store_read_only.
    nlohmann::json summary() const;

  private:
    void settle();  // polls until no worker is alive and no scan runs, then turns the store read-only

    DaemonContext& ctx_;
    Scanner& scanner_;
    bots::Supervisor& supervisor_;
    boost::asio::steady_timer timer_;
    std::string since_;
    bool store_read_only_ = false;
};

}  // namespace tradingd::daemon
