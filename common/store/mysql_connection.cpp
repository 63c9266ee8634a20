// MySQL/MariaDB backend: session setup, prepared statements that re-prepare themselves after a reconnect,
// error classification, multi-statement migration scripts and the information_schema schema fingerprint.
#include "store/mysql_connection.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <mutex>

namespace tradingd::store {
namespace {

// libmariadb formats a DOUBLE into at most buffer_length characters, so text buffers start roomy.
constexpr std::size_t kMinColumnBuffer = 64;

// A MYSQL_BIND with a null buffer is sent as SQL NULL, so empty strings and blobs point here instead.
char empty_input[1] = {0};

constexpr unsigned kCheckConstraintMysql = 3819;  // ER_CHECK_CONSTRAINT_VIOLATED, MySQL 8
constexpr unsigned kInactivityDisconnect = 4031;  // MariaDB 10.11+: disconnected for inactivity

void init_library_once() {
    // mysql_init() would do this implicitly, but not safely when two threads connect at once.
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

std::string sql_excerpt(std::string_view sql) {
    std::string out;
    for (char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
        if (out.size() >= 160) return out + "...";
    }
    return out;
}

// Retries once on a fresh connection when the old one dropped; inside a transaction the work is lost anyway.
template <typename F>
void retry_after_reconnect(MysqlConnection& conn, F&& work) {
    try {
        work();
        return;
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::connection || conn.in_transaction()) throw;
    }
    conn.reconnect();
    work();
}

}  // namespace

ErrorKind classify_mysql_error(unsigned code) {
    switch (code) {
        case ER_DUP_ENTRY:
        case ER_NO_REFERENCED_ROW:
        case ER_NO_REFERENCED_ROW_2:
        case ER_ROW_IS_REFERENCED:
        case ER_ROW_IS_REFERENCED_2:
        case ER_CONSTRAINT_FAILED:
        case kCheckConstraintMysql:
        case ER_BAD_NULL_ERROR:
        case ER_NO_DEFAULT_FOR_FIELD:
        case ER_DATA_TOO_LONG:
        case WARN_DATA_TRUNCATED:
        case ER_TRUNCATED_WRONG_VALUE:
        case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
        case ER_WARN_DATA_OUT_OF_RANGE:
            return ErrorKind::constraint;
        case ER_LOCK_WAIT_TIMEOUT:
        case ER_LOCK_DEADLOCK:
            return ErrorKind::busy;
        case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
            return ErrorKind::read_only;
        case CR_CONNECTION_ERROR:
        case CR_CONN_HOST_ERROR:
        case CR_SERVER_GONE_ERROR:
        case CR_SERVER_LOST:
        case CR_SERVER_LOST_EXTENDED:
        case ER_CONNECTION_KILLED:
        case ER_SERVER_SHUTDOWN:
        case kInactivityDisconnect:
            return ErrorKind::connection;
        case ER_NO_SUCH_TABLE:
        case ER_BAD_FIELD_ERROR:
        case ER_PARSE_ERROR:
        case ER_BAD_DB_ERROR:
        case ER_TABLE_EXISTS_ERROR:
        case ER_DUP_FIELDNAME:
        case ER_DUP_KEYNAME:
        case ER_CANT_DROP_FIELD_OR_KEY:
            return ErrorKind::schema;
        default:
            return ErrorKind::other;
    }
}

// ---- MysqlStatement ----

MysqlStatement::MysqlStatement(MysqlConnection& conn, std::string_view sql) : conn_(conn), sql_(sql) {
    auto first = sql_.find_first_not_of(" \t\r\n(");
    auto word = first == std::string::npos ? std::string() : sql_.substr(first, 6);
    for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    read_only_ = word.rfind("SELECT", 0) == 0 || word.rfind("SHOW", 0) == 0;
    retry_after_reconnect(conn_, [this] { prepare(); });
}

void MysqlStatement::fail(const char* what) const {
    MYSQL_STMT* s = stmt_.get();
    last_errno_ = mysql_stmt_errno(s);
    throw conn_.error(std::string(what) + " for \"" + sql_excerpt(sql_) + "\"", mysql_stmt_errno(s),
                      mysql_stmt_error(s));
}

void MysqlStatement::prepare() {
    state_ = State::ready;
    stmt_.reset(mysql_stmt_init(conn_.handle()));
    if (!stmt_)
        throw conn_.error("statement init failed", mysql_errno(conn_.handle()), mysql_error(conn_.handle()));
    if (mysql_stmt_prepare(stmt_.get(), sql_.data(), sql_.size()) != 0) fail("prepare failed");
    generation_ = conn_.generation();

    params_.resize(mysql_stmt_param_count(stmt_.get()));
    param_binds_.assign(params_.size(), MYSQL_BIND{});
    param_lengths_.assign(params_.size(), 0);
    const unsigned field_count = mysql_stmt_field_count(stmt_.get());
    if (columns_.size() != field_count) {
        columns_.assign(field_count, Column{});
        for (Column& c : columns_) c.buffer.resize(kMinColumnBuffer);
    }
    column_binds_.assign(field_count, MYSQL_BIND{});
}

void MysqlStatement::bind(int index, const Value& value) {
    if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
        throw Error(ErrorKind::other, "mysql: parameter " + std::to_string(index) + " out of range for \"" +
                                          sql_excerpt(sql_) + "\"");
    }
    if (state_ != State::ready) reset();
    params_[index - 1] = value;
}

