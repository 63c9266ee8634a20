// Applies the embedded migrations in order and reports where a database stands.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/sql.h"

namespace tradingd::store {

struct AppliedMigration {
    int version = 0;
    std::string name;
    std::string checksum;  // SHA-256 of the file text when it was applied
    std::string applied_at;
    bool checksum_matches = true;  // false when the file was edited after it ran: a bug to investigate
};

struct SchemaStatus {
    int current = 0;  // highest applied version, 0 for an empty database
    int latest = 0;   // what this binary needs
    std::vector<AppliedMigration> applied;
    std::vector<int> pending;
    bool up_to_date() const { return current == latest; }
};

// 0 when the database has no schema_version table yet.
int schema_version(Connection& conn);
SchemaStatus schema_status(Connection& conn);

// Applies every pending migration up to `target` (default: latest), each recorded in schema_version.
// Returns the versions applied. Throws store::Error when the database is newer than the binary, when an
// applied migration's text changed, or when a migration fails (that migration is rolled back on SQLite;
// MySQL commits DDL implicitly, so a failed MySQL migration names the statement to repair by hand).
std::vector<int> migrate(Connection& conn, int target = 0,
                         const std::function<void(int version, std::string_view name)>& on_apply = {});

}  // namespace tradingd::store
