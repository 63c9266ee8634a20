// The numbered schema migrations compiled into the binary, per SQL dialect.
#pragma once

#include <span>
#include <string_view>

#include "store/sql.h"

namespace tradingd::store {

struct Migration {
    int version;            // NNNN from the file name
    std::string_view name;  // the rest of the file name, e.g. "core"
    std::string_view sql;   // the file's text
};

// Sorted by version; versions are 1..N without gaps (checked at build time by the generator).
std::span<const Migration> migrations_for(Backend backend);

// The schema version this binary needs: the highest migration number.
int latest_schema_version();

}  // namespace tradingd::store
