// tradingctl db create: the MySQL/MariaDB database and the application account tradingd runs as, with only
// the privileges it needs. Runs as an administrator's connection; works on MySQL 8 and MariaDB 10.4+.
#pragma once

#include <string>
#include <vector>

#include "store/sql.h"

namespace tradingd::store {

struct AppDatabase {
    std::string database = "trading_saas";
    std::string user = "saas_user";
    std::string host = "localhost";  // the account's host part: 'localhost' matches Unix-socket logins
};

// Data access for the daemon, plus what `tradingctl db migrate` needs to apply migrations (CREATE, ALTER,
// INDEX, REFERENCES for foreign keys, DROP for a migration that replaces a table). No global privileges,
// no GRANT OPTION, no FILE, no access to other databases.
extern const char* const kAppPrivileges;

// Empty when the names are acceptable, else what is wrong. Names are limited to characters that need no
// quoting, because CREATE USER and GRANT take no bound parameters: the SQL text is built from them.
std::string check_app_database(const AppDatabase& spec);

// The statements create_app_database runs, in order; `password` is spliced in (hex from the CSPRNG only).
std::vector<std::string> app_database_sql(const AppDatabase& spec, const std::string& password);

bool app_user_exists(Connection& admin, const AppDatabase& spec);

// Creates the database (utf8mb4) if missing, the account, and its grants. Refuses an account that exists:
// its password would no longer match the env file's.
void create_app_database(Connection& admin, const AppDatabase& spec, const std::string& password);

}  // namespace tradingd::store
