// The table catalog against the live schema, value normalisation, and `db copy` from a SQLite file into the
// backend under test (SQLite → MariaDB on the mysql run): every table, exact values, counters, refusals.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "data_fixture.h"
#include "store/checksum.h"
#include "store/copy.h"
#include "store/migrations.h"
#include "store/repository.h"
#include "store_fixture.h"

using namespace tradingd;

namespace {

// What the live column's SQL type says its kind must be. MySQL types are exact; SQLite only has affinities,
// so booleans and enums are recognised by their CHECK constraints.
bool kind_fits(store::Connection& conn, std::string_view table, const store::ColumnSpec& column) {
    using K = store::ColumnKind;
    const std::string name(column.name);
    if (conn.backend() == store::Backend::mysql) {
        auto st = conn.prepare(
            "SELECT data_type, column_type FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?");
        st->bind_all(std::string(table), name);
        REQUIRE(st->step());
        const std::string type = st->get_text(0), full = st->get_text(1);
        switch (column.kind) {
            case K::integer:
                return type == "int" || type == "bigint";
            case K::boolean:
                return full == "tinyint(1)";
            case K::decimal:
                return type == "decimal";
            case K::timestamp:
                return type == "timestamp" || type == "datetime";
            case K::enumeration:
                return type == "enum";
            case K::blob:
                return type == "varbinary" || type == "blob" || type == "mediumblob";
            case K::text:
                return type == "varchar" || type == "char" || type == "text" || type == "mediumtext";
        }
        return false;
    }
    auto st = conn.prepare("SELECT type FROM pragma_table_info(?) WHERE name = ?");
    st->bind_all(std::string(table), name);
    REQUIRE(st->step());
    const std::string type = st->get_text(0);
    auto sql = conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?");
    sql->bind_all(std::string(table));
    REQUIRE(sql->step());
    const std::string ddl = sql->get_text(0);
    const bool boolean_check = ddl.find("CHECK (" + name + " IN (0, 1))") != std::string::npos;
    const bool enum_check = ddl.find("CHECK (" + name + " IN ('") != std::string::npos;
    switch (column.kind) {
        case K::integer:
            return type == "INTEGER" && !boolean_check;
        case K::boolean:
            return type == "INTEGER" && boolean_check;
        case K::enumeration:
            return type == "TEXT" && enum_check;
        case K::blob:
            return type == "BLOB";
        case K::decimal:
        case K::timestamp:
        case K::text:
            return type == "TEXT" && !enum_check;
    }
    return false;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string one_text(store::Connection& conn, const std::string& sql, std::int64_t id) {
    auto st = conn.prepare(sql);
    st->bind_all(id);
    REQUIRE(st->step());
    return st->is_null(0) ? "<NULL>" : st->get_text(0);
}

// A populated SQLite source, closed again so that its file is complete on disk.
struct PopulatedSource {
    test::SqliteFile file;
    PopulatedSource() { test::populate(*file.open()); }
};

store::TransferReport copy_into(const PopulatedSource& source, store::Connection& target,
                                bool replace = false) {
    auto conn = source.file.open(true);
    return store::copy_database(*conn, target, {replace, 700, {}});
}

}  // namespace

TEST_CASE("the table catalog lists every table and column of a freshly migrated database",
          "[data][catalog]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    std::vector<std::string> catalog;
    for (const auto& t : store::table_catalog()) catalog.emplace_back(t.name);
    std::vector<std::string> live = s.conn().table_names();
    std::sort(catalog.begin(), catalog.end());
    // A migration that adds a table must add it to table_catalog.cpp too (in dependency order).
    CHECK(live == catalog);
    for (const auto& table : store::table_catalog()) {
        INFO("table " << table.name);
        std::vector<std::string> expected;
        for (const auto& c : table.columns) expected.emplace_back(c.name);
        CHECK(store::live_columns(s.conn(), table) == expected);
        for (const auto& c : table.columns) {
            INFO("column " << c.name << " declared " << store::kind_name(c.kind));
            CHECK(kind_fits(s.conn(), table.name, c));
        }
    }
}

TEST_CASE("the catalog puts every parent table before its children", "[data][catalog]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    auto position = [](std::string_view name) {
        auto all = store::table_catalog();
        return std::find_if(all.begin(), all.end(), [&](auto& t) { return t.name == name; }) - all.begin();
    };
    const bool mysql = s.conn().backend() == store::Backend::mysql;
    auto st = s.conn().prepare(
        mysql ? "SELECT table_name, referenced_table_name FROM information_schema.key_column_usage "
                "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL"
              : "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
                "WHERE m.type = 'table'");
    int edges = 0;
    while (st->step()) {
        INFO(st->get_text(0) << " references " << st->get_text(1));
        CHECK(position(st->get_text(1)) < position(st->get_text(0)));
        ++edges;
    }
    CHECK(edges >= 13);
}

