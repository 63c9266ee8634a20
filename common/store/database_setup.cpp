// The SQL of `tradingctl db create`. Identifiers and the password cannot be bound parameters in CREATE
// DATABASE, CREATE USER and GRANT, so every name is checked against a strict character set first.
#include "store/database_setup.h"

#include <algorithm>
#include <cctype>

namespace tradingd::store {
namespace {

bool only(const std::string& s, std::string_view extra, std::size_t max) {
    return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               extra.find(c) != std::string_view::npos;
    });
}

// In GRANT ... ON db.*, '_' and '%' are wildcards: `trading_saas` would also match `tradingXsaas`.
std::string grant_pattern(const std::string& database) {
    std::string out;
    for (char c : database) out += c == '_' ? std::string("\\_") : std::string(1, c);
    return out;
}

}  // namespace

const char* const kAppPrivileges = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP";

std::string check_app_database(const AppDatabase& spec) {
    if (!only(spec.database, "", 64)) return "--database must be 1-64 letters, digits or '_'";
    if (!only(spec.user, "", 32)) return "--app-user must be 1-32 letters, digits or '_'";
    if (!only(spec.host, ".-%:", 255))
        return "--app-host must be a host name, an IP address, or a pattern with '%'";
    return "";
}

std::vector<std::string> app_database_sql(const AppDatabase& spec, const std::string& password) {
    const std::string account = "'" + spec.user + "'@'" + spec.host + "'";
    return {
        "CREATE DATABASE IF NOT EXISTS `" + spec.database +
            "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "CREATE USER " + account + " IDENTIFIED BY '" + password + "'",
        "GRANT " + std::string(kAppPrivileges) + " ON `" + grant_pattern(spec.database) + "`.* TO " + account,
    };
}

bool app_user_exists(Connection& admin, const AppDatabase& spec) {
    auto st = admin.prepare("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = ?");
    st->bind_all(spec.user, spec.host);
    return st->step() && st->get_int(0) > 0;
}

void create_app_database(Connection& admin, const AppDatabase& spec, const std::string& password) {
    if (std::string problem = check_app_database(spec); !problem.empty())
        throw Error(ErrorKind::other, problem);
    if (!std::all_of(password.begin(), password.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        throw Error(ErrorKind::other, "the generated password must be hex");
    if (app_user_exists(admin, spec))
        throw Error(ErrorKind::constraint,
                    "the account '" + spec.user + "'@'" + spec.host +
                        "' exists already: drop it first (DROP USER) or pick another --app-user");
    for (const std::string& sql : app_database_sql(spec, password)) admin.exec_script(sql);
}

}  // namespace tradingd::store
