// Where the MariaDB-backed tests find their server (TRADINGD_TEST_MYSQL_* variables, printed by
// scripts/test-mariadb) and a scratch database per test that is dropped again at the end.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "store/open.h"

namespace tradingd::test {

// The server to test against, or nothing when TRADINGD_TEST_MYSQL_HOST is unset (the database field is
// empty).
inline std::optional<store::MysqlSettings> mysql_test_settings() {
    auto env = [](const char* name, const char* fallback) {
        const char* value = std::getenv(name);
        return std::string(value && *value ? value : fallback);
    };
    const std::string host = env("TRADINGD_TEST_MYSQL_HOST", "");
    if (host.empty()) return std::nullopt;
    store::MysqlSettings settings;
    settings.host = host;
    settings.port = static_cast<unsigned>(std::stoul(env("TRADINGD_TEST_MYSQL_PORT", "3306")));
    settings.user = env("TRADINGD_TEST_MYSQL_USER", "tradingd_test");
    settings.password = env("TRADINGD_TEST_MYSQL_PASSWORD", "");
    return settings;
}

inline bool mysql_test_env_available() {
    return mysql_test_settings().has_value();
}

// Creates tradingd_test_<pid>_<n> on construction and drops it on destruction. Throws store::Error when the
// server cannot be reached, so a configured but dead server fails the test instead of skipping it.
class ScratchMysqlDatabase {
  public:
    explicit ScratchMysqlDatabase(const store::MysqlSettings& server) : settings_(server) {
        static std::atomic<int> counter{0};
        settings_.database = "tradingd_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        store::MysqlSettings admin_settings = server;
        admin_settings.database.clear();
        admin_ = store::open_mysql(admin_settings);
        // Identifiers cannot be bound; the name is built from digits above, and a crashed run may have left
        // it.
        admin_->exec_script("DROP DATABASE IF EXISTS `" + settings_.database + "`; CREATE DATABASE `" +
                            settings_.database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }
    ScratchMysqlDatabase() : ScratchMysqlDatabase(mysql_test_settings().value()) {}
    ~ScratchMysqlDatabase() {
        try {
            admin_->exec_script("DROP DATABASE IF EXISTS `" + settings_.database + "`");
        } catch (...) {
        }
    }
    ScratchMysqlDatabase(const ScratchMysqlDatabase&) = delete;
    ScratchMysqlDatabase& operator=(const ScratchMysqlDatabase&) = delete;

    // Settings that select the scratch database; open as many connections to it as a test needs.
    const store::MysqlSettings& settings() const { return settings_; }
    const std::string& name() const { return settings_.database; }
    std::unique_ptr<store::Connection> open() const { return store::open_mysql(settings_); }

  private:
    store::MysqlSettings settings_;
    std::unique_ptr<store::Connection> admin_;
};

}  // namespace tradingd::test
