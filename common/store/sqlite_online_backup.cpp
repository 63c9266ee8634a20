// sqlite3_backup_* on two private handles: the only place outside sqlite_connection.cpp that needs them.
#include "store/sqlite_online_backup.h"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <thread>

#include "store/sql.h"

namespace tradingd::store {
namespace {

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

DbHandle open_db(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    DbHandle db(raw);
    if (rc != SQLITE_OK)
        throw Error(ErrorKind::connection, "cannot open SQLite database '" + path +
                                               "': " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    return db;
}

}  // namespace

void sqlite_online_backup(const std::string& source_path, const std::string& dest_path, int busy_timeout_ms) {
    DbHandle source = open_db(source_path, SQLITE_OPEN_READONLY);
    sqlite3_busy_timeout(source.get(), busy_timeout_ms);
    DbHandle dest = open_db(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
    if (!backup)
        throw Error(ErrorKind::other,
                    std::string("sqlite backup failed to start: ") + sqlite3_errmsg(dest.get()));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    int rc = SQLITE_OK;
    for (;;) {
        rc = sqlite3_backup_step(backup, -1);  // every page in one step: one consistent read
        if (rc == SQLITE_DONE) break;
        const bool retry =
            (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline;
        if (!retry) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const int finish_rc = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finish_rc != SQLITE_OK)
        throw Error(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ErrorKind::busy : ErrorKind::other,
                    std::string("sqlite backup of '") + source_path + "' failed: " + sqlite3_errstr(rc));
}

}  // namespace tradingd::store
