// An interrupted or failed `db backup` / `db restore` never leaves a partial file under its final name, and
// cleans up its temporary files: the folder afterwards holds exactly what it held before.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "data_fixture.h"
#include "store/backup.h"
#include "store/repository.h"
#include "store_fixture.h"

using namespace tradingd;
namespace fs = std::filesystem;

namespace {

struct Interrupted : std::runtime_error {
    Interrupted() : std::runtime_error("interrupted by the test") {}
};

// Throws once `after` progress reports have come: what a Ctrl-C or a full disk does halfway through.
store::Progress interrupt_after(int after) {
    auto seen = std::make_shared<int>(0);
    return [seen, after](std::string_view, std::int64_t, std::int64_t) {
        if (++*seen > after) throw Interrupted();
    };
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

std::int64_t events_in(const std::string& sqlite_path) {
    store::SqliteSettings s{sqlite_path};
    auto conn = store::open_sqlite(s);
    auto st = conn->prepare("SELECT COUNT(*) FROM events");
    REQUIRE(st->step());
    return st->get_int(0);
}

}  // namespace

TEST_CASE("an interrupted backup leaves no file in the backup folder", "[data][backup]") {
    test::ScratchStore source;
    test::populate(source.conn());
    test::SqliteFile out;
    fs::create_directories(out.dir() / "backups");
    const auto before = names_in(out.dir() / "backups");
    CHECK_THROWS_AS(
        store::create_backup(source.settings(), (out.dir() / "backups").string(), 0, interrupt_after(2)),
        Interrupted);
    CHECK(names_in(out.dir() / "backups") == before);  // no .tdbak, no .partial, no snapshot
    // And an uninterrupted one afterwards writes exactly the backup and its sidecar.
    const auto ok = store::create_backup(source.settings(), (out.dir() / "backups").string(), 0);
    CHECK(names_in(out.dir() / "backups") ==
          std::set<std::string>{fs::path(ok.path).filename().string(),
                                fs::path(ok.path).filename().string() + ".sha256"});
}

TEST_CASE("an interrupted restore into SQLite leaves no database file, or the old one untouched",
          "[data][backup]") {
    test::ScratchStore source;
    test::populate(source.conn());
    test::SqliteFile work;
    const auto backup = store::create_backup(source.settings(), (work.dir() / "backups").string(), 0);
    const auto manifest = store::verify_backup(backup.path);
    const fs::path data = work.dir() / "data";
    fs::create_directories(data);
    store::SqliteSettings target{(data / "tradingd.db").string()};

    SECTION("into a new file") {
        CHECK_THROWS_WITH(store::restore_backup_to_sqlite_file(backup.path, manifest, target,
                                                               {false, 500, interrupt_after(3)}),
                          Catch::Contains("interrupted by the test"));
        CHECK(names_in(data).empty());
        // A partial file left by a restore that was killed (no cleanup ran) does not get in the way.
        std::ofstream(data / ".tradingd.db.restore-partial") << "garbage from a killed restore";
        const auto report =
            store::restore_backup_to_sqlite_file(backup.path, manifest, target, {false, 500, {}});
        CHECK(report.ok());
        CHECK(names_in(data) == std::set<std::string>{"tradingd.db"});
        CHECK(events_in(target.path) == test::kEvents);
    }

    SECTION("over an existing database with --replace") {
        {
            store::SqliteSettings create = target;
            create.create_if_missing = true;
            auto conn = store::open_sqlite(create);
            store::migrate(*conn);
            store::Repository(*conn).append_event(std::nullopt, "log", R"({"message":"the only event"})");
        }
        ::chmod(target.path.c_str(), 0640);
        const auto before = names_in(data);
        // Without --replace a database holding data is refused before anything is written.
        CHECK_THROWS_WITH(
            store::restore_backup_to_sqlite_file(backup.path, manifest, target, {false, 500, {}}),
            Catch::Contains("pass --replace"));
        CHECK_THROWS_WITH(store::restore_backup_to_sqlite_file(backup.path, manifest, target,
                                                               {true, 500, interrupt_after(3)}),
                          Catch::Contains("interrupted by the test"));
        CHECK(names_in(data) == before);
        CHECK(events_in(target.path) == 1);  // the old database, whole

        const auto report =
            store::restore_backup_to_sqlite_file(backup.path, manifest, target, {true, 500, {}});
        CHECK(report.ok());
        CHECK(events_in(target.path) == test::kEvents);
        CHECK(names_in(data) == before);
        CHECK((fs::status(target.path).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    }
}
