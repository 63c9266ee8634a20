// SQLite backend of the store: WAL journal, a busy timeout, foreign keys enforced on every connection.
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <sstream>

#include "store/open.h"

namespace tradingd::store {
namespace {

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

ErrorKind kind_of(int rc) {
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT: return ErrorKind::constraint;
        case SQLITE_READONLY: return ErrorKind::read_only;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return ErrorKind::busy;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT: return ErrorKind::connection;
        default: return ErrorKind::other;
    }
}

Error make_error(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    ErrorKind kind = kind_of(rc);
    if (kind == ErrorKind::other && msg.find("no such") != std::string::npos) kind = ErrorKind::schema;
    if (kind == ErrorKind::other && msg.find("syntax error") != std::string::npos) kind = ErrorKind::schema;
    return Error(kind, msg);
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) { throw make_error(db, rc, what); }

class SqliteStatement final : public Statement {
public:
    SqliteStatement(sqlite3* db, StmtHandle stmt) : db_(db), stmt_(std::move(stmt)) {}

    void bind(int index, const Value& value) override {
        if (stepped_) reset();
        int rc = std::visit(
            [&](const auto& v) -> int {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    return sqlite3_bind_null(stmt_.get(), index);
                } else if constexpr (std::is_same_v<T, std::int64_t>) {
                    return sqlite3_bind_int64(stmt_.get(), index, v);
                } else if constexpr (std::is_same_v<T, double>) {
                    return sqlite3_bind_double(stmt_.get(), index, v);
                } else if constexpr (std::is_same_v<T, std::string>) {
                    return sqlite3_bind_text64(stmt_.get(), index, v.data(), v.size(), SQLITE_TRANSIENT,
                                               SQLITE_UTF8);
                } else {
                    return sqlite3_bind_blob64(stmt_.get(), index, v.bytes.data(), v.bytes.size(),
                                               SQLITE_TRANSIENT);
                }
            },
            value);
        if (rc != SQLITE_OK) fail(db_, rc, "bind parameter " + std::to_string(index));
    }