TEST_CASE("decimals, booleans and timestamps normalise to one form", "[data]") {
    CHECK(store::canonical_decimal("1.500000000000000000") == "1.5");
    CHECK(store::canonical_decimal("0001.50") == "1.5");
    CHECK(store::canonical_decimal("-0.000") == "0");
    CHECK(store::canonical_decimal("+7") == "7");
    CHECK(store::canonical_decimal(".5") == "0.5");
    CHECK(store::canonical_decimal("1e-3") == "0.001");
    CHECK(store::canonical_decimal("-1.25E+2") == "-125");
    CHECK(store::canonical_decimal(test::kBigDecimal) == test::kBigDecimal);
    CHECK(store::canonical_decimal("not a number") == "not a number");
    CHECK(store::normalize_cell(store::ColumnKind::timestamp, std::string("2025-01-02T03:04:05Z")) ==
          "2025-01-02 03:04:05");
    CHECK(store::normalize_cell(store::ColumnKind::boolean, std::string("1")) == "1");
    CHECK_FALSE(store::normalize_cell(store::ColumnKind::decimal, std::nullopt).has_value());
}

TEST_CASE("db copy moves every table with equal row counts and checksums", "[data][copy]") {
    PopulatedSource source;
    test::ScratchStore target;
    const auto report = copy_into(source, target.conn());
    CHECK(report.ok());
    CHECK(report.schema_version == store::latest_schema_version());
    REQUIRE(report.tables.size() == 17);
    for (const auto& t : report.tables) {
        INFO(t.table);
        CHECK(t.source_rows > 0);
        CHECK(t.source_rows == t.target_rows);
        CHECK(t.source_checksum == t.target_checksum);
    }
    auto& c = target.conn();
    CHECK(store::count_rows(c, *store::catalog_table("events")) == test::kEvents);
    CHECK(store::count_rows(c, *store::catalog_table("scan_results")) == test::kScanResults);
    // Values read back exactly: decimals, unicode, NULLs, bytes, booleans, ids.
    store::Repository repo(c);
    CHECK(repo.find_agent(1)->high_water_mark == test::kBigDecimal);
    CHECK(repo.find_agent(1)->display_name == "Anna 🚀 Ünïcödé");
    CHECK_FALSE(repo.find_agent(1)->telegram_chat_id.has_value());
    CHECK(repo.active_api_key(1)->ciphertext == test::all_byte_values());
    CHECK(repo.find_user_by_email("émile.🚀@example.com")->status == "pending");
    CHECK(repo.find_user(1)->created_at == "2025-01-02 03:04:05");
    auto notes = repo.notifications(2, false, 500);
    REQUIRE(notes.size() == 100);
    CHECK(notes.back().title == test::kEmojiTitle + " #1");
    CHECK(one_text(c, "SELECT message FROM notifications WHERE id = ?", 3) == "<NULL>");
    CHECK(one_text(c, "SELECT message FROM notifications WHERE id = ?", 1) ==
          "line 1\nline 2\t'quoted' \"double\" \\ 😀");
    CHECK(store::canonical_decimal(one_text(c, "SELECT exit_price FROM positions WHERE id = ?", 3)) ==
          "-" + test::kBigDecimal);
    CHECK(store::canonical_decimal(one_text(c, "SELECT realized_pnl FROM positions WHERE id = ?", 3)) ==
          "-12.03");
    CHECK(store::canonical_decimal(one_text(c, "SELECT quantity FROM orders WHERE id = ?", 1)) == "0.001");
    CHECK(one_text(c, "SELECT reduce_only FROM orders WHERE id = ?", 1) == "1");
    CHECK(one_text(c, "SELECT order_id FROM trades WHERE id = ?", 4) == "<NULL>");
}

TEST_CASE("db copy leaves the SQLite source file untouched", "[data][copy]") {
    PopulatedSource source;
    const std::string before = file_bytes(source.file.path());
    const auto mtime = std::filesystem::last_write_time(source.file.path());
    test::ScratchStore target;
    CHECK(copy_into(source, target.conn()).ok());
    CHECK(file_bytes(source.file.path()) == before);
    CHECK(std::filesystem::last_write_time(source.file.path()) == mtime);
    auto writer = source.file.open(true);
    CHECK_THROWS(
        writer->prepare("DELETE FROM events")->step());  // the copy's connection could not write either
}

