// Store access and argument parsing for `tradingctl backtest` and `tradingctl market`.
#include "backtest_support.h"

#include <cctype>
#include <ctime>
#include <filesystem>

#include "store/migrator.h"
#include "store/open.h"

namespace tradingd::cli {

std::unique_ptr<store::Connection> open_migrated_store(const config::Config& cfg) {
    if (cfg.db.backend == store::Backend::sqlite && !std::filesystem::exists(cfg.db.sqlite.path))
        throw CommandFailed{kFailed, "database file " + cfg.db.sqlite.path +
                                         " does not exist; `tradingctl db migrate` creates it"};
    std::unique_ptr<store::Connection> conn;
    try {
        conn = store::open_connection(cfg.db);
    } catch (const store::Error& e) {
        throw CommandFailed{kFailed, std::string("cannot open the database: ") + e.what()};
    }
    const auto status = store::schema_status(*conn);
    if (!status.up_to_date())
        throw CommandFailed{kFailed, "the database is at schema version " + std::to_string(status.current) +
                                         " of " + std::to_string(status.latest) +
                                         "; run `tradingctl db migrate` first"};
    return conn;
}

exchange::TimeMs parse_utc_date(const std::string& option, const std::string& text) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (end && *end == 'T') end = strptime(end + 1, "%H:%M", &tm);
    if (!end || *end != '\0' || text.size() < 10)
        throw CommandFailed{
            kUsage, option + ": '" + text + "' is not a UTC date like 2025-01-31 or 2025-01-31T12:00"};
    return static_cast<exchange::TimeMs>(timegm(&tm)) * 1000;
}

std::vector<std::string> split_symbols(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (const char ch : text + ",") {
        if (ch == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (!std::isspace(static_cast<unsigned char>(ch))) {
            cur += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
    }
    return out;
}

}  // namespace tradingd::cli
