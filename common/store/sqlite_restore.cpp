// Restoring into an SQLite file without ever leaving a half-written database under its final name: load a
// private file, verify it, fsync it, rename it into place (rename is atomic within one folder).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/backup.h"
#include "store/migrator.h"

namespace tradingd::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSqliteSideFiles[] = {"-wal", "-shm", "-journal"};

void remove_db_files(const fs::path& db) {
    std::error_code ec;
    fs::remove(db, ec);
    for (const char* suffix : kSqliteSideFiles) fs::remove(db.string() + suffix, ec);
}

// Removes the partial database unless release() was called.
struct PartialFile {
    fs::path path;
    bool keep = false;
    ~PartialFile() {
        if (!keep) remove_db_files(path);
    }
};

void fsync_path(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + p.string() + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) throw std::runtime_error("cannot flush " + p.string() + ": " + std::strerror(err));
}

// The checks prepare_target makes, on an existing file that must stay untouched. Opening and closing it
// also checkpoints a WAL left by a crashed daemon, so no stale -wal can be applied to the new file.
void check_existing(const SqliteSettings& target, int schema_version, bool replace) {
    SqliteSettings settings = target;
    settings.create_if_missing = false;
    {
        auto conn = open_sqlite(settings);
        const int current = store::schema_version(*conn);
        if (current > schema_version)
            throw Error(ErrorKind::schema, "the target " + conn->describe() + " is at schema version " +
                                               std::to_string(current) + ", newer than the backup's " +
                                               std::to_string(schema_version) +
                                               ": use a new, empty database (a schema cannot be downgraded)");
        if (auto table = first_table_with_rows(*conn); table && !replace)
            throw Error(ErrorKind::constraint, "the target " + conn->describe() + " is not empty (table " +
                                                   *table + " has rows): pass --replace to empty it first");
    }
    std::error_code ec;
    if (fs::file_size(target.path + "-wal", ec) > 0 && !ec)
        throw Error(ErrorKind::busy, target.path + "-wal still holds changes: is a daemon using " +
                                         target.path + "? Stop it first");
}

}  // namespace

TransferReport restore_backup_to_sqlite_file(const std::string& path, const Manifest& verified,
                                             const SqliteSettings& target, const TransferOptions& options) {
    const fs::path final_path = fs::absolute(target.path);
    const bool existed = fs::exists(final_path);
    if (existed) check_existing(target, verified.schema_version, options.replace);

    PartialFile partial{final_path.parent_path() /
                        ("." + final_path.filename().string() + ".restore-partial")};
    remove_db_files(partial.path);  // left by a restore that was killed
    TransferReport report;
    {
        SqliteSettings settings = target;
        settings.path = partial.path.string();
        settings.create_if_missing = true;
        auto conn = open_sqlite(settings);
        report = restore_backup(path, verified, *conn, {false, options.batch, options.progress});
    }  // closing the last connection checkpoints the WAL into the file and removes it
    if (!report.ok()) return report;

    if (existed) {
        // The daemon's user must still own and be able to write its database after a restore run as root.
        struct stat st {};
        if (::stat(final_path.c_str(), &st) == 0 &&
            ::chown(partial.path.c_str(), st.st_uid, st.st_gid) != 0 && errno != EPERM)
            throw std::runtime_error("cannot give " + partial.path.string() + " the owner of " +
                                     final_path.string() + ": " + std::strerror(errno));
        fs::permissions(partial.path, fs::status(final_path).permissions());
    }
    fsync_path(partial.path, O_RDONLY);
    std::error_code ec;
    fs::remove(final_path.string() + "-shm", ec);  // the old file's index; it must not meet the new file
    fs::rename(partial.path, final_path);
    partial.keep = true;
    fsync_path(final_path.parent_path(), O_RDONLY | O_DIRECTORY);
    return report;
}

}  // namespace tradingd::store
