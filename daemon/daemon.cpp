// The daemon's life: validate, open the store, check the schema, listen, notify systemd, serve until told
// to stop. Signals arrive through asio::signal_set, so the work they cause runs in the loop, not a handler.
#include "daemon.h"

#include <systemd/sd-daemon.h>

#include <boost/asio.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "backtest_boot.h"
#include "bots/supervisor.h"
#include "control_server.h"
#include "daemon_context.h"
#include "exchange/simulated_market.h"
#include "http/auth_service.h"
#include "http/handlers.h"
#include "http/http_server.h"
#include "maintenance.h"
#include "scanner/scanner.h"
#include "scanner/scanner_config.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/open.h"
#include "store/transfer.h"
#include "util/log.h"
#include "version.h"

namespace tradingd::daemon {
namespace asio = boost::asio;

namespace {

void on_signal(asio::signal_set& signals, DaemonContext& ctx, ControlServer& server, asio::io_context& io) {
    signals.async_wait([&](boost::system::error_code ec, int signo) {
        if (ec) return;
        auto logger = log::get("daemon");
        if (signo == SIGHUP) {
            ::sd_notify(0, "RELOADING=1");
            auto r = ctx.reload();
            for (const auto& p : r.problems) logger->error("reload rejected: {}", p);
            for (const auto& w : r.warnings) logger->warn("{}", w);
            if (r.problems.empty()) logger->info("configuration reloaded");
            ::sd_notify(0, "READY=1");
            on_signal(signals, ctx, server, io);
            return;
        }
        logger->info("received {}, shutting down", signo == SIGTERM ? "SIGTERM" : "SIGINT");
        ::sd_notify(0, "STOPPING=1");
        server.close();
        io.stop();
    });
}

}  // namespace

int run(const config::LoadOptions& options) {
    config::Config cfg;
    try {
        cfg = config::load(options);
        if (auto problems = config::check_daemon_secrets(cfg.secrets); !problems.empty())
            throw config::ConfigError(std::move(problems));
    } catch (const config::ConfigError& e) {
        std::fprintf(stderr, "tradingd: configuration invalid:\n");
        for (const auto& p : e.problems()) std::fprintf(stderr, "  %s\n", p.c_str());
        return 1;
    }
    log::init(cfg.settings.log_level, std::getenv("JOURNAL_STREAM") != nullptr);
    auto logger = log::get("daemon");
    std::signal(SIGPIPE, SIG_IGN);

    std::unique_ptr<store::Connection> conn;
    try {
        conn = store::open_connection(cfg.db);
    } catch (const store::Error& e) {
        logger->critical("cannot open the database: {}", e.what());
        return 1;
    }
    const int have = store::schema_version(*conn);
    const int need = store::latest_schema_version();
    if (have != need) {
        logger->critical(
            "database {} is at schema version {} but this tradingd {} needs {}: run `tradingctl db "
            "migrate`{}",
            conn->describe(), have, kVersion, need,
            have > need ? " with a newer tradingctl (the database is newer than this binary)" : "");
        return 1;
    }
    if (auto load = store::unfinished_load(*conn)) {
        logger->critical(
            "database {} holds an unfinished {}: its data may be partial, so it is not served. Run that "
            "`tradingctl db restore` or `db copy` again (it empties the partial data itself), or restore "
            "another backup",
            conn->describe(), *load);
        return 1;
    }

    asio::io_context io;
    DaemonContext ctx(options, std::move(cfg), std::move(conn));
    ControlServer server(io, ctx);
    try {
        server.listen();
    } catch (const std::exception& e) {
        logger->critical("{}", e.what());
        return 1;
    }
    http::AuthService auth(ctx);
    std::unique_ptr<http::HttpServer> web;
    if (!ctx.config()->settings.http_listen.empty()) {
        auto routes = http::build_routes(auth);
        nlohmann::json info = nlohmann::json::array();
        for (const auto& r : routes)
            info.push_back({{"method", r.method},
                            {"pattern", r.pattern},
                            {"access", r.access == http::Access::open    ? "open"
                                       : r.access == http::Access::agent ? "agent"
                                                                         : "admin"},
                            {"summary", r.summary}});
        ctx.set_routes_info(std::move(info));
        web = std::make_unique<http::HttpServer>(
            ctx, std::move(routes),
            [&auth](const std::string& token, std::string& why) { return auth.authenticate(token, why); });
        try {
            ctx.set_http_port(web->start());
        } catch (const std::exception& e) {
            logger->critical("{}", e.what());
            return 1;
        }
    }
    // One scan per interval for every bot; its settings are re-read before each scan, so a reload applies.
    Scanner scanner(
        ctx, market_sources(ctx.config()->settings),
        [&ctx] { return scanner_settings(ctx.config()->settings); }, exchange::system_time_ms);
    ctx.set_scanner(&scanner);
    // Bot workers: started after the control socket is up so `tradingctl bot` works while they come up.
    bots::Supervisor supervisor(io, ctx);
    ctx.set_supervisor(&supervisor);
    scanner.subscribe(
        [&supervisor](std::shared_ptr<const ScanBroadcast> scan) { supervisor.broadcast(scan); });
    supervisor.start();
    scanner.start();
    // Runtime state only: every start is outside maintenance, whatever the last run was in.
    MaintenanceMode maintenance(io, ctx, scanner, supervisor);
    ctx.set_maintenance_mode(&maintenance);

    // A fresh install publishes the sample backtest, so the landing page shows figures of this code.
    SampleBacktest sample(ctx);
    sample.start();

    asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
    on_signal(signals, ctx, server, io);

    ::sd_notify(0, "READY=1\nSTATUS=serving");
    logger->info("tradingd {} ready: store {} (schema {}), control socket {}", kVersion,
                 ctx.with_store([](store::Repository& r) { return r.connection().describe(); }), have,
                 ctx.config()->settings.control_socket);
    io.run();
    ctx.set_maintenance_mode(nullptr);
    scanner.stop();
    supervisor.shutdown();
    ctx.set_supervisor(nullptr);
    if (web) web->stop();
    ctx.set_scanner(nullptr);
    logger->info("tradingd stopped");
    return 0;
}

}  // namespace tradingd::daemon
