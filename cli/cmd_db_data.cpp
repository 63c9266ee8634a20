// db copy / backup / restore / create: moving and protecting the data. The work is in common/store (copy.h,
// backup.h, database_setup.h); this file parses options, refuses unsafe situations and prints results.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "config/env.h"
#include "crypto/random.h"
#include "crypto/secret.h"
#include "daemon_maintenance.h"
#include "output.h"
#include "store/backup.h"
#include "store/copy.h"
#include "store/database_setup.h"
#include "store/migrations.h"

namespace tradingd::cli {
namespace {

std::string control_socket(const Globals& g, const config::Config& cfg) {
    return g.socket ? *g.socket : cfg.settings.control_socket;
}

// The daemon writes to its database: a copy or restore taken meanwhile would miss or clobber writes. Bots
// are the daemon's children, so a stopped daemon also means stopped bots.
void refuse_if_daemon_running(const Globals& g, const config::Config& cfg, const std::string& doing,
                              const std::string& alternative = "") {
    if (auto status = running_daemon(control_socket(g, cfg)))
        throw CommandFailed{kFailed, daemon_name(*status) + " is running on " + control_socket(g, cfg) +
                                         ": stop it before " + doing +
                                         " (systemctl stop tradingd), so that no write is lost; stopping it "
                                         "stops its bots" +
                                         alternative};
}

// Progress for tables of 10,000 rows or more, on stderr so that --json output stays clean.
store::Progress stderr_progress() {
    return [table = std::string(), shown = -1](std::string_view name, std::int64_t done,
                                               std::int64_t total) mutable {
        if (total < 10000) return;
        if (name != table) {
            table = name;
            shown = -1;
        }
        const int percent = static_cast<int>(done * 10 / total) * 10;
        if (percent == shown) return;
        shown = percent;
        std::cerr << "  " << name << ": " << done << " of " << total << " rows (" << percent << "%)\n";
    };
}

std::string short_sum(const std::string& sum) {
    return sum.substr(0, 16);
}

// Prints the per-table comparison and fails the command (exit 1) on any mismatch.
void emit_report(const Globals& g, const store::TransferReport& report, nlohmann::json result) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : report.tables)
        tables.push_back({{"table", t.table},
                          {"source_rows", t.source_rows},
                          {"target_rows", t.target_rows},
                          {"source_checksum", t.source_checksum},
                          {"target_checksum", t.target_checksum},
                          {"ok", t.ok()}});
    result["schema_version"] = report.schema_version;
    result["tables"] = tables;
    result["ok"] = report.ok();
    emit(g, result, [&](const nlohmann::json& r) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& t : report.tables)
            rows.push_back({t.table, std::to_string(t.source_rows), std::to_string(t.target_rows),
                            short_sum(t.source_checksum), short_sum(t.target_checksum),
                            t.ok() ? "ok" : "MISMATCH"});
        print_table({"TABLE", "SOURCE ROWS", "TARGET ROWS", "SOURCE SHA-256", "TARGET SHA-256", "RESULT"},
                    rows);
        std::cout << (report.ok() ? "verified: every table matches" : "VERIFICATION FAILED") << " ("
                  << text_of(r["source"]) << " -> " << text_of(r["target"]) << ", schema version "
                  << report.schema_version << ")\n";
    });
    if (!report.ok())
        throw CommandFailed{kFailed, "verification failed: row counts or checksums differ (see the table)"};
}

template <typename F>
auto store_errors_fail(F&& work) {
    try {
        return work();
    } catch (const store::CorruptBackup& e) {
        throw CommandFailed{kFailed,
                            std::string("refusing the backup: ") + e.what() + "; nothing was written"};
    } catch (const store::Error& e) {
        throw CommandFailed{kFailed, e.what()};
    } catch (const std::runtime_error& e) {  // file system and compression errors
        throw CommandFailed{kFailed, e.what()};
    }
}

struct CopyArgs {
    std::string from, to;
    bool replace = false;
    int batch = 1000;
    bool stop_bots = false;
    int stop_timeout_s = 60;
};

