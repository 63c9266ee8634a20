// A consistent copy of a live SQLite database file through SQLite's online backup API.
#pragma once

#include <string>

namespace tradingd::store {

// Copies `source_path` (opened read-only) into a new file `dest_path` in one step, so the copy is one
// consistent state even while the daemon writes; in WAL mode the daemon's writes are not blocked meanwhile.
// Throws store::Error.
void sqlite_online_backup(const std::string& source_path, const std::string& dest_path, int busy_timeout_ms);

}  // namespace tradingd::store
