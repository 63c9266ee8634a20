// MySQL/MariaDB-specific behaviour of the store backend: reconnects, encodings, exact decimals, error kinds.
// Backend-independent behaviour is covered by the shared store tests.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "mysql_test_env.h"
#include "store/open.h"

using tradingd::store::Blob;
using tradingd::store::Connection;
using tradingd::store::Error;
using tradingd::store::ErrorKind;
using tradingd::store::Transaction;
using tradingd::test::ScratchMysqlDatabase;

#define SKIP_WITHOUT_MARIADB()                                                     \
    if (!tradingd::test::mysql_test_env_available()) {                             \
        WARN("MariaDB not configured (TRADINGD_TEST_MYSQL_HOST unset): skipping"); \
        return;                                                                    \
    }

namespace {

std::int64_t connection_id(Connection& conn) {
    auto st = conn.prepare("SELECT CONNECTION_ID()");
    REQUIRE(st->step());
    return st->get_int(0);
}

void kill_connection(const ScratchMysqlDatabase& db, std::int64_t id) {
    auto killer = db.open();
    killer->prepare("KILL ?")->bind_all(id).step();
}

ErrorKind kind_of_failure(Connection& conn, const std::string& sql) {
    try {
        auto st = conn.prepare(sql);
        st->step();
    } catch (const Error& e) {
        return e.kind();
    }
    FAIL("no error from: " << sql);
    return ErrorKind::other;
}

}  // namespace

TEST_CASE("mysql: a failed login names neither the password nor succeeds", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    auto settings = *tradingd::test::mysql_test_settings();
    settings.password = "Wr0ng-Secret-4711";
    try {
        tradingd::store::open_mysql(settings);
        FAIL("login with a wrong password succeeded");
    } catch (const Error& e) {
        CHECK((e.kind() == ErrorKind::other || e.kind() == ErrorKind::connection));
        CHECK_THAT(e.what(), Catch::Contains("Access denied"));
        CHECK_THAT(e.what(), !Catch::Contains("Wr0ng-Secret-4711"));
    }
}

TEST_CASE("mysql: describe names user, host, port and database", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    const auto& s = db.settings();
    CHECK(db.open()->describe() ==
          "mysql://" + s.user + "@" + s.host + ":" + std::to_string(s.port) + "/" + db.name());
}

TEST_CASE("mysql: after a killed connection, reads retry transparently and writes never run twice", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE t (id INT PRIMARY KEY)");
    auto insert = conn->prepare("INSERT INTO t (id) VALUES (?)");
    insert->bind_all(std::int64_t{1}).step();
    auto count = conn->prepare("SELECT COUNT(*) FROM t");
    const auto before = connection_id(*conn);

    // A read is repeated on a new connection: the caller never notices.
    kill_connection(db, before);
    REQUIRE(count->step());
    CHECK(count->get_int(0) == 1);
    CHECK(connection_id(*conn) != before);
    // The new session got the same setup as the first one.
    auto zone =
        conn->prepare("SELECT @@session.time_zone, @@session.sql_mode, @@session.collation_connection");
    REQUIRE(zone->step());
    CHECK(zone->get_text(0) == "+00:00");
    CHECK_THAT(zone->get_text(1), Catch::Contains("STRICT_ALL_TABLES"));
    CHECK(zone->get_text(2) == "utf8mb4_unicode_ci");

    // A write that was sent when the connection died may have run: it is reported, never repeated blindly.
    kill_connection(db, connection_id(*conn));
    insert->bind_all(std::int64_t{2});
    bool reported = false;
    try {
        insert->step();
        CHECK(insert->affected_rows() == 1);  // the server told us it refused it first: safe to repeat
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::connection);
        reported = true;
    }
    // Either way the next statement runs on a fresh connection, and the row exists at most once.
    insert->bind_all(std::int64_t{3});
    CHECK_FALSE(insert->step());
    count->reset();
    REQUIRE(count->step());
    CHECK(count->get_int(0) == (reported ? 2 : 3));

    kill_connection(db, connection_id(*conn));
    CHECK(connection_id(*conn) > 0);  // a read reconnects
    conn->exec_script("INSERT INTO t (id) VALUES (4); INSERT INTO t (id) VALUES (5)");
    kill_connection(db, connection_id(*conn));
    CHECK(connection_id(*conn) > 0);
    Transaction tx(*conn);
    insert->bind_all(std::int64_t{6}).step();
    tx.commit();
    count->reset();
    REQUIRE(count->step());
    CHECK(count->get_int(0) == (reported ? 5 : 6));
}

