// Opening a store connection from database settings: SQLite by default, MySQL/MariaDB when a host is set.
#pragma once

#include <memory>
#include <string>

#include "store/sql.h"

namespace tradingd::store {

struct SqliteSettings {
    std::string path;             // database file; its directory must exist
    int busy_timeout_ms = 5000;   // how long a writer waits for a lock before giving up
    bool create_if_missing = false;  // only `tradingctl db migrate` creates a database
    bool read_only = false;       // no writes, no journal changes: `db copy` reads its source this way
    bool operator==(const SqliteSettings&) const = default;
};

struct MysqlSettings {
    std::string host;             // a hostname/IP, or a path to a Unix socket when it starts with '/'
    unsigned port = 3306;
    std::string user;
    std::string password;         // never logged, never shown by describe()
    std::string database;
    int connect_timeout_s = 5;
    int read_timeout_s = 30;
    bool operator==(const MysqlSettings&) const = default;
};

struct DbSettings {
    Backend backend = Backend::sqlite;
    SqliteSettings sqlite;
    MysqlSettings mysql;
    bool operator==(const DbSettings&) const = default;
};

std::unique_ptr<Connection> open_sqlite(const SqliteSettings& settings);
std::unique_ptr<Connection> open_mysql(const MysqlSettings& settings);
std::unique_ptr<Connection> open_connection(const DbSettings& settings);

}  // namespace tradingd::store