void copy(const Globals& g, const CopyArgs& a) {
    if (!a.from.starts_with("sqlite:") || a.from.size() == 7)
        throw CommandFailed{kUsage, "--from must be sqlite:PATH"};
    if (a.to != "mysql")
        throw CommandFailed{kUsage, "--to must be 'mysql': the target comes from MYSQL_* settings"};
    const auto cfg = load_config(g);
    if (cfg.db.backend != store::Backend::mysql)
        throw CommandFailed{
            kFailed,
            "MYSQL_HOST is not set, so there is no MySQL target: set MYSQL_HOST (and MYSQL_PORT)"
            " for this command only, e.g. MYSQL_HOST=/run/mysqld/mysqld.sock tradingctl db copy ..."};
    store::SqliteSettings source_settings;
    source_settings.path = a.from.substr(7);
    source_settings.read_only = true;  // the SQLite file stays untouched: it is the way back
    if (!std::filesystem::exists(source_settings.path))
        throw CommandFailed{kFailed, "no SQLite database at " + source_settings.path};
    const auto daemon = running_daemon(control_socket(g, cfg));
    if (daemon && !a.stop_bots)
        refuse_if_daemon_running(
            g, cfg, "copying",
            ", or pass --stop-bots to keep it up in maintenance mode (bots stopped, database "
            "read-only) while it copies");
    nlohmann::json result;
    if (daemon) {
        check_daemon_serves(*daemon, source_settings.path);
        // On stderr, so that --json output stays one document: the wait can take seconds with many bots.
        std::cerr << daemon_name(*daemon) << ": entering maintenance mode, stopping its bots\n";
        const auto m = enter_maintenance(g, a.stop_timeout_s);
        std::cerr << daemon_name(*daemon) << ": maintenance on, database read-only, "
                  << m.value("bots_to_resume", nlohmann::json::array()).size()
                  << " bot(s) to start again afterwards; copying\n";
        result["daemon"] = next_steps(*daemon, source_settings.path);
    }
    try {
        store_errors_fail([&] {
            auto source = store::open_sqlite(source_settings);
            auto target = store::open_mysql(cfg.db.mysql);
            const auto report =
                store::copy_database(*source, *target, {a.replace, a.batch, stderr_progress()});
            result["source"] = source->describe();
            result["target"] = target->describe();
            emit_report(g, report, result);
            return 0;
        });
    } catch (CommandFailed& f) {
        if (daemon)
            f.message += "\n" + daemon_name(*daemon) +
                         " stays in maintenance mode; `tradingctl maintenance off` resumes it";
        throw;
    }
    if (daemon && !g.json) print_next_steps(result["daemon"]);
}

struct BackupArgs {
    std::string out = ".";
    int keep = 0;
};

void backup(const Globals& g, const BackupArgs& a) {
    const auto cfg = load_config(g);
    const auto r =
        store_errors_fail([&] { return store::create_backup(cfg.db, a.out, a.keep, stderr_progress()); });
    nlohmann::json tables = nlohmann::json::array();
    std::int64_t rows = 0;
    for (const auto& t : r.manifest.tables) {
        tables.push_back({{"name", t.name}, {"rows", t.rows}, {"checksum", t.checksum}});
        rows += t.rows;
    }
    emit(g,
         {{"file", r.path},
          {"bytes", r.bytes},
          {"sha256", r.sha256},
          {"backend", r.manifest.backend},
          {"schema_version", r.manifest.schema_version},
          {"created_at", r.manifest.created_at},
          {"tables", tables},
          {"removed", r.removed}},
         [&](const nlohmann::json&) {
             std::cout << "backup written: " << r.path << "\n  " << r.bytes << " bytes, " << tables.size()
                       << " tables, " << rows << " rows, schema version " << r.manifest.schema_version
                       << "\n  sha256 " << r.sha256 << " (also in " << r.path << ".sha256)\n";
             for (const auto& name : r.removed) std::cout << "  removed old backup " << name << "\n";
         });
}

struct RestoreArgs {
    std::string file;
    bool replace = false;
    int batch = 1000;
};

void report_restore(const Globals& g, const store::Manifest& manifest, const store::TransferReport& report,
                    const std::string& file, const std::string& target) {
    if (report.ok() && manifest.schema_version < store::latest_schema_version() && !g.json)
        std::cerr << "note: the backup is at schema version " << manifest.schema_version
                  << "; run `tradingctl db migrate` before starting tradingd\n";
    emit_report(g, report, {{"source", file}, {"target", target}, {"created_at", manifest.created_at}});
}

