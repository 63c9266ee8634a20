// The compiled-in list of the schema's tables and columns, parents before children, with the kind of each
// column, so that copy, backup and checksums treat a value the same way on SQLite and on MySQL.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql.h"

namespace tradingd::store {

// How a value is normalised across dialects (see checksum.h); not the SQL type, which differs per dialect.
enum class ColumnKind { integer, decimal, text, blob, timestamp, boolean, enumeration };
std::string_view kind_name(ColumnKind kind);

struct ColumnSpec {
    std::string_view name;
    ColumnKind kind;
};

struct TableSpec {
    std::string_view name;
    std::span<const ColumnSpec> columns;  // columns[0] is the integer primary key
    bool auto_increment;                  // its counter is carried over by copy and restore
    bool data;                            // false for schema_version: recreated by migrating, never copied
    std::string_view primary_key() const { return columns.front().name; }
};

// Every table of the latest schema in dependency order; a store test compares it with a migrated database.
std::span<const TableSpec> table_catalog();
// nullptr when the catalog has no such table.
const TableSpec* catalog_table(std::string_view name);

// The columns of one table as a database at some schema version has them: the catalog's entries (never
// names from input), in catalog order. SQL text is built only from these compiled-in names, because
// identifiers cannot be bound parameters.
struct TableLayout {
    const TableSpec* table = nullptr;
    std::vector<const ColumnSpec*> columns;

    static TableLayout full(const TableSpec& table);
    // Maps names (from a backup manifest or a live schema) onto the catalog. Throws store::Error naming the
    // first table or column this binary does not know, or when the primary key is not first.
    static TableLayout from_names(std::string_view table, const std::vector<std::string>& columns);

    std::vector<std::string> column_names() const;
    bool operator==(const TableLayout& other) const;
    std::string select_page_sql() const;  // SELECT cols FROM t WHERE pk > ? ORDER BY pk LIMIT ?
    std::string insert_sql() const;       // INSERT INTO t (cols) VALUES (?, ...)
};

// Identifier quoting that both dialects accept (SQLite takes MySQL's backticks); for catalog names only.
std::string quote_identifier(std::string_view name);

// The tables of the catalog a database has, with the columns it has (an older schema may have fewer).
// Throws store::Error when the database has a column the catalog lacks (it is newer than this binary).
std::vector<std::string> live_columns(Connection& conn, const TableSpec& table);
std::vector<TableLayout> live_data_layouts(Connection& conn);

}  // namespace tradingd::store
