// MySQL/MariaDB implementation of the store's SQL interface on libmariadb's server-side prepared statements.
// Private to the store: other code opens connections through store/open.h.
#pragma once

#include <chrono>

#include <mysql.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/open.h"
#include "store/sql.h"

namespace tradingd::store {

struct MysqlCloser {
    void operator()(MYSQL* m) const { mysql_close(m); }
};
struct MysqlStmtCloser {
    // Safe after the owning MYSQL* was closed: mysql_close() detaches its statements first.
    void operator()(MYSQL_STMT* s) const { mysql_stmt_close(s); }
};
struct MysqlResultFreer {
    void operator()(MYSQL_RES* r) const { mysql_free_result(r); }
};
using MysqlHandle = std::unique_ptr<MYSQL, MysqlCloser>;
using MysqlStmtHandle = std::unique_ptr<MYSQL_STMT, MysqlStmtCloser>;
using MysqlResultHandle = std::unique_ptr<MYSQL_RES, MysqlResultFreer>;

ErrorKind classify_mysql_error(unsigned code);

class MysqlConnection;

class MysqlStatement final : public Statement {
  public:
    // Prepares immediately, so that bad SQL fails here as it does on SQLite.
    MysqlStatement(MysqlConnection& conn, std::string_view sql);

    void bind(int index, const Value& value) override;
    bool step() override;
    void reset() override;

    int column_count() const override { return static_cast<int>(columns_.size()); }
    bool is_null(int column) const override;
    std::int64_t get_int(int column) const override;
    double get_double(int column) const override;
    std::string get_text(int column) const override;
    Blob get_blob(int column) const override;
    std::int64_t affected_rows() const override { return affected_rows_; }

  private:
    // One result column, always fetched as text; the buffer grows to the longest value seen and stays.
    struct Column {
        std::vector<char> buffer;
        unsigned long length = 0;
        my_bool is_null = 0;
        my_bool error = 0;
    };
    enum class State { ready, rows, done };

    void prepare();
    void execute_with_retry();
    void execute();
    void bind_params();
    void bind_columns();
    bool fetch_row();
    const Column& current(int column) const;
    std::string_view text(int column) const;
    [[noreturn]] void fail(const char* what) const;
    bool safe_to_repeat() const;

    MysqlConnection& conn_;
    std::string sql_;
    bool read_only_ = false;  // SELECT/SHOW: repeating it after a lost connection changes nothing
    bool sent_ = false;       // the last execution reached mysql_stmt_execute
    mutable unsigned last_errno_ = 0;
    MysqlStmtHandle stmt_;
    std::uint64_t generation_ = 0;  // the connection generation stmt_ was prepared on
    std::vector<Value> params_;     // kept across executions and re-prepares, as SQLite keeps bindings
    std::vector<MYSQL_BIND> param_binds_;
    std::vector<unsigned long> param_lengths_;
    std::vector<Column> columns_;
    std::vector<MYSQL_BIND> column_binds_;
    State state_ = State::ready;
    std::int64_t affected_rows_ = 0;
};

class MysqlConnection final : public Connection {
  public:
    explicit MysqlConnection(MysqlSettings settings);
    ~MysqlConnection() override { drop_cached_statements(); }

    Backend backend() const override { return Backend::mysql; }
    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void exec_script(std::string_view sql) override;
    std::int64_t last_insert_id() override { return last_insert_id_; }

    void begin() override;
    void commit() override;
    void rollback() override;
    bool in_transaction() const override { return in_transaction_; }
    void set_read_only(bool on) override;
    bool read_only() const override { return read_only_; }

    std::vector<std::string> table_names() override;
    std::string schema_fingerprint() override;
    std::string describe() const override;

    // For MysqlStatement: the live handle, how often it was replaced, and the way back after a drop.
    MYSQL* handle() { return mysql_.get(); }
    std::uint64_t generation() const { return generation_; }
    // Before a write outside a transaction: after a long idle, ping first so that a connection the
    // server or a firewall dropped is replaced before the write is sent, not after (see step()).
    void refresh_if_idle();
    void note_used() { last_used_ = std::chrono::steady_clock::now(); }
    void reconnect();
    void note_insert_id(std::uint64_t id);
    // An Error for the given failure, with the server's text and number (never the password).
    Error error(std::string_view what, unsigned code, const char* message) const;

  private:
    using Row = std::vector<std::optional<std::string>>;

    MysqlHandle connect() const;
    void run_fixed(const char* sql, const char* what);
    int run_script_once(std::string_view sql);
    std::vector<Row> query_rows(std::string_view sql);

    MysqlSettings settings_;
    MysqlHandle mysql_;
    std::uint64_t generation_ = 1;
    bool in_transaction_ = false;
    bool read_only_ = false;  // a session setting: reconnect() applies it to the new session
    std::int64_t last_insert_id_ = 0;
    std::chrono::steady_clock::time_point last_used_ = std::chrono::steady_clock::now();
};

}  // namespace tradingd::store