TEST_CASE("mysql: a killed connection inside a transaction fails with a connection error", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB");
    auto insert = conn->prepare("INSERT INTO t (id) VALUES (?)");
    {
        Transaction tx(*conn);
        insert->bind_all(std::int64_t{1}).step();
        kill_connection(db, connection_id(*conn));
        insert->bind_all(std::int64_t{2});
        try {
            insert->step();
            FAIL("a statement on a killed connection inside a transaction succeeded");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::connection);
        }
        CHECK(conn->in_transaction());  // still the caller's to end, and ending it must not throw
    }
    CHECK_FALSE(conn->in_transaction());
    auto count = conn->prepare("SELECT COUNT(*) FROM t");
    REQUIRE(count->step());
    CHECK(count->get_int(0) == 0);  // the uncommitted row died with the connection
}

TEST_CASE("mysql: text with emoji survives a round trip as utf8mb4", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE notes (body VARCHAR(32) NOT NULL)");
    const std::string text = "to the moon \xF0\x9F\x9A\x80 \xE2\x9C\x93";  // rocket (4 bytes), check mark (3)
    conn->prepare("INSERT INTO notes (body) VALUES (?)")->bind_all(text).step();
    auto st = conn->prepare("SELECT body, CHAR_LENGTH(body), LENGTH(body) FROM notes");
    REQUIRE(st->step());
    CHECK(st->get_text(0) == text);
    CHECK(st->get_int(1) == 15);  // one character each, not mojibake
    CHECK(st->get_int(2) == static_cast<std::int64_t>(text.size()));
}

TEST_CASE("mysql: blobs keep embedded NUL bytes, empty and large values", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE secrets (id INT PRIMARY KEY, data LONGBLOB)");
    Blob small{{0x00, 0x01, 0xFF, 0x00, 'a', 0x00}};
    Blob empty{};
    Blob large;
    for (int i = 0; i < 200000; ++i) large.bytes.push_back(static_cast<std::uint8_t>(i * 7919 % 251));
    auto insert = conn->prepare("INSERT INTO secrets (id, data) VALUES (?, ?)");
    insert->bind_all(std::int64_t{1}, small).step();
    insert->bind_all(std::int64_t{2}, empty).step();
    insert->bind_all(std::int64_t{3}, large).step();
    insert->bind_all(std::int64_t{4}, nullptr).step();

    auto st = conn->prepare("SELECT data FROM secrets ORDER BY id");
    REQUIRE(st->step());
    CHECK(st->get_blob(0) == small);
    REQUIRE(st->step());
    CHECK_FALSE(st->is_null(0));
    CHECK(st->get_blob(0) == empty);
    REQUIRE(st->step());
    CHECK(st->get_blob(0) == large);
    REQUIRE(st->step());
    CHECK(st->is_null(0));
    CHECK_FALSE(st->step());
}

TEST_CASE("mysql: DECIMAL(36,18) keeps every digit and its text form", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE balances (id INT PRIMARY KEY, amount DECIMAL(36,18) NOT NULL)");
    auto insert = conn->prepare("INSERT INTO balances (id, amount) VALUES (?, ?)");
    insert->bind_all(std::int64_t{1}, std::string("123456789012345678.123456789012345678")).step();
    insert->bind_all(std::int64_t{2}, std::string("1.5")).step();
    auto st = conn->prepare("SELECT amount, amount * 2 FROM balances ORDER BY id");
    REQUIRE(st->step());
    CHECK(st->get_text(0) == "123456789012345678.123456789012345678");
    CHECK(st->get_text(1) == "246913578024691356.246913578024691356");
    REQUIRE(st->step());
    CHECK(st->get_text(0) == "1.500000000000000000");
    CHECK(st->get_double(0) == 1.5);
}

TEST_CASE("mysql: DATETIME and TIMESTAMP come back as UTC text", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE events (at DATETIME NOT NULL, stamped TIMESTAMP NOT NULL)");
    conn->prepare("INSERT INTO events (at, stamped) VALUES (?, ?)")
        ->bind_all(std::string("2024-02-29 23:59:58"), std::string("2024-03-01 00:00:01"))
        .step();
    auto st = conn->prepare("SELECT at, stamped, UTC_TIMESTAMP() = NOW() FROM events");
    REQUIRE(st->step());
    CHECK(st->get_text(0) == "2024-02-29 23:59:58");
    CHECK(st->get_text(1) == "2024-03-01 00:00:01");
    CHECK(st->get_int(2) == 1);
}