void MysqlStatement::bind_params() {
    for (std::size_t i = 0; i < params_.size(); ++i) {
        MYSQL_BIND& b = param_binds_[i];
        b = MYSQL_BIND{};
        Value& v = params_[i];
        if (auto* n = std::get_if<std::int64_t>(&v)) {
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = n;
        } else if (auto* d = std::get_if<double>(&v)) {
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = d;
        } else if (auto* s = std::get_if<std::string>(&v)) {
            b.buffer_type = MYSQL_TYPE_STRING;
            b.buffer = s->empty() ? empty_input : s->data();
            param_lengths_[i] = s->size();
        } else if (auto* blob = std::get_if<Blob>(&v)) {
            b.buffer_type = MYSQL_TYPE_BLOB;
            b.buffer = blob->bytes.empty() ? static_cast<void*>(empty_input) : blob->bytes.data();
            param_lengths_[i] = blob->bytes.size();
        } else {
            b.buffer_type = MYSQL_TYPE_NULL;
        }
        b.buffer_length = param_lengths_[i];
        b.length = &param_lengths_[i];
    }
    // Re-bound every run: a rebound std::string may have moved its bytes.
    if (!params_.empty() && mysql_stmt_bind_param(stmt_.get(), param_binds_.data())) fail("bind failed");
}

void MysqlStatement::bind_columns() {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        Column& c = columns_[i];
        MYSQL_BIND& b = column_binds_[i];
        b = MYSQL_BIND{};
        // Every type arrives as text: integers, DECIMAL digits and DATETIME 'YYYY-MM-DD HH:MM:SS' alike.
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = c.buffer.data();
        b.buffer_length = c.buffer.size();
        b.length = &c.length;
        b.is_null = &c.is_null;
        b.error = &c.error;
    }
    if (mysql_stmt_bind_result(stmt_.get(), column_binds_.data())) fail("binding result columns failed");
}

void MysqlStatement::execute() {
    if (!stmt_ || generation_ != conn_.generation()) prepare();
    bind_params();
    sent_ = true;
    if (mysql_stmt_execute(stmt_.get()) != 0) fail("execute failed");
    conn_.note_used();
    if (columns_.empty()) {
        affected_rows_ = static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt_.get()));
        conn_.note_insert_id(mysql_stmt_insert_id(stmt_.get()));
        state_ = State::done;
        return;
    }
    if (mysql_stmt_store_result(stmt_.get()) != 0) fail("reading the result failed");
    affected_rows_ = static_cast<std::int64_t>(mysql_stmt_num_rows(stmt_.get()));
    state_ = State::rows;
    bind_columns();
}