void restore(const Globals& g, const RestoreArgs& a) {
    auto cfg = load_config(g);
    refuse_if_daemon_running(g, cfg, "restoring");
    // The whole file is checked before the target is opened, let alone created or written.
    const auto manifest = store_errors_fail([&] { return store::verify_backup(a.file); });
    const store::TransferOptions options{a.replace, a.batch, stderr_progress()};
    if (cfg.db.backend == store::Backend::sqlite) {
        const auto dir = std::filesystem::path(cfg.db.sqlite.path).parent_path();
        if (!dir.empty()) std::filesystem::create_directories(dir);
        // Into a private file renamed into place when complete: never a half-restored database file.
        store_errors_fail([&] {
            const auto report =
                store::restore_backup_to_sqlite_file(a.file, manifest, cfg.db.sqlite, options);
            report_restore(g, manifest, report, a.file, "sqlite:" + cfg.db.sqlite.path);
            return 0;
        });
        return;
    }
    store_errors_fail([&] {
        auto target = store::open_connection(cfg.db);
        const auto report = store::restore_backup(a.file, manifest, *target, options);
        report_restore(g, manifest, report, a.file, target->describe());
        return 0;
    });
}

struct WipeOnExit {
    std::string& secret;
    ~WipeOnExit() { crypto::wipe_string(secret); }
};

struct CreateArgs {
    std::string admin_user;
    store::AppDatabase spec;
    std::optional<std::string> host;
    std::optional<unsigned> port;
    bool print_sql = false;
};

void create(const Globals& g, const CreateArgs& a) {
    if (auto problem = store::check_app_database(a.spec); !problem.empty())
        throw CommandFailed{kUsage, problem};
    if (a.print_sql) {
        const auto sql = store::app_database_sql(a.spec, "<generated password>");
        emit(g, {{"sql", sql}}, [&](const nlohmann::json&) {
            for (const auto& s : sql) std::cout << s << ";\n";
        });
        return;
    }
    const auto cfg = load_config(g);
    if (cfg.env_file_path.empty())
        throw CommandFailed{
            kFailed, "no env file to write MYSQL_USER/MYSQL_PASSWORD/MYSQL_DB into: pass --env-file PATH"};
    store::MysqlSettings admin;
    const bool configured = cfg.db.backend == store::Backend::mysql;
    admin.host = a.host.value_or(configured ? cfg.db.mysql.host : "/run/mysqld/mysqld.sock");
    admin.port = a.port.value_or(configured ? cfg.db.mysql.port : 3306);
    admin.user = a.admin_user;
    // From stdin or a prompt, never argv (visible to every user of the machine).
    admin.password =
        read_line_quietly("MySQL password for " + a.admin_user + " (empty for socket authentication): ");
    auto app_password = crypto::random_hex(24);  // 192 bits from the CSPRNG; hex needs no quoting in SQL
    const WipeOnExit wipe_admin{admin.password}, wipe_app{app_password};
    bool login_checked = false;
    store_errors_fail([&] {
        auto conn = store::open_mysql(admin);
        store::create_app_database(*conn, a.spec, app_password);
        store::MysqlSettings app = admin;
        app.user = a.spec.user;
        app.password = app_password;
        app.database = a.spec.database;
        try {  // the account may be reachable only by another route (its host part), so this is advisory
            store::open_mysql(app)->prepare("SELECT 1")->step();
            login_checked = true;
        } catch (const store::Error&) {
        }
        return 0;
    });
    config::EnvMap values{
        {"MYSQL_USER", a.spec.user}, {"MYSQL_PASSWORD", app_password}, {"MYSQL_DB", a.spec.database}};
    const WipeOnExit wipe_copy{values["MYSQL_PASSWORD"]};
    try {
        if (std::filesystem::exists(cfg.env_file_path))
            config::update_env_file(cfg.env_file_path, values, {});
        else
            config::write_env_file(cfg.env_file_path, values,
                                   "# tradingd database credentials (tradingctl db create)");
    } catch (const std::runtime_error& e) {
        throw CommandFailed{kFailed, std::string(e.what()) +
                                         "; the account exists but its password is lost: "
                                         "DROP USER it and run db create again"};
    }
    emit(g,
         {{"database", a.spec.database},
          {"app_user", a.spec.user},
          {"app_host", a.spec.host},
          {"privileges", store::kAppPrivileges},
          {"env_file", cfg.env_file_path},
          {"login_checked", login_checked}},
         [&](const nlohmann::json&) {
             std::cout
                 << "created database " << a.spec.database << " and account '" << a.spec.user << "'@'"
                 << a.spec.host << "' with " << store::kAppPrivileges << "\nwrote MYSQL_USER, MYSQL_PASSWORD"
                 << " and MYSQL_DB to " << cfg.env_file_path << " (no access for other users)\n"
                 << "MYSQL_HOST is left unset: tradingd stays on SQLite until you add it after `db copy`\n";
             if (!login_checked)
                 std::cout << "warning: could not log in as " << a.spec.user << " through " << admin.host
                           << "; MYSQL_HOST must reach the server as host '" << a.spec.host << "'\n";
         });
}

}  // namespace