    bool step() override {
        stepped_ = true;
        int rc = sqlite3_step(stmt_.get());
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) {
            changes_ = sqlite3_changes64(db_);
            return false;
        }
        Error err = make_error(db_, rc, "statement failed");  // before reset() clears the message
        sqlite3_reset(stmt_.get());
        stepped_ = false;
        throw err;
    }

    void reset() override {
        sqlite3_reset(stmt_.get());
        sqlite3_clear_bindings(stmt_.get());
        stepped_ = false;
    }

    int column_count() const override { return sqlite3_column_count(stmt_.get()); }
    bool is_null(int column) const override {
        return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
    }
    std::int64_t get_int(int column) const override { return sqlite3_column_int64(stmt_.get(), column); }
    double get_double(int column) const override { return sqlite3_column_double(stmt_.get(), column); }
    std::string get_text(int column) const override {
        const auto* p = sqlite3_column_text(stmt_.get(), column);
        int n = sqlite3_column_bytes(stmt_.get(), column);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    Blob get_blob(int column) const override {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
        int n = sqlite3_column_bytes(stmt_.get(), column);
        Blob b;
        if (p) b.bytes.assign(p, p + n);
        return b;
    }
    std::int64_t affected_rows() const override { return changes_; }

private:
    sqlite3* db_;
    StmtHandle stmt_;
    bool stepped_ = false;
    std::int64_t changes_ = 0;
};

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const SqliteSettings& s) : path_(s.path), read_only_(s.read_only) {
        sqlite3* raw = nullptr;
        const int flags = SQLITE_OPEN_NOMUTEX | (s.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                          (s.create_if_missing && !s.read_only ? SQLITE_OPEN_CREATE : 0);
        int rc = sqlite3_open_v2(s.path.c_str(), &raw, flags, nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK)
            fail(raw, rc,
                 "cannot open SQLite database '" + s.path + "'" +
                     (s.create_if_missing ? "" : " (`tradingctl db migrate` creates it)"));
        sqlite3_extended_result_codes(db_.get(), 1);
        sqlite3_busy_timeout(db_.get(), s.busy_timeout_ms);
        // A read-only connection leaves the journal mode as the file has it: changing it would write.
        exec_script(s.read_only ? "PRAGMA foreign_keys = ON;"
                                : "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
        // journal_mode can silently stay 'delete' (e.g. :memory:); foreign_keys must not.
        auto check = prepare("PRAGMA foreign_keys");
        if (!check->step() || check->get_int(0) != 1)
            throw Error(ErrorKind::other, "SQLite refused to enable foreign keys");
    }

    ~SqliteConnection() override { drop_cached_statements(); }

    Backend backend() const override { return Backend::sqlite; }

    std::unique_ptr<Statement> prepare(std::string_view sql) override {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        StmtHandle stmt(raw);
        if (rc != SQLITE_OK) fail(db_.get(), rc, "prepare failed");
        return std::make_unique<SqliteStatement>(db_.get(), std::move(stmt));
    }

    void exec_script(std::string_view sql) override {
        std::string text(sql);
        char* err = nullptr;
        int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            ErrorKind kind = kind_of(rc);
            if (kind == ErrorKind::other) kind = ErrorKind::schema;
            throw Error(kind, "script failed: " + msg);
        }
    }

    std::int64_t last_insert_id() override { return sqlite3_last_insert_rowid(db_.get()); }

    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade. A
    // read-only connection may take no write lock: its transactions are deferred and only read.
    void begin() override {
        exec_script(read_only_ ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
        in_tx_ = true;
    }
    void commit() override {
        exec_script("COMMIT");
        in_tx_ = false;
    }
    void rollback() override {
        in_tx_ = false;
        if (!sqlite3_get_autocommit(db_.get())) exec_script("ROLLBACK");
    }
    bool in_transaction() const override { return in_tx_; }

    void set_read_only(bool on) override {
        if (in_tx_) throw Error(ErrorKind::other, "sqlite: set_read_only() inside a transaction");
        exec_script(on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
        read_only_ = on;
    }
    bool read_only() const override { return read_only_; }

    std::vector<std::string> table_names() override {
        std::vector<std::string> names;
        auto st = prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name");
        while (st->step()) names.push_back(st->get_text(0));
        return names;
    }

    std::string schema_fingerprint() override {
        std::ostringstream out;
        for (const auto& table : table_names()) {
            out << "table " << table << "\n";
            auto cols = prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)");
            cols->bind_all(table);
            while (cols->step())
                out << "  column " << cols->get_text(0) << " " << cols->get_text(1) << " notnull="
                    << cols->get_int(2) << " default=" << cols->get_opt_text(3).value_or("NULL")
                    << " pk=" << cols->get_int(4) << "\n";
            auto idx = prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name");
            idx->bind_all(table);
            while (idx->step())
                out << "  index " << idx->get_text(0) << " " << idx->get_opt_text(1).value_or("(auto)") << "\n";
            auto fks = prepare(
                "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY \"from\"");
            fks->bind_all(table);
            while (fks->step())
                out << "  fk " << fks->get_text(0) << " -> " << fks->get_text(1) << "(" << fks->get_text(2)
                    << ") on delete " << fks->get_text(3) << "\n";
            auto sql = prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
            sql->bind_all(table);
            if (sql->step()) out << "  sql " << sql->get_text(0) << "\n";
        }
        return out.str();
    }

    std::string describe() const override { return "sqlite:" + path_; }

private:
    std::string path_;
    bool read_only_;  // opened read-only, or switched by set_read_only
    DbHandle db_;
    bool in_tx_ = false;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const SqliteSettings& settings) {
    return std::make_unique<SqliteConnection>(settings);
}

std::unique_ptr<Connection> open_connection(const DbSettings& settings) {
    if (settings.backend == Backend::mysql) return open_mysql(settings.mysql);
    return open_sqlite(settings.sqlite);
}

std::string_view backend_name(Backend b) { return b == Backend::mysql ? "mysql" : "sqlite"; }

}  // namespace tradingd::store