TEST_CASE("auto-increment counters continue after a copy, past deleted ids", "[data][copy]") {
    PopulatedSource source;
    test::ScratchStore target;
    REQUIRE(copy_into(source, target.conn()).ok());
    store::Repository repo(target.conn());
    CHECK(repo.add_notification(1, "system", "after the copy", std::nullopt) == 201);
    CHECK(repo.append_event(std::nullopt, "k", "{}") == test::kEvents + 1);
    CHECK(repo.create_user("new@example.com", "h", "agent") == 4);
    // audit_log id 6 was deleted in the source: SQLite's AUTOINCREMENT never hands it out again, nor may the
    // copy.
    test::run(target.conn(), "INSERT INTO audit_log (actor, action) VALUES (?, ?)",
              {std::string("t"), std::string("x")});
    CHECK(target.conn().last_insert_id() == test::kAuditNextId);
}

TEST_CASE("db copy refuses a non-empty target unless told to replace it", "[data][copy]") {
    PopulatedSource source;
    test::ScratchStore target;
    store::migrate(target.conn());
    store::Repository(target.conn()).create_user("someone@example.com", "h", "admin");
    CHECK_THROWS_WITH(copy_into(source, target.conn()),
                      Catch::Contains("not empty") && Catch::Contains("--replace"));
    CHECK(store::Repository(target.conn()).find_user_by_email("someone@example.com").has_value());
    const auto report = copy_into(source, target.conn(), true);
    CHECK(report.ok());
    CHECK_FALSE(store::Repository(target.conn()).find_user_by_email("someone@example.com").has_value());
}

TEST_CASE("db copy refuses a source that is not at the latest schema version", "[data][copy]") {
    test::SqliteFile old;
    store::migrate(*old.open(), 1);
    test::ScratchStore target;
    auto source = old.open(true);
    CHECK_THROWS_WITH(store::copy_database(*source, target.conn(), {}), Catch::Contains("db migrate"));
    CHECK(store::schema_version(target.conn()) == 0);  // nothing was created in the target
}

TEST_CASE("a checksum changes when one value changes", "[data][copy]") {
    PopulatedSource source;
    test::ScratchStore target;
    REQUIRE(copy_into(source, target.conn()).ok());
    auto layout = store::TableLayout::full(*store::catalog_table("positions"));
    auto src = source.file.open(true);
    const auto before = store::digest_table(target.conn(), layout);
    CHECK(before.checksum == store::digest_table(*src, layout).checksum);
    test::run(target.conn(), "UPDATE positions SET entry_price = ? WHERE id = ?",
              {std::string("60017.51"), std::int64_t{17}});
    const auto after = store::digest_table(target.conn(), layout);
    CHECK(after.rows == before.rows);
    CHECK(after.checksum != before.checksum);
    const auto checks = store::compare_databases(*src, target.conn(), {layout}, 1000);
    CHECK_FALSE(checks.at(0).ok());
}

TEST_CASE("what the target cannot hold exactly fails the copy loudly, never silently", "[data][copy]") {
    test::ScratchStore target;
    const bool mysql = target.conn().backend() == store::Backend::mysql;
    PopulatedSource source;
    SECTION("a 19th decimal place: MySQL rounds it with only a note, so the checksums must differ") {
        test::run(*source.file.open(), "UPDATE agents SET high_water_mark = ? WHERE id = ?",
                  {std::string("0.1234567890123456789"), std::int64_t{1}});
        const auto report = copy_into(source, target.conn());
        CHECK(report.ok() == !mysql);
        for (const auto& t : report.tables) CHECK(t.ok() == (t.table != "agents" || !mysql));
    }
    SECTION("bytes that are not UTF-8 in a text column: MySQL refuses them, and the error names the row") {
        test::run(*source.file.open(), "UPDATE notifications SET title = ? WHERE id = ?",
                  {std::string("bad \xff\xfe bytes"), std::int64_t{5}});
        if (mysql) {
            CHECK_THROWS_WITH(copy_into(source, target.conn()),
                              Catch::Contains("notifications row id=5") && Catch::Contains("emptied again"));
            CHECK_FALSE(store::first_table_with_rows(target.conn()).has_value());
        } else {
            CHECK(copy_into(source, target.conn()).ok());
        }
    }
}
