// Migrations are append-only: an old database upgraded step by step must end up identical to a fresh one,
// and an edited or newer schema is refused. Runs on both backends.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/migrations.h"
#include "store/migrator.h"
#include "store_fixture.h"

using namespace tradingd;

namespace {

std::string read_fixture(const std::string& name) {
    std::ifstream f(std::filesystem::path(TRADINGD_SOURCE_DIR) / "tests" / "fixtures" / name);
    REQUIRE(f);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string dialect() {
    return test::backend_under_test() == store::Backend::mysql ? "mysql" : "sqlite";
}

}  // namespace

TEST_CASE("every migration exists for both dialects with the same numbers and names", "[migrations]") {
    auto sqlite = store::migrations_for(store::Backend::sqlite);
    auto mysql = store::migrations_for(store::Backend::mysql);
    REQUIRE(sqlite.size() == mysql.size());
    REQUIRE(static_cast<int>(sqlite.size()) == store::latest_schema_version());
    for (std::size_t i = 0; i < sqlite.size(); ++i) {
        CHECK(sqlite[i].version == static_cast<int>(i + 1));
        CHECK(mysql[i].version == sqlite[i].version);
        CHECK(mysql[i].name == sqlite[i].name);
    }
}

TEST_CASE("upgrading one version at a time gives the same schema as a fresh install", "[migrations]") {
    test::ScratchStore fresh;
    store::migrate(fresh.conn());

    test::ScratchStore stepwise;
    for (int v = 1; v <= store::latest_schema_version(); ++v) {
        auto conn = stepwise.open();  // a new process per upgrade, as in real life
        auto applied = store::migrate(*conn, v);
        CHECK(applied == std::vector<int>{v});
        CHECK(store::schema_version(*conn) == v);
    }
    CHECK(stepwise.conn().schema_fingerprint() == fresh.conn().schema_fingerprint());
}

TEST_CASE("a frozen version-1 database upgrades to the same schema as a fresh install", "[migrations]") {
    test::ScratchStore old_install;
    old_install.conn().exec_script(read_fixture("schema_v1/" + dialect() + ".sql"));
    REQUIRE(store::schema_version(old_install.conn()) == 1);
    // Fails if migration 0001 was edited after release: its checksum no longer matches the installed one.
    store::migrate(old_install.conn());
    CHECK(store::schema_version(old_install.conn()) == store::latest_schema_version());

    test::ScratchStore fresh;
    store::migrate(fresh.conn());
    CHECK(old_install.conn().schema_fingerprint() == fresh.conn().schema_fingerprint());
}

TEST_CASE("a migration edited after it was applied is refused", "[migrations]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    s.conn().prepare("UPDATE schema_version SET checksum = 'edited' WHERE version = 1")->step();
    auto status = store::schema_status(s.conn());
    REQUIRE_FALSE(status.applied.empty());
    CHECK_FALSE(status.applied[0].checksum_matches);
    CHECK_THROWS_WITH(store::migrate(s.conn()), Catch::Contains("edited after it was applied"));
}

TEST_CASE("a database newer than the binary is refused", "[migrations]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    auto st =
        s.conn().prepare("INSERT INTO schema_version (version, name, checksum) VALUES (?, 'future', 'x')");
    st->bind_all(std::int64_t{store::latest_schema_version() + 1});
    st->step();
    CHECK(store::schema_version(s.conn()) == store::latest_schema_version() + 1);
    CHECK_THROWS_WITH(store::migrate(s.conn()), Catch::Contains("newer than this binary"));
}

TEST_CASE("asking for a version beyond the latest is refused", "[migrations]") {
    test::ScratchStore s;
    CHECK_THROWS_WITH(store::migrate(s.conn(), store::latest_schema_version() + 1),
                      Catch::Contains("beyond"));
    CHECK(store::schema_version(s.conn()) == 0);
}