bool MysqlStatement::fetch_row() {
    const int rc = mysql_stmt_fetch(stmt_.get());
    if (rc == MYSQL_NO_DATA) {
        state_ = State::done;
        return false;
    }
    if (rc == 1) fail("fetch failed");
    if (rc == MYSQL_DATA_TRUNCATED) {
        for (unsigned i = 0; i < columns_.size(); ++i) {
            Column& c = columns_[i];
            if (c.is_null || c.length <= c.buffer.size()) continue;
            c.buffer.resize(std::max<std::size_t>(c.length + 1, 2 * c.buffer.size()));
            MYSQL_BIND& b = column_binds_[i];
            b.buffer = c.buffer.data();
            b.buffer_length = c.buffer.size();
            if (mysql_stmt_fetch_column(stmt_.get(), &b, i, 0) != 0) fail("fetching a long column failed");
        }
        // The grown buffers serve the following rows and executions too.
        if (mysql_stmt_bind_result(stmt_.get(), column_binds_.data())) fail("binding result columns failed");
    }
    return true;
}

// A write whose connection died after it was sent may have run on the server: repeating it could
// write twice, so only reads, and writes the server provably never ran, are repeated.
bool MysqlStatement::safe_to_repeat() const {
    if (read_only_ || !sent_) return true;
    switch (last_errno_) {
        case 2006:  // CR_SERVER_GONE_ERROR: the request could not be sent
        case 1927:  // ER_CONNECTION_KILLED: the server refused it
        case 1053:  // ER_SERVER_SHUTDOWN
        case 4031:  // MariaDB: disconnected for inactivity before this request
            return true;
        default:
            return false;
    }
}

bool MysqlStatement::step() {
    if (state_ == State::ready) {
        if (!read_only_ && !conn_.in_transaction()) conn_.refresh_if_idle();
        sent_ = false;
        try {
            execute();
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::connection || conn_.in_transaction() || !safe_to_repeat()) throw;
            conn_.reconnect();
            execute();
        }
    }
    if (state_ == State::done) return false;
    return fetch_row();
}

void MysqlStatement::reset() {
    // A statement from before a reconnect is detached from any connection; it is re-prepared on the next run.
    if (stmt_ && state_ != State::ready && generation_ == conn_.generation())
        mysql_stmt_free_result(stmt_.get());
    state_ = State::ready;
}

const MysqlStatement::Column& MysqlStatement::current(int column) const {
    if (state_ != State::rows)
        throw Error(ErrorKind::other, "mysql: no current row for \"" + sql_excerpt(sql_) + "\"");
    if (column < 0 || static_cast<std::size_t>(column) >= columns_.size()) {
        throw Error(ErrorKind::other, "mysql: column " + std::to_string(column) + " out of range for \"" +
                                          sql_excerpt(sql_) + "\"");
    }
    return columns_[column];
}

std::string_view MysqlStatement::text(int column) const {
    const Column& c = current(column);
    if (c.is_null) return {};
    return {c.buffer.data(), std::min<std::size_t>(c.length, c.buffer.size())};
}

bool MysqlStatement::is_null(int column) const {
    return current(column).is_null;
}

std::int64_t MysqlStatement::get_int(int column) const {
    const std::string_view t = text(column);
    if (t.empty()) return 0;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec == std::errc{} && end == t.data() + t.size()) return value;
    return static_cast<std::int64_t>(
        get_double(column));  // a DECIMAL or DOUBLE column, truncated like SQLite
}

double MysqlStatement::get_double(int column) const {
    const std::string_view t = text(column);
    if (t.empty()) return 0.0;
    double value = 0.0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc{} || end != t.data() + t.size()) {
        throw Error(ErrorKind::other, "mysql: column " + std::to_string(column) + " is not a number: '" +
                                          std::string(t.substr(0, 40)) + "'");
    }
    return value;
}

std::string MysqlStatement::get_text(int column) const {
    return std::string(text(column));
}

Blob MysqlStatement::get_blob(int column) const {
    const std::string_view t = text(column);
    return Blob{std::vector<std::uint8_t>(t.begin(), t.end())};
}

// ---- MysqlConnection ----

