// Target preparation, batched loading and auto-increment counters for copy and restore.
#include "store/transfer.h"

#include <algorithm>

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

void prepare_target(Connection& target, int schema_version, bool replace) {
    const int current = store::schema_version(target);
    if (current > schema_version)
        throw Error(ErrorKind::schema, "the target " + target.describe() + " is at schema version " +
                                           std::to_string(current) + ", newer than the data's " +
                                           std::to_string(schema_version) +
                                           ": use a new, empty database (a schema cannot be downgraded)");
    if (auto table = first_table_with_rows(target)) {
        if (!replace)
            throw Error(ErrorKind::constraint, "the target " + target.describe() + " is not empty (table " +
                                                   *table + " has rows): pass --replace to empty it first");
        empty_data_tables(target);
    }
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
