// The read-only switch the daemon's maintenance mode relies on (every write refused, reads and read
// transactions still served, on both backends and across a MySQL reconnect), and `db copy` reading its
// source inside one snapshot while someone else writes to it.
#include <catch2/catch.hpp>

#include "data_fixture.h"
#include "store/checksum.h"
#include "store/copy.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/repository.h"
#include "store_fixture.h"

using namespace tradingd;

namespace {

std::int64_t users(store::Connection& conn) {
    auto st = conn.prepare("SELECT COUNT(*) FROM users");
    REQUIRE(st->step());
    return st->get_int(0);
}

store::ErrorKind write_failure(store::Connection& conn, const std::string& sql) {
    try {
        conn.prepare(sql)->step();
    } catch (const store::Error& e) {
        return e.kind();
    }
    FAIL("the write was not refused: " << sql);
    return store::ErrorKind::other;
}

}  // namespace

TEST_CASE("a read-only connection refuses every write and keeps serving reads", "[store][read_only]") {
    test::ScratchStore db;
    auto& conn = db.conn();
    store::migrate(conn, store::latest_schema_version());
    store::Repository repo(conn);
    repo.create_user("first@example.com", "hash", "admin", "active");
    REQUIRE_FALSE(conn.read_only());

    conn.set_read_only(true);
    CHECK(conn.read_only());
    CHECK(write_failure(conn,
                        "INSERT INTO users (email, password_hash, role, status) VALUES "
                        "('x@example.com', 'h', 'agent', 'active')") == store::ErrorKind::read_only);
    CHECK(write_failure(conn, "UPDATE users SET status = 'disabled'") == store::ErrorKind::read_only);
    CHECK(write_failure(conn, "DELETE FROM users") == store::ErrorKind::read_only);
    CHECK_THROWS_AS(repo.create_user("second@example.com", "hash", "agent", "active"), store::Error);
    {
        // A transaction still opens (handlers read inside one); a write inside it is refused all the same.
        store::Transaction tx(conn);
        CHECK(repo.find_user_by_email("first@example.com").has_value());
        CHECK(write_failure(conn, "UPDATE users SET status = 'disabled'") == store::ErrorKind::read_only);
    }
    conn.begin();
    CHECK_THROWS_AS(conn.set_read_only(false), store::Error);  // the mode changes between transactions
    conn.rollback();
    auto other = db.open();
    CHECK(users(*other) == 1);
    CHECK(store::Repository(*other).find_user_by_email("first@example.com")->status == "active");

    conn.set_read_only(false);
    CHECK_FALSE(conn.read_only());
    repo.create_user("third@example.com", "hash", "agent", "active");
    CHECK(users(*other) == 2);
}

TEST_CASE("mysql: a read-only connection stays read-only after a reconnect", "[mysql][read_only]") {
    if (test::backend_under_test() != store::Backend::mysql) return;
    test::ScratchStore db;
    auto& conn = db.conn();
    store::migrate(conn, store::latest_schema_version());
    conn.set_read_only(true);
    auto id = conn.prepare("SELECT CONNECTION_ID()");
    REQUIRE(id->step());
    const auto before = id->get_int(0);
    id->reset();
    db.open()->prepare("KILL ?")->bind_all(before).step();
    CHECK(users(conn) == 0);  // a read reconnects transparently
    REQUIRE(id->step());
    CHECK(id->get_int(0) != before);
    id->reset();
    CHECK(write_failure(conn,
                        "INSERT INTO users (email, password_hash, role, status) VALUES "
                        "('x@example.com', 'h', 'agent', 'active')") == store::ErrorKind::read_only);
    CHECK(users(*db.open()) == 0);
}

TEST_CASE("db copy reads its source in one snapshot while another connection writes to it", "[data][copy]") {
    test::SqliteFile source;
    test::populate(*source.open());
    auto writer = source.open();
    const auto notifications = store::count_rows(*writer, *store::catalog_table("notifications"));
    test::ScratchStore target;
    auto reader = source.open(true);
    int writes = 0;
    store::TransferOptions options{false, 500, {}};
    // After each batch of any table: one new notification and one deleted event, committed at once (a
    // daemon that was not stopped). None of it may reach the target, and the verification must still match.
    options.progress = [&](std::string_view, std::int64_t, std::int64_t) {
        store::Transaction tx(*writer);
        store::Repository(*writer).add_notification(1, "system", "written during the copy", "");
        writer->prepare("DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)")->step();
        tx.commit();
        ++writes;
    };
    const auto report = store::copy_database(*reader, target.conn(), options);
    REQUIRE(writes > 10);
    CHECK(report.ok());
    CHECK(store::count_rows(target.conn(), *store::catalog_table("notifications")) == notifications);
    CHECK(store::count_rows(target.conn(), *store::catalog_table("events")) == test::kEvents);
    CHECK(store::count_rows(*writer, *store::catalog_table("notifications")) == notifications + writes);
    CHECK(store::count_rows(*writer, *store::catalog_table("events")) == test::kEvents - writes);
}
