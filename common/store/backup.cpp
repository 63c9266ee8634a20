// Writing a backup from a consistent view of a live database, checking a backup file, restoring it, and
// keeping the newest N.
#include "store/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "store/migrations.h"
#include "store/migrator.h"
#include "store/sqlite_online_backup.h"

namespace tradingd::store {
namespace {

namespace fs = std::filesystem;

std::string utc_format(std::chrono::system_clock::time_point when, const char* format) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char out[64];
    std::strftime(out, sizeof out, format, &tm);
    return out;
}

bool is_backup_name(const std::string& name) {
    // tradingd-YYYYmmddTHHMMSSZ.tdbak: digits where digits belong, so no other file is ever pruned.
    static const std::string shape = "tradingd-########T######Z.tdbak";
    if (name.size() != shape.size()) return false;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] == '#' ? !std::isdigit(static_cast<unsigned char>(name[i])) : name[i] != shape[i])
            return false;
    return true;
}

std::string file_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorruptBackup("cannot read " + path + ": " + std::strerror(errno));
    Sha256 sha;
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        sha.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    return sha.finish_hex();
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);  // makes the new names durable; a failure here loses nothing already written
    ::close(fd);
}

// Written under a temporary name, flushed to disk, then renamed: a reader never sees half a sidecar, and a
// failure leaves no temporary file behind.
void write_sidecar(const fs::path& file, const std::string& sha256) {
    const fs::path sidecar = file.string() + ".sha256", partial = sidecar.string() + ".partial";
    const std::string line = sha256 + "  " + file.filename().string() + "\n";  // what `sha256sum -c` reads
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + partial.string() + ": " + std::strerror(errno));
    const bool written =
        ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int err = errno;
    if (::close(fd) != 0 || !written) {
        ::unlink(partial.c_str());
        throw std::runtime_error("cannot write " + partial.string() + ": " +
                                 std::strerror(written ? errno : err));
    }
    std::error_code ec;
    fs::rename(partial, sidecar, ec);
    if (ec) {
        ::unlink(partial.c_str());
        throw std::runtime_error("cannot create " + sidecar.string() + ": " + ec.message());
    }
}

// Removes the private SQLite snapshot and the journal files SQLite may have created beside it.
struct SnapshotFiles {
    fs::path db;
    ~SnapshotFiles() {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix, ec);
    }
};

// Two passes inside one consistent view: first the counts and checksums for the manifest at the head of
// the file, then the rows; the second pass is checked against the first.
BackupResult write_backup(Connection& conn, const fs::path& file, Manifest manifest,
                          const Progress& progress) {
    manifest.schema_version = schema_version(conn);
    if (manifest.schema_version == 0)
        throw Error(ErrorKind::schema, conn.describe() + " has no schema: there is nothing to back up");
    if (manifest.schema_version > latest_schema_version())
        throw Error(ErrorKind::schema, conn.describe() + " is at schema version " +
                                           std::to_string(manifest.schema_version) +
                                           ", newer than this binary");
    const std::vector<TableLayout> layouts = live_data_layouts(conn);
    for (const TableLayout& layout : layouts) {
        const TableDigest digest = digest_table(conn, layout);
        manifest.tables.push_back({std::string(layout.table->name), layout.column_names(), digest.rows,
                                   digest.checksum, next_auto_increment(conn, *layout.table)});
    }
    const fs::path partial = file.parent_path() / ("." + file.filename().string() + ".partial");
    BackupWriter writer(partial.string(), manifest);
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        TableReader reader(conn, layouts[i], 1000);
        TableDigester check(layouts[i]);
        Row row;
        while (reader.next(row)) {
            writer.add_row(row);
            check.add(row);
            if (progress && check.rows() % 1000 == 0)
                progress(layouts[i].table->name, check.rows(), manifest.tables[i].rows);
        }
        if (check.rows() != manifest.tables[i].rows || check.finish_hex() != manifest.tables[i].checksum)
            throw Error(ErrorKind::other, "table " + manifest.tables[i].name + " changed during the backup");
    }
    BackupResult result{file.string(), writer.finish(), writer.bytes(), std::move(manifest), {}};
    // link() never replaces an existing file, unlike rename().
    if (::link(partial.c_str(), file.c_str()) != 0) {
        const int err = errno;
        ::unlink(partial.c_str());
        throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(err));
    }
    ::unlink(partial.c_str());
    write_sidecar(file, result.sha256);
    fsync_dir(file.parent_path());
    return result;
}

}  // namespace

std::string backup_file_name(std::chrono::system_clock::time_point when) {
    return "tradingd-" + utc_format(when, "%Y%m%dT%H%M%SZ") + ".tdbak";
}

