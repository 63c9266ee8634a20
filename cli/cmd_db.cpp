// Database maintenance with the daemon up or down: db migrate, db status. Opens the store directly.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "daemon_maintenance.h"
#include "output.h"
#include "store/migrator.h"
#include "store/open.h"
#include "store/transfer.h"

namespace tradingd::cli {
namespace {

std::unique_ptr<store::Connection> open_store(config::Config cfg, bool create_dir) {
    cfg.db.sqlite.create_if_missing = create_dir;
    if (create_dir && cfg.db.backend == store::Backend::sqlite) {
        auto dir = std::filesystem::path(cfg.db.sqlite.path).parent_path();
        if (!dir.empty()) std::filesystem::create_directories(dir);
    }
    if (!create_dir && cfg.db.backend == store::Backend::sqlite &&
        !std::filesystem::exists(cfg.db.sqlite.path))
        throw CommandFailed{kFailed, "database file " + cfg.db.sqlite.path +
                                         " does not exist; `tradingctl db migrate` creates it"};
    try {
        return store::open_connection(cfg.db);
    } catch (const store::Error& e) {
        throw CommandFailed{kFailed, std::string("cannot open the database: ") + e.what()};
    }
}

nlohmann::json status_json(store::Connection& conn) {
    auto s = store::schema_status(conn);
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& a : s.applied)
        applied.push_back({{"version", a.version},
                           {"name", a.name},
                           {"applied_at", a.applied_at},
                           {"checksum_ok", a.checksum_matches}});
    const auto load = store::unfinished_load(conn);
    return {{"backend", std::string(store::backend_name(conn.backend()))},
            {"location", conn.describe()},
            {"schema_version", s.current},
            {"schema_latest", s.latest},
            {"up_to_date", s.up_to_date()},
            {"applied", applied},
            {"pending", s.pending},
            {"unfinished_load", load ? nlohmann::json(*load) : nlohmann::json(nullptr)}};
}

void print_status(const nlohmann::json& r) {
    std::cout << "database: " << text_of(r["location"]) << "\n"
              << "schema:   version " << text_of(r["schema_version"]) << " of " << text_of(r["schema_latest"])
              << (r["up_to_date"].get<bool>() ? " (up to date)" : " (run `tradingctl db migrate`)") << "\n";
    if (!r["unfinished_load"].is_null())
        std::cout << "UNFINISHED: " << text_of(r["unfinished_load"])
                  << " (tradingd will not serve it: run that restore or copy again)\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : r["applied"])
        rows.push_back({text_of(a["version"]), text_of(a["name"]), text_of(a["applied_at"]),
                        a["checksum_ok"].get<bool>() ? "ok" : "EDITED AFTER APPLYING"});
    for (const auto& p : r["pending"]) rows.push_back({text_of(p), "", "pending", ""});
    if (!rows.empty()) print_table({"VERSION", "NAME", "APPLIED AT", "CHECKSUM"}, rows);
}

}  // namespace

void add_db_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp = app.add_subcommand("db", "database maintenance (works with the daemon stopped)");
    grp->require_subcommand(1);

    auto* migrate =
        grp->add_subcommand("migrate", "apply pending schema migrations (creates the SQLite file)");
    static int target = 0;
    migrate->add_option("--to", target, "stop at this schema version (default: latest)")
        ->check(CLI::Range(1, 9999));
    migrate->callback([&] {
        action = [&] {
            const auto cfg = load_config(g);
            refuse_writes_during_maintenance(g, cfg, "migrating");
            auto conn = open_store(cfg, true);
            std::vector<int> applied;
            try {
                applied = store::migrate(*conn, target, [&](int v, std::string_view name) {
                    if (!g.json) std::cout << "applying " << v << "_" << name << " ...\n";
                });
            } catch (const store::Error& e) {
                throw CommandFailed{kFailed, e.what()};
            }
            nlohmann::json r = status_json(*conn);
            r["applied_now"] = applied;
            emit(g, r, [&](const nlohmann::json& r) {
                if (applied.empty())
                    std::cout << "nothing to do: " << text_of(r["location"]) << " is at schema version "
                              << text_of(r["schema_version"]) << "\n";
                else
                    std::cout << "applied " << applied.size() << " migration(s); " << text_of(r["location"])
                              << " is now at schema version " << text_of(r["schema_version"]) << "\n";
            });
        };
    });

    grp->add_subcommand("status", "show the schema version, applied and pending migrations")->callback([&] {
        action = [&] {
            auto conn = open_store(load_config(g), false);
            emit(g, status_json(*conn), print_status);
        };
    });

    add_db_data_commands(*grp, g, action);
}

}  // namespace tradingd::cli
