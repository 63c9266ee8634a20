// tradingctl db copy: one database into another (the SQLite → MySQL migration), table by table in dependency
// order with ids and auto-increment counters kept, then verified by row counts and content checksums.
#pragma once

#include "store/transfer.h"

namespace tradingd::store {

// Copies every catalog table of `source` into `target` and compares both sides. The source must be at this
// binary's latest schema version and is only read, inside one ReadSnapshot; the target is migrated to the
// same version first and must be empty unless options.replace. Throws store::Error when the copy cannot start
// or a row cannot be written; a finished copy reports mismatches in the result instead.
TransferReport copy_database(Connection& source, Connection& target, const TransferOptions& options);

// Compares each table of `layouts` in two databases with digest_table.
std::vector<TableCheck> compare_databases(Connection& source, Connection& target,
                                          const std::vector<TableLayout>& layouts, int batch);

}  // namespace tradingd::store
