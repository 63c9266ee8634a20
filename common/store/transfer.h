// Moving rows into a database, shared by copy and restore: the checks before (schema version, emptiness),
// batched inserts in transactions, auto-increment counters, and the per-table comparison afterwards.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/checksum.h"

namespace tradingd::store {

// One table compared after a copy or restore; the source is the other database or the backup's manifest.
struct TableCheck {
    std::string table;
    std::int64_t source_rows = 0;
    std::int64_t target_rows = 0;
    std::string source_checksum;
    std::string target_checksum;
    bool ok() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

struct TransferReport {
    int schema_version = 0;
    std::vector<TableCheck> tables;
    bool ok() const;
};

// Called after each committed batch with the table, the rows done so far and the rows in total.
using Progress = std::function<void(std::string_view table, std::int64_t done, std::int64_t total)>;

struct TransferOptions {
    bool replace = false;  // empty a target that holds data instead of refusing
    int batch = 1000;      // rows per query and per transaction
    Progress progress;
};

// One consistent view of a database for as long as it lives, while others may write. SQLite: a deferred
// read transaction (works on a read-only connection). MySQL: a REPEATABLE READ transaction whose snapshot is
// taken by a first read at once, which is what START TRANSACTION WITH CONSISTENT SNAPSHOT does; it goes
// through Connection::begin() so that a dropped connection fails the read instead of silently reconnecting
// outside the snapshot.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(Connection& conn);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    Connection& conn_;
};

// The first catalog table that holds a row, or nothing when the database holds no data.
std::optional<std::string> first_table_with_rows(Connection& conn);
// Deletes every row of every catalog table, children first, in one transaction.
void empty_data_tables(Connection& conn);
// Readies `target` for a database at `schema_version`: refuses a newer schema, refuses data unless
// `replace` or the data is what an unfinished load left (then empties it first), marks the target as being
// loaded (`what`: "restore of FILE", "copy from SOURCE") and migrates it to exactly that version.
void prepare_target(Connection& target, int schema_version, bool replace, std::string_view what);

// The mark of a load in progress: set by prepare_target before anything is emptied or written and cleared
// by finish_load only once every table compared equal to its source. A target left by a copy or restore that
// was killed, failed or did not verify keeps it: tradingd refuses to serve it, and the next load may empty
// it without --replace (its rows are known to be partial). Kept in its own table, not a catalog table, so
// it is never copied or backed up.
void finish_load(Connection& target, const TransferReport& verified);
// "restore of FILE, started 2026-12-01 10:00:00 UTC" while a load is unfinished, else nothing.
std::optional<std::string> unfinished_load(Connection& conn);

// Inserts rows with their ids, `batch` rows per transaction; finish() commits the rest. An unfinished
// batch is rolled back when the loader is destroyed.
class TableLoader {
  public:
    TableLoader(Connection& target, const TableLayout& layout, int batch);
    ~TableLoader();
    void add(const Row& row);
    void finish();
    std::int64_t rows() const { return rows_; }

  private:
    void commit();

    Connection& conn_;
    const TableLayout& layout_;
    std::unique_ptr<Statement> insert_;
    std::optional<Transaction> tx_;
    int batch_;
    int in_batch_ = 0;
    std::int64_t rows_ = 0;
};

// The id the next insert would get: above every row, and above ids already handed out and deleted
// (SQLite's AUTOINCREMENT never reuses them: sqlite_sequence; MySQL: the table's AUTO_INCREMENT).
std::int64_t next_auto_increment(Connection& conn, const TableSpec& table);
// Makes the next insert into `table` get `next_id`. On MySQL this is DDL and commits implicitly.
void continue_auto_increment(Connection& conn, const TableSpec& table, std::int64_t next_id);

}  // namespace tradingd::store
