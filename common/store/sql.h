// The thin SQL interface every backend implements: prepare / bind / step / column, and transactions.
// SQL uses '?' placeholders (understood by both SQLite and MySQL); values are always bound, never spliced.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tradingd::store {

enum class Backend { sqlite, mysql };
std::string_view backend_name(Backend b);

// Raw bytes, kept apart from text so that encrypted blobs never pass through a text column.
struct Blob {
    std::vector<std::uint8_t> bytes;
    bool operator==(const Blob&) const = default;
};

// A bound parameter. Decimal money values travel as text and are stored as TEXT (SQLite) or DECIMAL (MySQL).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

// Why a statement failed; callers branch on the kind, humans read the message.
enum class ErrorKind {
    constraint,  // unique / foreign key / check violated
    busy,        // lock wait timed out (SQLite busy, MySQL lock wait)
    connection,  // the server is unreachable or the connection dropped
    schema,      // missing table, bad SQL
    read_only,   // a write on a connection switched to read-only (set_read_only), e.g. in maintenance mode
    other,
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const { return kind_; }

  private:
    ErrorKind kind_;
};

class Statement {
  public:
    virtual ~Statement() = default;

    // Parameters are numbered from 1, as in SQLite. Binding after step() starts a new execution.
    virtual void bind(int index, const Value& value) = 0;
    // Executes on the first call; each call moves to the next row. Returns false when no row is left.
    virtual bool step() = 0;
    // Clears the result so the statement can be bound and run again.
    virtual void reset() = 0;

    virtual int column_count() const = 0;
    virtual bool is_null(int column) const = 0;  // columns are numbered from 0
    virtual std::int64_t get_int(int column) const = 0;
    virtual double get_double(int column) const = 0;
    virtual std::string get_text(int column) const = 0;
    virtual Blob get_blob(int column) const = 0;
    // Rows changed by the last INSERT/UPDATE/DELETE.
    virtual std::int64_t affected_rows() const = 0;

    // Convenience: bind all in order, starting at 1.
    template <typename... Args>
    Statement& bind_all(Args&&... args) {
        int i = 1;
        (bind(i++, Value(std::forward<Args>(args))), ...);
        return *this;
    }
    std::optional<std::string> get_opt_text(int column) const {
        if (is_null(column)) return std::nullopt;
        return get_text(column);
    }
    std::optional<std::int64_t> get_opt_int(int column) const {
        if (is_null(column)) return std::nullopt;
        return get_int(column);
    }
};

class Connection {
  public:
    virtual ~Connection() = default;

    virtual Backend backend() const = 0;
    virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
    // Runs a script of one or more statements without parameters (migrations only).
    virtual void exec_script(std::string_view sql) = 0;
    virtual std::int64_t last_insert_id() = 0;

    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual bool in_transaction() const = 0;

    // Refuses every write on this connection from now on (ErrorKind::read_only) while reads and read
    // transactions keep working; the daemon's maintenance mode uses it so that no write can slip into a
    // database being copied. SQLite: PRAGMA query_only; MySQL: SET SESSION TRANSACTION READ ONLY, applied
    // again after a reconnect. Not inside a transaction.
    virtual void set_read_only(bool on) = 0;
    virtual bool read_only() const = 0;

    // Names of the user tables, sorted.
    virtual std::vector<std::string> table_names() = 0;
    // A canonical, backend-specific description of the schema, for comparing two databases.
    virtual std::string schema_fingerprint() = 0;
    // A short description for logs and `status` (never includes a password).
    virtual std::string describe() const = 0;

    // A prepared statement kept for reuse, keyed by its SQL text: the hot path of the repositories. The
    // lease resets it when it goes out of scope, so no statement keeps a read transaction open between calls
    // (in WAL mode a stale read snapshot would make this connection's next write fail with "locked").
    // Finish with one lease before asking for the same SQL again.
    class Lease {
      public:
        explicit Lease(Statement& s) : s_(s) {}
        ~Lease() {
            try {
                s_.reset();
            } catch (...) {
            }
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Statement* operator->() const { return &s_; }
        Statement& operator*() const { return s_; }

      private:
        Statement& s_;
    };
    Lease cached(std::string_view sql);

  protected:
    // Every backend calls this first in its destructor: cached statements must die before the handle.
    void drop_cached_statements() { cache_.clear(); }

  private:
    std::vector<std::pair<std::string, std::unique_ptr<Statement>>> cache_;
};

// Begins on construction, rolls back on destruction unless commit() was called.
class Transaction {
  public:
    explicit Transaction(Connection& c) : conn_(c) { conn_.begin(); }
    ~Transaction() {
        if (!done_) {
            try {
                conn_.rollback();
            } catch (...) {
            }
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        conn_.commit();
        done_ = true;
    }

  private:
    Connection& conn_;
    bool done_ = false;
};

}  // namespace tradingd::store