BackupResult create_backup(const DbSettings& db, const std::string& dir, int keep, const Progress& progress) {
    fs::create_directories(dir);
    const auto now = std::chrono::system_clock::now();
    const fs::path file = fs::absolute(dir) / backup_file_name(now);
    if (fs::exists(file))
        throw std::runtime_error(file.string() + " already exists: wait a second and retry");
    Manifest manifest;
    manifest.created_at = utc_format(now, "%Y-%m-%dT%H:%M:%SZ");
    manifest.backend = backend_name(db.backend);
    BackupResult result;
    if (db.backend == Backend::sqlite) {
        if (!fs::exists(db.sqlite.path))
            throw Error(ErrorKind::connection, "no SQLite database at " + db.sqlite.path);
        SnapshotFiles snapshot{file.parent_path() / ("." + file.filename().string() + ".snapshot.db")};
        sqlite_online_backup(db.sqlite.path, snapshot.db.string(), std::max(db.sqlite.busy_timeout_ms, 5000));
        SqliteSettings settings{snapshot.db.string()};
        auto conn = open_sqlite(settings);
        manifest.source = "sqlite:" + db.sqlite.path;
        result = write_backup(*conn, file, std::move(manifest), progress);
    } else {
        auto conn = open_mysql(db.mysql);
        manifest.source = conn->describe();
        ReadSnapshot snapshot(*conn);
        result = write_backup(*conn, file, std::move(manifest), progress);
    }
    if (keep > 0) result.removed = prune_backups(dir, keep);
    return result;
}

Manifest verify_backup(const std::string& path) {
    if (const std::string sidecar = path + ".sha256"; fs::exists(sidecar)) {
        std::ifstream in(sidecar);
        std::string expected;
        in >> expected;
        if (expected != file_sha256(path))
            throw CorruptBackup(path + ": the file does not match the SHA-256 in " + sidecar);
    }
    BackupReader reader(path);
    const Manifest& manifest = reader.manifest();
    if (manifest.schema_version > latest_schema_version())
        throw Error(ErrorKind::schema,
                    path + " holds schema version " + std::to_string(manifest.schema_version) +
                        ", newer than this binary's " + std::to_string(latest_schema_version()) +
                        ": restore it with the tradingctl that made it");
    Row row;
    for (const ManifestTable& table : manifest.tables) {
        const TableLayout layout = TableLayout::from_names(table.name, table.columns);
        if (layout.columns.size() != table.columns.size())
            throw CorruptBackup(path + ": table " + table.name + " lists a column twice");
        TableDigester digester(layout);
        for (std::int64_t i = 0; i < table.rows; ++i) {
            reader.read_row(row, layout.columns.size());
            digester.add(row);
        }
        if (digester.finish_hex() != table.checksum)
            throw CorruptBackup(path + ": the rows of table " + table.name +
                                " do not match the manifest's checksum");
    }
    reader.finish();
    return manifest;
}

TransferReport restore_backup(const std::string& path, const Manifest& manifest, Connection& target,
                              const TransferOptions& options) {
    std::vector<TableLayout> layouts;
    for (const ManifestTable& table : manifest.tables)
        layouts.push_back(TableLayout::from_names(table.name, table.columns));
    prepare_target(target, manifest.schema_version, options.replace, "restore of " + path);
    try {
        BackupReader reader(path);
        Row row;
        for (std::size_t i = 0; i < layouts.size(); ++i) {
            const ManifestTable& table = manifest.tables[i];
            TableLoader loader(target, layouts[i], options.batch);
            for (std::int64_t n = 0; n < table.rows; ++n) {
                reader.read_row(row, layouts[i].columns.size());
                loader.add(row);
                if (options.progress && loader.rows() % options.batch == 0)
                    options.progress(table.name, n + 1, table.rows);
            }
            loader.finish();
            if (options.progress) options.progress(table.name, table.rows, table.rows);
        }
        reader.finish();
        for (std::size_t i = 0; i < layouts.size(); ++i)
            continue_auto_increment(target, *layouts[i].table, manifest.tables[i].next_id);
    } catch (const std::exception& e) {
        std::string outcome = "; the target was emptied again";
        try {
            empty_data_tables(target);
        } catch (const std::exception&) {
            outcome = "; the target may hold part of the backup: restore again with --replace";
        }
        throw Error(ErrorKind::other, std::string("restore failed: ") + e.what() + outcome);
    }
    TransferReport report{manifest.schema_version, {}};
    for (std::size_t i = 0; i < layouts.size(); ++i) {
        const TableDigest got = digest_table(target, layouts[i], options.batch);
        const ManifestTable& want = manifest.tables[i];
        report.tables.push_back({want.name, want.rows, got.rows, want.checksum, got.checksum});
    }
    finish_load(target, report);
    return report;
}

std::vector<std::string> prune_backups(const std::string& dir, int keep) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && is_backup_name(entry.path().filename().string()))
            names.push_back(entry.path().filename().string());
    std::sort(names.rbegin(), names.rend());  // the timestamp in the name sorts newest first
    std::vector<std::string> removed;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < names.size(); ++i) {
        fs::remove(fs::path(dir) / names[i]);
        std::error_code ec;
        fs::remove(fs::path(dir) / (names[i] + ".sha256"), ec);
        removed.push_back(names[i]);
    }
    return removed;
}

}  // namespace tradingd::store
