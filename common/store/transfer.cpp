// Target preparation, batched loading and auto-increment counters for copy and restore.
#include "store/transfer.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "store/migrator.h"

namespace tradingd::store {

bool TransferReport::ok() const {
    return std::all_of(tables.begin(), tables.end(), [](const TableCheck& t) { return t.ok(); });
}

ReadSnapshot::ReadSnapshot(Connection& conn) : conn_(conn) {
    if (conn_.backend() == Backend::sqlite) {
        conn_.exec_script("BEGIN DEFERRED");  // begin() would be BEGIN IMMEDIATE: a write lock
    } else {
        conn_.exec_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");  // the next transaction only
        conn_.begin();
    }
    try {
        // The first read fixes the snapshot for every later read in this transaction.
        conn_
            .prepare(conn_.backend() == Backend::sqlite ? "SELECT COUNT(*) FROM sqlite_master"
                                                        : "SELECT COUNT(*) FROM information_schema.schemata")
            ->step();
    } catch (...) {
        conn_.rollback();
        throw;
    }
}

ReadSnapshot::~ReadSnapshot() {
    try {
        conn_.rollback();  // SQLite ends the deferred transaction too: it checks the connection's state
    } catch (...) {
    }
}

std::optional<std::string> first_table_with_rows(Connection& conn) {
    for (const TableLayout& layout : live_data_layouts(conn)) {
        auto st = conn.prepare("SELECT 1 FROM " + quote_identifier(layout.table->name) + " LIMIT 1");
        if (st->step()) return std::string(layout.table->name);
    }
    return std::nullopt;
}

void empty_data_tables(Connection& conn) {
    std::vector<TableLayout> layouts = live_data_layouts(conn);
    Transaction tx(conn);
    for (auto it = layouts.rbegin(); it != layouts.rend(); ++it)
        conn.prepare("DELETE FROM " + quote_identifier(it->table->name))->step();
    tx.commit();
}

namespace {

constexpr const char* kLoadTable = "load_in_progress";

bool has_load_table(Connection& conn) {
    const auto tables = conn.table_names();
    return std::find(tables.begin(), tables.end(), kLoadTable) != tables.end();
}

void mark_load(Connection& target, std::string_view what) {
    target.exec_script(target.backend() == Backend::mysql
                           ? "CREATE TABLE IF NOT EXISTS load_in_progress (what VARCHAR(1000) NOT NULL,"
                             " started_at VARCHAR(40) NOT NULL) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
                           : "CREATE TABLE IF NOT EXISTS load_in_progress (what TEXT NOT NULL,"
                             " started_at TEXT NOT NULL)");
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char started[40];
    std::strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    Transaction tx(target);
    target.prepare("DELETE FROM load_in_progress")->step();
    auto st = target.prepare("INSERT INTO load_in_progress (what, started_at) VALUES (?, ?)");
    st->bind_all(std::string(what.substr(0, 1000)), std::string(started));
    st->step();
    tx.commit();
}

}  // namespace

std::optional<std::string> unfinished_load(Connection& conn) {
    if (!has_load_table(conn)) return std::nullopt;
    auto st = conn.prepare("SELECT what, started_at FROM load_in_progress");
    if (!st->step()) return std::nullopt;
    return st->get_text(0) + ", started " + st->get_text(1);
}

void finish_load(Connection& target, const TransferReport& verified) {
    if (!verified.ok()) return;  // the mark stays: this data must not be served
    target.exec_script("DROP TABLE IF EXISTS load_in_progress");
}

void prepare_target(Connection& target, int schema_version, bool replace, std::string_view what) {
    const int current = store::schema_version(target);
    if (current > schema_version)
        throw Error(ErrorKind::schema, "the target " + target.describe() + " is at schema version " +
                                           std::to_string(current) + ", newer than the data's " +
                                           std::to_string(schema_version) +
                                           ": use a new, empty database (a schema cannot be downgraded)");
    const bool partial = unfinished_load(target).has_value();
    const auto table = first_table_with_rows(target);
    if (table && !replace && !partial)
        throw Error(ErrorKind::constraint, "the target " + target.describe() + " is not empty (table " +
                                               *table + " has rows): pass --replace to empty it first");
    mark_load(target, what);
    if (table) empty_data_tables(target);
    migrate(target, schema_version);
}

TableLoader::TableLoader(Connection& target, const TableLayout& layout, int batch)
    : conn_(target), layout_(layout), insert_(target.prepare(layout.insert_sql())), batch_(batch) {}

TableLoader::~TableLoader() = default;  // tx_ rolls back an unfinished batch

void TableLoader::add(const Row& row) {
    if (!tx_) tx_.emplace(conn_);
    try {
        for (std::size_t i = 0; i < layout_.columns.size(); ++i)
            insert_->bind(static_cast<int>(i + 1), cell_value(row.at(i), layout_.columns[i]->kind));
        insert_->step();
        insert_->reset();
    } catch (const Error& e) {
        throw Error(e.kind(), "writing " + std::string(layout_.table->name) + " row " +
                                  std::string(layout_.table->primary_key()) + "=" +
                                  row.at(0).value_or("NULL") + ": " + e.what());
    }
    ++rows_;
    if (++in_batch_ >= batch_) commit();
}

void TableLoader::finish() {
    commit();
}

void TableLoader::commit() {
    if (tx_) tx_->commit();
    tx_.reset();
    in_batch_ = 0;
}

std::int64_t next_auto_increment(Connection& conn, const TableSpec& table) {
    auto max = conn.prepare("SELECT MAX(" + quote_identifier(table.primary_key()) + ") FROM " +
                            quote_identifier(table.name));
    std::int64_t next = max->step() && !max->is_null(0) ? max->get_int(0) + 1 : 1;
    auto counter =
        conn.prepare(conn.backend() == Backend::mysql ? "SELECT AUTO_INCREMENT FROM information_schema.tables"
                                                        " WHERE table_schema = DATABASE() AND table_name = ?"
                                                      : "SELECT seq + 1 FROM sqlite_sequence WHERE name = ?");
    counter->bind_all(std::string(table.name));
    if (counter->step() && !counter->is_null(0)) next = std::max(next, counter->get_int(0));
    return next;
}

void continue_auto_increment(Connection& conn, const TableSpec& table, std::int64_t next_id) {
    if (!table.auto_increment) return;
    if (conn.backend() == Backend::mysql) {
        // DDL takes no parameters: the name is the catalog's and the number is an integer computed here.
        conn.exec_script("ALTER TABLE " + quote_identifier(table.name) +
                         " AUTO_INCREMENT = " + std::to_string(next_id));
        return;
    }
    Transaction tx(conn);
    auto update = conn.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = ?");
    update->bind_all(next_id - 1, std::string(table.name));
    update->step();
    if (update->affected_rows() == 0 && next_id > 1) {  // SQLite adds the row itself at the first insert
        auto insert = conn.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
        insert->bind_all(std::string(table.name), next_id - 1);
        insert->step();
    }
    tx.commit();
}

}  // namespace tradingd::store
