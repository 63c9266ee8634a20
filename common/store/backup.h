// tradingctl db backup / restore: a consistent, verified, backend-neutral backup file (backup_format.h) of a
// database that may be in use, and its restore into an empty database with a check against the manifest.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "store/backup_format.h"
#include "store/open.h"
#include "store/transfer.h"

namespace tradingd::store {

struct BackupResult {
    std::string path;
    std::string sha256;  // of the compressed file, also in path + ".sha256"
    std::uint64_t bytes = 0;
    Manifest manifest;
    std::vector<std::string> removed;  // older backups deleted by retention
};

// "tradingd-YYYYmmddTHHMMSSZ.tdbak" for the given time, in UTC.
std::string backup_file_name(std::chrono::system_clock::time_point when);

// Backs up the database `db` describes into `dir` (created if missing), consistent while the daemon keeps
// writing: SQLite through the online backup API into a private snapshot file, MySQL inside one REPEATABLE
// READ snapshot transaction. Then keeps the newest `keep` backups of `dir` when keep > 0.
BackupResult create_backup(const DbSettings& db, const std::string& dir, int keep,
                           const Progress& progress = {});

// Reads a backup completely and checks everything before anything is written anywhere: the sidecar's SHA-256
// when the sidecar exists, gzip's CRC, the manifest, every table's row count and checksum, the trailer.
// Throws CorruptBackup, or store::Error when the backup needs a newer binary.
Manifest verify_backup(const std::string& path);

// Loads a backup that verify_backup accepted (`verified` is what it returned) into `target` (see
// prepare_target: a newer or non-empty target is refused unless options.replace), carries the auto-increment
// counters over and compares the target with the manifest. A failure while loading empties the target again.
TransferReport restore_backup(const std::string& path, const Manifest& verified, Connection& target,
                              const TransferOptions& options);

// restore_backup for an SQLite file, atomically: the backup is loaded into a fresh file beside `target.path`
// (".NAME.restore-partial"), checked, flushed to disk and only then renamed over the final name, so an
// interrupted or failed restore leaves the old database (or no file) there and removes its partial file.
// An existing target is checked first like prepare_target does (newer schema refused, data refused unless
// options.replace) but never modified; the new file takes its permissions. The report is returned either
// way; the rename happens only when report.ok().
TransferReport restore_backup_to_sqlite_file(const std::string& path, const Manifest& verified,
                                             const SqliteSettings& target, const TransferOptions& options);

// Deletes all but the newest `keep` backups (tradingd-*.tdbak and their sidecars) in `dir`; returns their
// names.
std::vector<std::string> prune_backups(const std::string& dir, int keep);

}  // namespace tradingd::store