void add_db_data_commands(CLI::App& db, Globals& g, Action& action) {
    static CopyArgs copy_args;
    auto* c = db.add_subcommand("copy", "copy the SQLite database into MySQL/MariaDB and verify every table");
    c->add_option("--from", copy_args.from, "source: sqlite:PATH (opened read-only)")->required();
    c->add_option("--to", copy_args.to, "target: mysql (from MYSQL_* in the environment or env file)")
        ->required();
    c->add_flag("--replace", copy_args.replace, "empty a target that holds data instead of refusing");
    c->add_option("--batch", copy_args.batch, "rows per transaction (default 1000)")
        ->check(CLI::Range(1, 100000));
    c->add_flag(
        "--stop-bots", copy_args.stop_bots,
        "if tradingd runs on the source: put it in maintenance mode (bots stopped, desired states kept, "
        "database read-only) and copy while it serves reads");
    c->add_option(
         "--stop-timeout", copy_args.stop_timeout_s,
         "seconds to wait for the bots to stop (default 60); then maintenance is left, nothing copied")
        ->check(CLI::Range(1, 3600));
    c->callback([&] { action = [&] { copy(g, copy_args); }; });

    static BackupArgs backup_args;
    auto* b =
        db.add_subcommand("backup", "write a compressed, checksummed backup (the daemon may keep running)");
    b->add_option("--out", backup_args.out, "directory for tradingd-YYYYmmddTHHMMSSZ.tdbak (default: .)");
    b->add_option("--keep", backup_args.keep, "then keep only the newest N backups in it")
        ->check(CLI::Range(1, 100000));
    b->callback([&] { action = [&] { backup(g, backup_args); }; });

    static RestoreArgs restore_args;
    auto* r = db.add_subcommand("restore",
                                "restore a backup into an empty database and verify it (daemon stopped)");
    r->add_option("file", restore_args.file, "the .tdbak file")->required()->check(CLI::ExistingFile);
    r->add_flag("--replace", restore_args.replace, "empty a database that holds data instead of refusing");
    r->add_option("--batch", restore_args.batch, "rows per transaction (default 1000)")
        ->check(CLI::Range(1, 100000));
    r->callback([&] { action = [&] { restore(g, restore_args); }; });

    static CreateArgs create_args;
    auto* k =
        db.add_subcommand("create", "create the MySQL database and tradingd's account (password from stdin)");
    k->add_option("--admin-user", create_args.admin_user, "administrator to connect as, e.g. root")
        ->required();
    k->add_option("--database", create_args.spec.database, "database to create (default trading_saas)");
    k->add_option("--app-user", create_args.spec.user, "account tradingd uses (default saas_user)");
    k->add_option("--app-host", create_args.spec.host,
                  "the account's host part (default localhost: socket logins)");
    k->add_option("--host", create_args.host,
                  "server host or socket path (default MYSQL_HOST or /run/mysqld/mysqld.sock)");
    k->add_option("--port", create_args.port, "server port (default MYSQL_PORT or 3306)");
    k->add_flag("--print-sql", create_args.print_sql,
                "print the statements (password masked) and change nothing");
    k->callback([&] { action = [&] { create(g, create_args); }; });
}

}  // namespace tradingd::cli
