// Schema migrations: each runs once, in order, and is recorded with a checksum of its text.
#include "store/migrator.h"

#include <algorithm>

#include "crypto/digest.h"
#include "store/migrations.h"

namespace tradingd::store {
namespace {

void create_version_table(Connection& conn) {
    if (conn.backend() == Backend::mysql) {
        conn.exec_script(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, checksum CHAR(64) NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
            ") ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci");
    } else {
        conn.exec_script(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')))");
    }
}

bool has_version_table(Connection& conn) {
    auto tables = conn.table_names();
    return std::find(tables.begin(), tables.end(), "schema_version") != tables.end();
}

std::vector<AppliedMigration> read_applied(Connection& conn) {
    std::vector<AppliedMigration> applied;
    if (!has_version_table(conn)) return applied;
    auto known = migrations_for(conn.backend());
    auto st = conn.prepare("SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version");
    while (st->step()) {
        AppliedMigration m{static_cast<int>(st->get_int(0)), st->get_text(1), st->get_text(2),
                           st->get_text(3)};
        for (const auto& k : known)
            if (k.version == m.version) m.checksum_matches = crypto::sha256_hex(k.sql) == m.checksum;
        applied.push_back(std::move(m));
    }
    return applied;
}

// Serialises concurrent `db migrate` runs. SQLite gets the same effect from BEGIN IMMEDIATE.
class MysqlMigrationLock {
  public:
    explicit MysqlMigrationLock(Connection& conn) : conn_(conn) {
        if (conn_.backend() != Backend::mysql) return;
        auto st = conn_.prepare("SELECT GET_LOCK('tradingd_migrate', 60)");
        if (!st->step() || st->is_null(0) || st->get_int(0) != 1)
            throw Error(ErrorKind::busy, "another migration holds the lock 'tradingd_migrate'");
        held_ = true;
    }
    ~MysqlMigrationLock() {
        if (!held_) return;
        try {
            auto st = conn_.prepare("SELECT RELEASE_LOCK('tradingd_migrate')");
            st->step();
        } catch (...) {
        }
    }

  private:
    Connection& conn_;
    bool held_ = false;
};

// A migration that rebuilds a table (SQLite's 12-step procedure for what ALTER TABLE cannot do) starts with
// this line: foreign keys must be off OUTSIDE the transaction (the pragma is a no-op inside one), and the
// result is checked with foreign_key_check before the commit.
constexpr std::string_view kForeignKeysOffMarker = "-- tradingd: foreign_keys_off";

void check_foreign_keys(Connection& conn, const Migration& m) {
    auto st = conn.prepare("PRAGMA foreign_key_check");
    if (st->step())
        throw Error(ErrorKind::constraint, "migration " + std::to_string(m.version) +
                                               " leaves rows whose foreign key points nowhere (table " +
                                               st->get_text(0) + ")");
}

void apply_sqlite(Connection& conn, const Migration& m, const std::function<void()>& record, bool& applied) {
    Transaction tx(conn);  // BEGIN IMMEDIATE: holds the write lock from here on
    if (schema_version(conn) >= m.version) return;
    conn.exec_script(m.sql);
    if (m.sql.starts_with(kForeignKeysOffMarker)) check_foreign_keys(conn, m);
    record();
    tx.commit();
    applied = true;
}

// Returns false when a concurrent migrator applied `m` first.
bool apply_one(Connection& conn, const Migration& m) {
    auto record = [&] {
        auto st = conn.prepare("INSERT INTO schema_version (version, name, checksum) VALUES (?, ?, ?)");
        st->bind_all(std::int64_t{m.version}, std::string(m.name), crypto::sha256_hex(m.sql));
        st->step();
    };
    try {
        if (conn.backend() == Backend::sqlite) {
            const bool fk_off = m.sql.starts_with(kForeignKeysOffMarker);
            if (fk_off) conn.exec_script("PRAGMA foreign_keys = OFF");
            bool applied = false;
            try {
                apply_sqlite(conn, m, record, applied);
            } catch (...) {
                if (fk_off) conn.exec_script("PRAGMA foreign_keys = ON");
                throw;
            }
            if (fk_off) conn.exec_script("PRAGMA foreign_keys = ON");
            if (!applied) return false;
        } else {
            if (schema_version(conn) >= m.version) return false;  // under GET_LOCK
            conn.exec_script(m.sql);
            record();
        }
        return true;
    } catch (const Error& e) {
        throw Error(e.kind(), "migration " + std::to_string(m.version) + "_" + std::string(m.name) +
                                  " failed: " + e.what());
    }
}

}  // namespace

int schema_version(Connection& conn) {
    if (!has_version_table(conn)) return 0;
    auto st = conn.prepare("SELECT MAX(version) FROM schema_version");
    if (!st->step() || st->is_null(0)) return 0;
    return static_cast<int>(st->get_int(0));
}

SchemaStatus schema_status(Connection& conn) {
    SchemaStatus s;
    s.latest = latest_schema_version();
    s.applied = read_applied(conn);
    for (const auto& a : s.applied) s.current = std::max(s.current, a.version);
    for (const auto& m : migrations_for(conn.backend()))
        if (m.version > s.current) s.pending.push_back(m.version);
    return s;
}

std::vector<int> migrate(Connection& conn, int target,
                         const std::function<void(int, std::string_view)>& on_apply) {
    const int latest = latest_schema_version();
    if (target <= 0) target = latest;
    if (target > latest)
        throw Error(ErrorKind::other, "target version " + std::to_string(target) +
                                          " is beyond this binary's latest migration " +
                                          std::to_string(latest));
    MysqlMigrationLock lock(conn);
    create_version_table(conn);
    auto status = schema_status(conn);
    if (status.current > latest)
        throw Error(ErrorKind::schema, "database schema version " + std::to_string(status.current) +
                                           " is newer than this binary's " + std::to_string(latest) +
                                           ": upgrade tradingd instead of migrating");
    for (const auto& a : status.applied)
        if (!a.checksum_matches)
            throw Error(ErrorKind::schema, "migration " + std::to_string(a.version) + "_" + a.name +
                                               " was edited after it was applied (checksum differs); "
                                               "migrations are append-only");
    std::vector<int> done;
    for (const auto& m : migrations_for(conn.backend())) {
        if (m.version <= status.current || m.version > target) continue;
        if (on_apply) on_apply(m.version, m.name);
        if (apply_one(conn, m)) done.push_back(m.version);
    }
    return done;
}

}  // namespace tradingd::store
