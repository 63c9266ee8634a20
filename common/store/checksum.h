// Rows in the one form both dialects share (each value normalised by its catalog kind), read a page at a
// time, and the per-table content checksum that copy, backup and restore compute the same way on either
// backend.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/table_catalog.h"

struct evp_md_ctx_st;

namespace tradingd::store {

// Incremental SHA-256 (OpenSSL EVP).
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    std::array<std::uint8_t, 32> finish();
    std::string finish_hex();

  private:
    evp_md_ctx_st* ctx_;
};

// NULL, or the value's normalised text (for a blob: its raw bytes).
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

// The shortest exact form of a decimal: no exponent, no '+', no leading or trailing zeros, "-0" → "0"
// ("001.500" → "1.5", "1e-3" → "0.001"). Text that is not a decimal number is returned unchanged.
std::string canonical_decimal(std::string_view text);

// Normalises text read from either dialect: decimals canonical, booleans and integers as plain integers,
// timestamps as 'YYYY-MM-DD HH:MM:SS' (an ISO 'T' and a UTC 'Z' are folded in); text and blobs as they are.
Cell normalize_cell(ColumnKind kind, Cell raw);
Cell read_cell(const Statement& st, int column, ColumnKind kind);
// The bound parameter that stores `cell` in a column of `kind`; throws store::Error when an integer column
// holds something that is not an integer. Decimals travel as text, never through a double.
Value cell_value(const Cell& cell, ColumnKind kind);

// The checksum of one table's content: SHA-256 over the table name, its column names, then each row in
// primary-key order, each value as 'N' (NULL) or 'V' + byte length + ':' + normalised bytes. Lower-case hex.
class TableDigester {
  public:
    explicit TableDigester(const TableLayout& layout);
    void add(const Row& row);
    std::int64_t rows() const { return rows_; }
    std::string finish_hex() { return sha_.finish_hex(); }

  private:
    Sha256 sha_;
    std::int64_t rows_ = 0;
};

struct TableDigest {
    std::int64_t rows = 0;
    std::string checksum;
};

// Reads a table in primary-key order, `batch` rows per query, so that a large table never sits in memory
// (the MySQL client buffers a whole result). Inside a ReadSnapshot every page sees the same data.
class TableReader {
  public:
    TableReader(Connection& conn, const TableLayout& layout, int batch);
    ~TableReader();
    bool next(Row& row);

  private:
    const TableLayout& layout_;
    std::unique_ptr<Statement> page_;
    int batch_;
    int in_page_ = 0;
    bool page_open_ = false;
    bool exhausted_ = false;
    std::int64_t last_key_;
};

TableDigest digest_table(Connection& conn, const TableLayout& layout, int batch = 1000);
std::int64_t count_rows(Connection& conn, const TableSpec& table);

}  // namespace tradingd::store