TEST_CASE("mysql: one prepared statement runs many times and UPDATE counts matched rows", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty DOUBLE NOT NULL)");
    auto insert = conn->prepare("INSERT INTO orders (qty) VALUES (?)");
    for (int i = 1; i <= 50; ++i) {
        insert->bind_all(0.1 * i);
        CHECK_FALSE(insert->step());
        CHECK(conn->last_insert_id() == i);
    }
    auto update = conn->prepare("UPDATE orders SET qty = ? WHERE id = ?");
    update->bind_all(0.1, std::int64_t{1}).step();  // same value as before
    CHECK(update->affected_rows() == 1);
    auto select = conn->prepare("SELECT qty FROM orders WHERE id = ?");
    select->bind_all(std::int64_t{3});
    REQUIRE(select->step());
    CHECK(select->get_double(0) == 0.1 * 3);
}

TEST_CASE("mysql: failures map to error kinds", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script(R"(
        -- a parent and a child with every kind of constraint
        CREATE TABLE parent (id INT PRIMARY KEY);
        CREATE TABLE child (
            id INT PRIMARY KEY,
            parent_id INT NOT NULL,
            name VARCHAR(4) NOT NULL,
            qty INT NOT NULL CHECK (qty > 0),
            FOREIGN KEY (parent_id) REFERENCES parent (id)
        );
        INSERT INTO parent (id) VALUES (1);
        INSERT INTO child (id, parent_id, name, qty) VALUES (1, 1, 'a', 1);
    )");
    CHECK(kind_of_failure(*conn, "INSERT INTO parent (id) VALUES (1)") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "INSERT INTO child VALUES (2, 99, 'b', 1)") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "DELETE FROM parent") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "INSERT INTO child VALUES (2, 1, NULL, 1)") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "INSERT INTO child VALUES (2, 1, 'too long', 1)") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "INSERT INTO child VALUES (2, 1, 'b', 0)") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "INSERT INTO child VALUES (2, 1, 'b', 'many')") == ErrorKind::constraint);
    CHECK(kind_of_failure(*conn, "SELECT * FROM missing_table") == ErrorKind::schema);
    CHECK(kind_of_failure(*conn, "SELECT missing_column FROM parent") == ErrorKind::schema);
    CHECK(kind_of_failure(*conn, "SELEC 1") == ErrorKind::schema);
}

TEST_CASE("mysql: exec_script runs every statement and names the one that failed", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    ScratchMysqlDatabase db;
    auto conn = db.open();
    conn->exec_script(
        "CREATE TABLE a (id INT);\n-- comment; with a semicolon\nCREATE TABLE b (id INT);\n"
        "SELECT 1;\n-- trailing comment\n");
    CHECK(conn->table_names() == std::vector<std::string>{"a", "b"});
    try {
        conn->exec_script(
            "CREATE TABLE c (id INT);\nINSERT INTO c VALUES (1);\nINSERT INTO nowhere VALUES (1);\n"
            "CREATE TABLE d (id INT);");
        FAIL("a failing script succeeded");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::schema);
        CHECK_THAT(e.what(), Catch::Contains("statement 3"));
    }
    CHECK(conn->table_names() == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("mysql: the schema fingerprint is equal for equal schemas and differs otherwise", "[mysql]") {
    SKIP_WITHOUT_MARIADB();
    const std::string schema = R"(
        CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE,
                            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE bots (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL,
                           budget DECIMAL(36,18) NOT NULL CHECK (budget >= 0),
                           FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE);
        CREATE INDEX bots_by_user ON bots (user_id, budget);
    )";
    ScratchMysqlDatabase first;
    ScratchMysqlDatabase second;
    auto a = first.open();
    auto b = second.open();
    a->exec_script(schema);
    b->exec_script(schema);
    b->exec_script("INSERT INTO users (email) VALUES ('x@example.com')");  // data is not schema
    const std::string fingerprint = a->schema_fingerprint();
    CHECK(fingerprint == b->schema_fingerprint());
    CHECK_THAT(fingerprint, Catch::Contains("bots_by_user") && Catch::Contains("on_delete=CASCADE") &&
                                Catch::Contains("`budget` >= 0") && Catch::Contains("decimal(36,18)"));
    CHECK(fingerprint.find("bots") < fingerprint.find("users"));
    b->exec_script("ALTER TABLE bots ADD COLUMN note TEXT");
    CHECK(fingerprint != b->schema_fingerprint());
}