MysqlConnection::MysqlConnection(MysqlSettings settings)
    : settings_(std::move(settings)), mysql_(connect()) {}

Error MysqlConnection::error(std::string_view what, unsigned code, const char* message) const {
    std::string server_text = message && *message ? message : "unknown error";
    // Servers do not echo passwords, but an error message is no place to find out that one did.
    const std::string& secret = settings_.password;
    for (std::size_t at; !secret.empty() && (at = server_text.find(secret)) != std::string::npos;) {
        server_text.replace(at, secret.size(), "***");
    }
    return Error(classify_mysql_error(code), "mysql: " + std::string(what) + ": " + server_text + " (error " +
                                                 std::to_string(code) + ")");
}

MysqlHandle MysqlConnection::connect() const {
    init_library_once();
    MysqlHandle h(mysql_init(nullptr));
    if (!h) throw Error(ErrorKind::other, "mysql: out of memory creating a connection");
    const unsigned connect_timeout = static_cast<unsigned>(settings_.connect_timeout_s);
    const unsigned io_timeout = static_cast<unsigned>(settings_.read_timeout_s);
    const unsigned no_local_infile = 0;
    mysql_options(h.get(), MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    mysql_options(h.get(), MYSQL_OPT_READ_TIMEOUT, &io_timeout);
    mysql_options(h.get(), MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
    mysql_options(h.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(h.get(), MYSQL_OPT_LOCAL_INFILE, &no_local_infile);

    const bool unix_socket = !settings_.host.empty() && settings_.host.front() == '/';
    const char* host = unix_socket ? "localhost" : settings_.host.empty() ? nullptr : settings_.host.c_str();
    const char* db = settings_.database.empty() ? nullptr : settings_.database.c_str();
    // FOUND_ROWS: an UPDATE reports the rows it matched, as SQLite does, so 0 really means "no such row".
    // MULTI_STATEMENTS: exec_script hands whole migration files (triggers included) to the server's parser.
    const unsigned long flags = CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS;
    if (!mysql_real_connect(h.get(), host, settings_.user.c_str(), settings_.password.c_str(), db,
                            settings_.port, unix_socket ? settings_.host.c_str() : nullptr, flags)) {
        throw error("connecting to " + describe() + " failed", mysql_errno(h.get()), mysql_error(h.get()));
    }
    for (const char* setup : {"SET time_zone = '+00:00'",
                              "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
                              "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
                              "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci"}) {
        if (mysql_query(h.get(), setup) != 0) {
            throw error(std::string("session setup \"") + setup + "\" failed", mysql_errno(h.get()),
                        mysql_error(h.get()));
        }
    }
    return h;
}

void MysqlConnection::reconnect() {
    MysqlHandle fresh = connect();  // if this throws, the dead handle stays and the next call tries again
    // A new session starts read-write: a read-only connection must not become writable by a reconnect.
    if (read_only_ && mysql_query(fresh.get(), "SET SESSION TRANSACTION READ ONLY") != 0)
        throw error("session setup \"SET SESSION TRANSACTION READ ONLY\" failed", mysql_errno(fresh.get()),
                    mysql_error(fresh.get()));
    mysql_ = std::move(fresh);  // closing the old handle detaches its statements; they re-prepare lazily
    ++generation_;
    in_transaction_ = false;
}

void MysqlConnection::refresh_if_idle() {
    if (std::chrono::steady_clock::now() - last_used_ < std::chrono::seconds(5)) return;
    if (mysql_ping(mysql_.get()) != 0 &&
        classify_mysql_error(mysql_errno(mysql_.get())) == ErrorKind::connection)
        reconnect();
    note_used();
}

void MysqlConnection::note_insert_id(std::uint64_t id) {
    if (id != 0) last_insert_id_ = static_cast<std::int64_t>(id);
}

std::unique_ptr<Statement> MysqlConnection::prepare(std::string_view sql) {
    return std::make_unique<MysqlStatement>(*this, sql);
}

void MysqlConnection::run_fixed(const char* sql, const char* what) {
    if (mysql_query(mysql_.get(), sql) != 0)
        throw error(what, mysql_errno(mysql_.get()), mysql_error(mysql_.get()));
}

void MysqlConnection::begin() {
    // START TRANSACTION inside a transaction would silently commit the open one.
    if (in_transaction_) throw Error(ErrorKind::other, "mysql: begin() inside a transaction");
    retry_after_reconnect(*this, [this] { run_fixed("START TRANSACTION", "begin failed"); });
    in_transaction_ = true;
}

void MysqlConnection::set_read_only(bool on) {
    if (in_transaction_) throw Error(ErrorKind::other, "mysql: set_read_only() inside a transaction");
    // Covers autocommit statements too: each is a transaction of its own, refused with error 1792.
    const char* sql = on ? "SET SESSION TRANSACTION READ ONLY" : "SET SESSION TRANSACTION READ WRITE";
    retry_after_reconnect(*this, [&] { run_fixed(sql, "switching the session's access mode failed"); });
    read_only_ = on;
}

void MysqlConnection::commit() {
    if (!in_transaction_) throw Error(ErrorKind::other, "mysql: commit() without a transaction");
    in_transaction_ = false;  // over whether COMMIT succeeds, fails, or the connection is gone
    run_fixed("COMMIT", "commit failed");
}

void MysqlConnection::rollback() {
    if (!in_transaction_) return;
    in_transaction_ = false;
    try {
        run_fixed("ROLLBACK", "rollback failed");
    } catch (const Error& e) {
        // The server rolls back a transaction whose connection dropped, so the rollback has happened.
        if (e.kind() != ErrorKind::connection) throw;
    }
}

// Runs a script; on failure returns the 1-based number of the failing statement (0 when all succeeded).
int MysqlConnection::run_script_once(std::string_view sql) {
    MYSQL* m = mysql_.get();
    int statement = 1;
    if (mysql_real_query(m, sql.data(), sql.size()) != 0) {
        return mysql_errno(m) == ER_EMPTY_QUERY ? 0 : statement;  // a script of only comments is fine
    }
    for (;;) {
        // Every result must be consumed before the next statement's outcome can be read.
        MysqlResultHandle result(mysql_store_result(m));
        if (!result && mysql_field_count(m) != 0) return statement;
        note_insert_id(mysql_insert_id(m));
        const int next = mysql_next_result(m);
        if (next == -1) return 0;
        ++statement;
        if (next > 0) return statement;
    }
}

void MysqlConnection::exec_script(std::string_view sql) {
    int failed = run_script_once(sql);
    // Only a failure the server provably never ran is safe to repeat on a new connection.
    const unsigned code = mysql_errno(mysql_.get());
    if (failed == 1 && !in_transaction_ && (code == 2006 || code == 1927 || code == 1053 || code == 4031)) {
        reconnect();
        failed = run_script_once(sql);
    }
    if (failed != 0) {
        throw error("script statement " + std::to_string(failed) + " failed", mysql_errno(mysql_.get()),
                    mysql_error(mysql_.get()));
    }
}

std::vector<MysqlConnection::Row> MysqlConnection::query_rows(std::string_view sql) {
    MysqlStatement st(*this, sql);
    std::vector<Row> rows;
    while (st.step()) {
        Row& row = rows.emplace_back();
        for (int c = 0; c < st.column_count(); ++c) {
            row.push_back(st.is_null(c) ? std::nullopt : std::optional<std::string>(st.get_text(c)));
        }
    }
    return rows;
}

std::vector<std::string> MysqlConnection::table_names() {
    std::vector<std::string> names;
    for (const Row& row : query_rows("SELECT table_name FROM information_schema.tables"
                                     " WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")) {
        names.push_back(row[0].value_or(""));
    }
    std::sort(names.begin(), names.end());  // byte order, independent of the server's collation
    return names;
}

namespace {

// One part of the fingerprint: column 0 is the table, column 1 the object's name, the rest labelled values.
struct FingerprintSection {
    const char* kind;
    std::vector<const char*> labels;
    const char* sql;
};

const FingerprintSection kTables{"table",
                                 {"type", "engine", "collation"},
                                 "SELECT table_name, table_name, table_type, engine, table_collation"
                                 " FROM information_schema.tables WHERE table_schema = DATABASE()"};
const FingerprintSection kColumns{
    "column",
    {"type", "nullable", "default", "extra", "collation"},
    "SELECT table_name, column_name, column_type, is_nullable, column_default, extra,"
    " collation_name FROM information_schema.columns WHERE table_schema = DATABASE()"
    " ORDER BY table_name, ordinal_position"};
const FingerprintSection kIndexes{
    "index",
    {"seq", "column", "sub_part", "non_unique", "type"},
    "SELECT table_name, index_name, seq_in_index, column_name, sub_part, non_unique,"
    " index_type FROM information_schema.statistics WHERE table_schema = DATABASE()"
    " ORDER BY table_name, index_name, seq_in_index"};
const FingerprintSection kForeignKeys{
    "foreign_key",
    {"position", "column", "references_table", "references_column", "on_update", "on_delete"},
    "SELECT k.table_name, k.constraint_name, k.ordinal_position, k.column_name, k.referenced_table_name,"
    " k.referenced_column_name, r.update_rule, r.delete_rule FROM information_schema.key_column_usage k"
    " JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema"
    " AND r.table_name = k.table_name AND r.constraint_name = k.constraint_name"
    " WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL"
    " ORDER BY k.table_name, k.constraint_name, k.ordinal_position"};
// MariaDB names CHECK constraints per table, so only its check_constraints.table_name tells them apart.
const FingerprintSection kChecksMariadb{
    "check",
    {"clause"},
    "SELECT table_name, constraint_name, check_clause"
    " FROM information_schema.check_constraints"
    " WHERE constraint_schema = DATABASE() ORDER BY table_name, constraint_name"};
const FingerprintSection kChecksMysql{
    "check",
    {"clause"},
    "SELECT tc.table_name, tc.constraint_name, cc.check_clause FROM information_schema.table_constraints tc"
    " JOIN information_schema.check_constraints cc ON cc.constraint_schema = tc.constraint_schema"
    " AND cc.constraint_name = tc.constraint_name WHERE tc.table_schema = DATABASE()"
    " AND tc.constraint_type = 'CHECK' ORDER BY tc.table_name, tc.constraint_name"};
const FingerprintSection kTriggers{
    "trigger",
    {"timing", "event", "order", "statement"},
    "SELECT event_object_table, trigger_name, action_timing, event_manipulation,"
    " action_order, action_statement FROM information_schema.triggers"
    " WHERE trigger_schema = DATABASE() ORDER BY event_object_table, trigger_name"};

}  // namespace

std::string MysqlConnection::schema_fingerprint() {
    std::map<std::string, std::string> tables;  // sorted by name; each table's lines in the queries' order
    auto add = [&](const FingerprintSection& section) {
        for (const Row& row : query_rows(section.sql)) {
            std::string& out = tables[row[0].value_or("")];
            out += std::string(out.empty() ? "" : "  ") + section.kind + " " + row[1].value_or("");
            for (std::size_t i = 2; i < row.size(); ++i) {
                out += std::string(" ") + section.labels[i - 2] + "=" + row[i].value_or("<none>");
            }
            out += "\n";
        }
    };
    add(kTables);
    add(kColumns);
    add(kIndexes);
    add(kForeignKeys);
    try {
        add(kChecksMariadb);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::schema) throw;
        add(kChecksMysql);  // MySQL 8: no table_name there, but constraint names are unique per schema
    }
    add(kTriggers);
    std::string fingerprint;
    for (const auto& [name, text] : tables) fingerprint += text;
    return fingerprint;
}

std::string MysqlConnection::describe() const {
    std::string where = settings_.host.starts_with('/')
                            ? "unix(" + settings_.host + ")"
                            : settings_.host + ":" + std::to_string(settings_.port);
    return "mysql://" + settings_.user + "@" + where + "/" + settings_.database;
}

std::unique_ptr<Connection> open_mysql(const MysqlSettings& settings) {
    return std::make_unique<MysqlConnection>(settings);
}

}  // namespace tradingd::store
