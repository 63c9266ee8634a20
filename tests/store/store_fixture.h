// A scratch database on the backend under test (TRADINGD_TEST_BACKEND=sqlite|mysql), so the same store
// tests run once per backend. SQLite gets a temp file, MySQL a database created and dropped per test.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "mysql_test_env.h"
#include "store/open.h"

namespace tradingd::test {

inline store::Backend backend_under_test() {
    const char* b = std::getenv("TRADINGD_TEST_BACKEND");
    return b && std::string(b) == "mysql" ? store::Backend::mysql : store::Backend::sqlite;
}

class ScratchStore {
  public:
    ScratchStore() {
        settings_.backend = backend_under_test();
        if (settings_.backend == store::Backend::mysql) {
            mysql_ = std::make_unique<ScratchMysqlDatabase>();
            settings_.mysql = mysql_->settings();
        } else {
            static std::atomic<int> counter{0};
            dir_ = std::filesystem::temp_directory_path() /
                   ("tradingd_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
            std::filesystem::create_directories(dir_);
            settings_.sqlite.path = (dir_ / "test.db").string();
            settings_.sqlite.busy_timeout_ms = 200;
            settings_.sqlite.create_if_missing = true;
        }
        conn_ = open();
    }
    ~ScratchStore() {
        conn_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    ScratchStore(const ScratchStore&) = delete;
    ScratchStore& operator=(const ScratchStore&) = delete;

    store::Connection& conn() { return *conn_; }
    std::unique_ptr<store::Connection> open() const { return store::open_connection(settings_); }
    const store::DbSettings& settings() const { return settings_; }

  private:
    store::DbSettings settings_;
    std::unique_ptr<ScratchMysqlDatabase> mysql_;
    std::filesystem::path dir_;
    std::unique_ptr<store::Connection> conn_;
};

}  // namespace tradingd::test
