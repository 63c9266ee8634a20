// The .tdbak backup file. One gzip stream, backend-neutral (values in their normalised form, checksum.h), so
// a backup of SQLite restores into MySQL and back. Inside the stream:
//
//   "tradingd-backup 1\n"                   magic and format version
//   the manifest as one line of JSON, "\n"   {format_version, created_at, backend, source, schema_version,
//                                             checksum_algorithm, tables: [{name, columns, rows, checksum,
//                                             next_id}]}
//   each table's rows in manifest order, exactly `rows` records per table, each record
//       'R', then per column 0x00 (NULL) or 0x01 + 4-byte little-endian length + the value's bytes
//   'E' + 32 bytes: the SHA-256 of every byte before the 'E'
//
// gzip's CRC-32 and length, the trailer's SHA-256 and the per-table checksums each catch damage; a sidecar
// FILE.sha256 (sha256sum format) holds the SHA-256 of the compressed file for copies kept elsewhere.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/checksum.h"

namespace tradingd::store {

// A backup file that is damaged, truncated, or not a backup at all.
class CorruptBackup : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ManifestTable {
    std::string name;
    std::vector<std::string> columns;  // as the source had them, primary key first
    std::int64_t rows = 0;
    std::string checksum;      // TableDigester over these columns
    std::int64_t next_id = 1;  // the source's auto-increment counter
};

struct Manifest {
    static constexpr int kFormatVersion = 1;
    int format_version = kFormatVersion;
    std::string created_at;  // 'YYYY-MM-DDTHH:MM:SSZ'
    std::string backend;     // the source's: sqlite | mysql
    std::string source;      // Connection::describe() of the source, never a password
    int schema_version = 0;
    std::vector<ManifestTable> tables;  // parents before children
};

std::string manifest_to_json(const Manifest& manifest);
Manifest manifest_from_json(const std::string& text);  // throws CorruptBackup

class GzipWriter;
class GzipReader;

// Writes a new backup file (mode 0600: it holds password hashes and encrypted keys). The file is removed
// again unless finish() completes.
class BackupWriter {
  public:
    BackupWriter(const std::string& path, const Manifest& manifest);  // refuses an existing path
    ~BackupWriter();
    BackupWriter(const BackupWriter&) = delete;
    BackupWriter& operator=(const BackupWriter&) = delete;

    void add_row(const Row& row);
    // Writes the trailer, flushes the file to disk; returns the SHA-256 (hex) of the compressed file.
    std::string finish();
    std::uint64_t bytes() const { return bytes_; }

  private:
    void put(const void* data, std::size_t size);

    std::string path_;
    int fd_ = -1;
    Sha256 file_sha_;     // of the compressed bytes: the sidecar
    Sha256 payload_sha_;  // of the uncompressed bytes: the trailer
    std::unique_ptr<GzipWriter> gzip_;
    std::uint64_t bytes_ = 0;
    bool finished_ = false;
};

// Reads a backup file front to back. Every failure is a CorruptBackup naming the file.
class BackupReader {
  public:
    explicit BackupReader(const std::string& path);  // reads the magic line and the manifest
    ~BackupReader();
    const Manifest& manifest() const { return manifest_; }
    void read_row(Row& row, std::size_t columns);
    // Checks the trailer's SHA-256 and that the stream ends right after it.
    void finish();

  private:
    void read_exact(void* out, std::size_t size, bool hash = true);
    std::string read_line(std::size_t max);
    [[noreturn]] void corrupt(const std::string& why) const;

    std::string path_;
    std::unique_ptr<GzipReader> gzip_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    Sha256 payload_sha_;
    Manifest manifest_;
};

}  // namespace tradingd::store
