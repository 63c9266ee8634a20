// `db backup` / `db restore` on the backend under test: round trips (same backend and across backends),
// counters, older schemas, damaged and truncated files refused before any write, retention, live writers.
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "data_fixture.h"
#include "store/backup.h"
#include "store/copy.h"
#include "store/migrations.h"
#include "store/repository.h"
#include "store/transfer.h"
#include "store_fixture.h"

using namespace tradingd;
namespace fs = std::filesystem;

namespace {

// What `tradingctl db restore` does: check the whole file first, then load it.
store::TransferReport restore(const std::string& file, store::Connection& target, bool replace = false) {
    const auto manifest = store::verify_backup(file);
    return store::restore_backup(file, manifest, target, {replace, 500, {}});
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::string corrupt_message(const std::string& file) {
    try {
        store::verify_backup(file);
    } catch (const store::CorruptBackup& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("a backup restores into an empty database with equal counts, checksums and counters",
          "[data][backup]") {
    test::ScratchStore source;
    test::populate(source.conn());
    test::SqliteFile out;  // only its directory is used
    const auto backup = store::create_backup(source.settings(), out.dir().string(), 0);
    CHECK(fs::exists(backup.path));
    CHECK(fs::path(backup.path).filename().string().starts_with("tradingd-"));
    CHECK((fs::status(backup.path).permissions() & fs::perms::group_all) == fs::perms::none);
    CHECK(read_file(backup.path + ".sha256").starts_with(backup.sha256 + "  "));
    CHECK(backup.manifest.schema_version == store::latest_schema_version());
    CHECK(backup.manifest.backend == store::backend_name(source.settings().backend));

    test::ScratchStore target;
    const auto report = restore(backup.path, target.conn());
    CHECK(report.ok());
    REQUIRE(report.tables.size() == 17);
    for (const auto& t : report.tables) CHECK(t.target_rows > 0);
    auto layouts = store::live_data_layouts(source.conn());
    for (const auto& check : store::compare_databases(source.conn(), target.conn(), layouts, 1000)) {
        INFO(check.table);
        CHECK(check.ok());
    }
    store::Repository repo(target.conn());
    CHECK(repo.active_api_key(1)->ciphertext == test::all_byte_values());
    CHECK(repo.find_agent(1)->high_water_mark == test::kBigDecimal);
    CHECK(repo.add_notification(1, "system", "after the restore", std::nullopt) == 201);
    test::run(target.conn(), "INSERT INTO audit_log (actor, action) VALUES (?, ?)",
              {std::string("t"), std::string("x")});
    CHECK(target.conn().last_insert_id() == test::kAuditNextId);
}

TEST_CASE("a backup of SQLite restores into the backend under test and back without a change",
          "[data][backup]") {
    test::SqliteFile original;
    test::populate(*original.open());
    test::SqliteFile out;
    const auto first = store::create_backup(original.settings(), out.dir().string(), 0);
    test::ScratchStore middle;
    REQUIRE(restore(first.path, middle.conn()).ok());
    std::this_thread::sleep_for(
        std::chrono::milliseconds(1100));  // backup names have a one-second resolution
    const auto second = store::create_backup(middle.settings(), out.dir().string(), 0);
    test::SqliteFile again;
    auto conn = again.open();
    REQUIRE(restore(second.path, *conn).ok());
    for (std::size_t i = 0; i < first.manifest.tables.size(); ++i) {
        INFO(first.manifest.tables[i].name);
        CHECK(first.manifest.tables[i].checksum == second.manifest.tables[i].checksum);
        CHECK(first.manifest.tables[i].next_id == second.manifest.tables[i].next_id);
    }
    auto src = original.open(true);
    for (const auto& check : store::compare_databases(*src, *conn, store::live_data_layouts(*src), 1000))
        CHECK(check.ok());
}

TEST_CASE("a damaged or truncated backup is refused before anything is written", "[data][backup]") {
    test::SqliteFile source;
    test::populate(*source.open());
    test::SqliteFile out;
    const auto backup = store::create_backup(source.settings(), out.dir().string(), 0);
    const std::string good = read_file(backup.path);
    const fs::path sidecar = backup.path + ".sha256";
    const std::string sidecar_text = read_file(sidecar);
    test::ScratchStore target;

    auto refused = [&](const std::string& bytes, bool with_sidecar) {
        write_file(backup.path, bytes);
        if (with_sidecar)
            write_file(sidecar, sidecar_text);
        else
            fs::remove(sidecar);
        const std::string message = corrupt_message(backup.path);
        CHECK_THROWS_AS(restore(backup.path, target.conn()), store::CorruptBackup);
        CHECK(store::schema_version(target.conn()) == 0);  // not even migrated
        CHECK(target.conn().table_names().empty());
        return message;
    };
    SECTION("one flipped byte, with and without the sidecar") {
        for (std::size_t at : {std::size_t{3}, std::size_t{40}, good.size() / 3, good.size() / 2,
                               good.size() - 30, good.size() - 6, good.size() - 1}) {
            std::string bad = good;
            bad[at] = static_cast<char>(bad[at] ^ 0x10);
            INFO("byte " << at << " of " << good.size());
            CHECK_THAT(refused(bad, true), Catch::Contains("does not match the SHA-256"));
            CHECK_THAT(refused(bad, false), Catch::Contains(backup.path));
        }
    }
    SECTION("truncated") {
        for (std::size_t size : {std::size_t{0}, std::size_t{10}, good.size() / 2, good.size() - 1}) {
            INFO("cut to " << size << " bytes");
            CHECK_THAT(refused(good.substr(0, size), false), Catch::Contains("truncated"));
        }
    }
    SECTION("not a backup at all") {
        CHECK_THAT(refused("tradingd-backup 1\n{}\n", false), Catch::Contains("corrupt"));
    }
    SECTION("the intact file is accepted") {
        write_file(backup.path, good);
        CHECK(restore(backup.path, target.conn()).ok());
    }
}

TEST_CASE("restore refuses a non-empty database unless told to replace it", "[data][backup]") {
    test::SqliteFile source;
    test::populate(*source.open());
    test::SqliteFile out;
    const auto backup = store::create_backup(source.settings(), out.dir().string(), 0);
    test::ScratchStore target;
    store::migrate(target.conn());
    store::Repository(target.conn()).create_user("keep@example.com", "h", "agent");
    CHECK_THROWS_WITH(restore(backup.path, target.conn()), Catch::Contains("--replace"));
    CHECK(store::Repository(target.conn()).find_user_by_email("keep@example.com").has_value());
    CHECK(restore(backup.path, target.conn(), true).ok());
    CHECK_FALSE(store::Repository(target.conn()).find_user_by_email("keep@example.com").has_value());
}

TEST_CASE("a load killed halfway leaves its target marked unfinished until a load verifies", "[data][backup]") {
    test::SqliteFile source;
    test::populate(*source.open());
    test::SqliteFile out;
    const auto backup = store::create_backup(source.settings(), out.dir().string(), 0);
    test::ScratchStore target;
    // What a `db restore` killed with SIGKILL after its first batch leaves: the mark, the schema, some rows,
    // and no cleanup (no handler ran).
    store::prepare_target(target.conn(), store::verify_backup(backup.path).schema_version, false,
                          "restore of " + backup.path);
    store::Repository(target.conn()).create_user("partial@example.com", "h", "agent");
    const auto mark = store::unfinished_load(target.conn());
    REQUIRE(mark.has_value());
    CHECK_THAT(*mark, Catch::Contains("restore of " + backup.path) && Catch::Contains("started"));
    // The same restore again needs no --replace: the rows are known to be partial.
    CHECK(restore(backup.path, target.conn()).ok());
    CHECK_FALSE(store::unfinished_load(target.conn()).has_value());
    CHECK_FALSE(store::Repository(target.conn()).find_user_by_email("partial@example.com").has_value());
    // Data that did not verify keeps the mark.
    store::prepare_target(target.conn(), store::latest_schema_version(), true, "copy from somewhere");
    store::TransferReport mismatch{store::latest_schema_version(), {{"users", 3, 2, "a", "a"}}};
    store::finish_load(target.conn(), mismatch);
    CHECK(store::unfinished_load(target.conn()).has_value());
}

TEST_CASE("a backup of an older schema restores at that version, ready for db migrate", "[data][backup]") {
    test::SqliteFile old;
    {
        auto conn = old.open();
        store::migrate(*conn, 1);
        store::Repository(*conn).create_user("v1@example.com", "h", "admin");
    }
    test::SqliteFile out;
    const auto backup = store::create_backup(old.settings(), out.dir().string(), 0);
    CHECK(backup.manifest.schema_version == 1);
    test::ScratchStore target;
    CHECK(restore(backup.path, target.conn()).ok());
    CHECK(store::schema_version(target.conn()) == 1);
    store::migrate(target.conn());
    CHECK(store::Repository(target.conn()).find_user_by_email("v1@example.com").has_value());
}

TEST_CASE("a backup taken while another connection writes is consistent", "[data][backup]") {
    test::ScratchStore source;
    test::populate(source.conn());
    std::atomic<bool> stop{false};
    std::atomic<int> written{0}, failures{0};
    std::thread writer([&] {
        auto conn = source.open();
        store::Repository repo(*conn);
        while (!stop) {
            try {
                repo.append_event(1, "live", "{}");
                ++written;
            } catch (const store::Error&) {
                ++failures;
            }
        }
    });
    while (written < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    test::SqliteFile out;
    const auto backup = store::create_backup(source.settings(), out.dir().string(), 0);
    stop = true;
    writer.join();
    CHECK(failures == 0);  // the backup never blocked the writer long enough to fail it
    test::ScratchStore target;
    CHECK(restore(backup.path, target.conn()).ok());
    const auto events = store::count_rows(target.conn(), *store::catalog_table("events"));
    CHECK(events > test::kEvents);
    CHECK(events <= test::kEvents + written);
}

TEST_CASE("retention keeps the newest N backups and nothing else is touched", "[data][backup]") {
    test::SqliteFile dir;
    for (const char* name : {"tradingd-20250101T000000Z.tdbak", "tradingd-20250102T000000Z.tdbak",
                             "tradingd-20250103T000000Z.tdbak", "tradingd-20250104T000000Z.tdbak",
                             "tradingd-20250101T000000Z.tdbak.sha256", "tradingd-latest.tdbak", "notes.txt"})
        write_file(dir.dir() / name, "x");
    const auto removed = store::prune_backups(dir.dir().string(), 2);
    CHECK(removed ==
          std::vector<std::string>{"tradingd-20250102T000000Z.tdbak", "tradingd-20250101T000000Z.tdbak"});
    CHECK(fs::exists(dir.dir() / "tradingd-20250104T000000Z.tdbak"));
    CHECK(fs::exists(dir.dir() / "tradingd-20250103T000000Z.tdbak"));
    CHECK_FALSE(fs::exists(dir.dir() / "tradingd-20250101T000000Z.tdbak.sha256"));
    CHECK(fs::exists(dir.dir() / "tradingd-latest.tdbak"));
    CHECK(fs::exists(dir.dir() / "notes.txt"));
}
