// Store behaviour every backend must share: one file, run once on SQLite and once on MariaDB.
#include <catch2/catch.hpp>

#include "store/migrations.h"
#include "store/migrator.h"
#include "store/repository.h"
#include "store_fixture.h"

using namespace tradingd;
using store::ErrorKind;

namespace {

struct Migrated : test::ScratchStore {
    Migrated() : repo(conn()) { store::migrate(conn()); }
    store::Repository repo;

    std::int64_t new_agent(const std::string& email) {
        auto user = repo.create_user(email, "hash", "agent");
        return repo.create_agent(user, "Agent " + email);
    }
};

ErrorKind kind_of_failure(const std::function<void()>& f) {
    try {
        f();
    } catch (const store::Error& e) {
        return e.kind();
    }
    FAIL("expected a store::Error");
    return ErrorKind::other;
}

}  // namespace

TEST_CASE("a fresh database migrates to the latest schema with every core table", "[store]") {
    test::ScratchStore s;
    CHECK(store::schema_version(s.conn()) == 0);
    auto applied = store::migrate(s.conn());
    CHECK(applied.size() == static_cast<std::size_t>(store::latest_schema_version()));
    CHECK(store::schema_version(s.conn()) == store::latest_schema_version());
    auto tables = s.conn().table_names();
    for (const char* t : {"users", "agents", "api_keys", "bots", "positions", "orders", "trades",
                          "notifications", "scan_results", "events", "schema_version"})
        CHECK(std::find(tables.begin(), tables.end(), t) != tables.end());
    CHECK(store::migrate(s.conn()).empty());  // a second run has nothing to do
    auto status = store::schema_status(s.conn());
    CHECK(status.up_to_date());
    CHECK(status.pending.empty());
    for (const auto& a : status.applied) CHECK(a.checksum_matches);
}

TEST_CASE("no money column is a binary float", "[store]") {
    Migrated m;
    auto fp = m.conn().schema_fingerprint();
    CHECK(fp.find(" REAL") == std::string::npos);
    CHECK(fp.find("float") == std::string::npos);
    CHECK(fp.find("double") == std::string::npos);
    CHECK(fp.find("FLOAT") == std::string::npos);
    CHECK(fp.find("DOUBLE") == std::string::npos);
}

TEST_CASE("users: created, found case-insensitively, duplicates refused", "[store]") {
    Migrated m;
    auto id = m.repo.create_user("Alice@Example.com", "h1", "admin");
    auto found = m.repo.find_user_by_email("alice@example.com");
    REQUIRE(found);
    CHECK(found->id == id);
    CHECK(found->role == "admin");
    CHECK(found->status == "active");
    CHECK(found->created_at.size() == 19);  // 'YYYY-MM-DD HH:MM:SS' on both backends
    CHECK(kind_of_failure([&] { m.repo.create_user("alice@example.com", "h2", "agent"); }) ==
          ErrorKind::constraint);
    CHECK(kind_of_failure([&] { m.repo.create_user("bob@example.com", "h", "superuser"); }) ==
          ErrorKind::constraint);
    CHECK_FALSE(m.repo.find_user(id + 1000));
}

TEST_CASE("foreign keys are enforced", "[store]") {
    Migrated m;
    CHECK(kind_of_failure([&] { m.repo.create_agent(9999, "ghost"); }) == ErrorKind::constraint);
    CHECK(kind_of_failure([&] { m.repo.add_notification(9999, "system", "t", std::nullopt); }) ==
          ErrorKind::constraint);
}

TEST_CASE("notifications: the roadmap's table, per-agent reads, unicode and NULL kept", "[store]") {
    Migrated m;
    auto a = m.new_agent("a@x.io");
    auto b = m.new_agent("b@x.io");
    auto n1 = m.repo.add_notification(a, "trade_open", "Opened BTCUSDT long \xF0\x9F\x9A\x80",
                                      std::string("Größe 0.01"));
    m.repo.add_notification(a, "risk_alert", "Margin low", std::nullopt);
    m.repo.add_notification(b, "billing", "Invoice", std::string("B's"));

    auto list = m.repo.notifications(a, false, 10);
    REQUIRE(list.size() == 2);
    CHECK(list[1].id == n1);
    CHECK(list[1].title == "Opened BTCUSDT long \xF0\x9F\x9A\x80");
    CHECK(list[1].message == std::optional<std::string>("Größe 0.01"));
    CHECK_FALSE(list[0].message);
    CHECK_FALSE(list[0].is_read);

    CHECK(m.repo.mark_notification_read(b, n1) == 0);  // agent b cannot touch agent a's row
    CHECK(m.repo.mark_notification_read(a, n1) == 1);
    CHECK(m.repo.mark_notification_read(a, n1) == 1);  // matched rows, the same on both backends
    CHECK(m.repo.notifications(a, true, 10).size() == 1);
    CHECK(m.repo.notifications(b, false, 10).size() == 1);

    CHECK(kind_of_failure([&] { m.repo.add_notification(a, "promo", "x", std::nullopt); }) ==
          ErrorKind::constraint);
    CHECK(kind_of_failure([&] {
              m.repo.add_notification(a, "system", std::string(201, 'x'), std::nullopt);
          }) == ErrorKind::constraint);
    CHECK(m.repo.add_notification(a, "system", std::string(200, 'x'), std::nullopt) > 0);
}

TEST_CASE("decimals round-trip exactly at DECIMAL(36,18)", "[store]") {
    Migrated m;
    auto a = m.new_agent("d@x.io");
    const std::string big = "123456789012345678.123456789012345678";
    auto p1 = m.repo.open_position(a, "BTCUSDT", "LONG", big, "0.000000000000000001", 20);
    auto p2 = m.repo.open_position(a, "ETHUSDT", "SHORT", "1.5", "2500.10", 3);
    REQUIRE(m.repo.close_position(a, p2, "2400.2", "-149.85", "take_profit"));
    CHECK_FALSE(m.repo.close_position(a, p2, "1", "1", "again"));  // already closed
    auto all = m.repo.positions(a, std::nullopt);
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == p1);
    CHECK(all[0].quantity == big);
    CHECK(all[0].entry_price == "0.000000000000000001");
    CHECK(all[1].quantity == "1.5");
    CHECK(all[1].entry_price == "2500.1");
    CHECK(all[1].exit_price == std::optional<std::string>("2400.2"));
    CHECK(all[1].realized_pnl == std::optional<std::string>("-149.85"));
    CHECK(m.repo.positions(a, std::string("OPEN")).size() == 1);
    CHECK(m.repo.positions(a, std::string("CLOSED")).size() == 1);
}

TEST_CASE("encrypted key blobs keep every byte", "[store]") {
    Migrated m;
    auto a = m.new_agent("k@x.io");
    store::Blob blob;
    for (int i = 0; i < 512; ++i) blob.bytes.push_back(static_cast<std::uint8_t>(i % 256));
    m.repo.add_api_key(a, "abcd\xE2\x80\xA6wxyz", 1, blob);
    auto key = m.repo.active_api_key(a);
    REQUIRE(key);
    CHECK(key->ciphertext == blob);
    CHECK(key->key_masked == "abcd\xE2\x80\xA6wxyz");
    CHECK(key->data_key_id == 1);
}

TEST_CASE("transactions commit, roll back, and roll back on scope exit", "[store]") {
    Migrated m;
    auto a = m.new_agent("t@x.io");
    {
        store::Transaction tx(m.conn());
        m.repo.append_event(a, "log", R"({"n":1})");
        tx.commit();
    }
    {
        store::Transaction tx(m.conn());
        m.repo.append_event(a, "log", R"({"n":2})");
    }  // no commit: rolled back
    try {
        store::Transaction tx(m.conn());
        m.repo.append_event(a, "log", R"({"n":3})");
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(m.conn().in_transaction());
    CHECK(m.repo.row_counts().at("events") == 1);

    // A failed statement inside a transaction leaves nothing half-written once rolled back.
    CHECK(kind_of_failure([&] {
              store::Transaction tx(m.conn());
              m.repo.append_event(a, "log", R"({"n":4})");
              m.repo.add_notification(a, "bogus", "x", std::nullopt);
              tx.commit();
          }) == ErrorKind::constraint);
    CHECK(m.repo.row_counts().at("events") == 1);
}

TEST_CASE("a prepared statement is reused for many rows", "[store]") {
    Migrated m;
    auto a = m.new_agent("bulk@x.io");
    {
        store::Transaction tx(m.conn());
        for (int i = 0; i < 2000; ++i)
            m.repo.append_event(a, "heartbeat", "{\"i\":" + std::to_string(i) + "}");
        tx.commit();
    }
    CHECK(m.repo.row_counts().at("events") == 2000);
}

TEST_CASE("a second connection sees committed writes only", "[store]") {
    Migrated m;
    auto other = m.open();
    store::Repository other_repo(*other);
    auto a = m.new_agent("c@x.io");
    store::Transaction tx(m.conn());
    m.repo.add_notification(a, "system", "pending", std::nullopt);
    tx.commit();
    CHECK(other_repo.notifications(a, false, 10).size() == 1);
}

TEST_CASE("a connection that read earlier can still write after another connection wrote", "[store]") {
    // Regression: a cached SELECT left un-reset kept a read snapshot open; in WAL mode the next write on that
    // connection then failed at once with "database is locked" after any other writer had committed.
    Migrated m;
    auto a = m.new_agent("snap@x.io");
    CHECK(m.repo.find_user_by_email("snap@x.io"));
    CHECK(m.repo.notifications(a, false, 10).empty());
    auto other = m.open();
    store::Repository(*other).add_notification(a, "system", "from another process", std::nullopt);
    CHECK(m.repo.add_notification(a, "system", "from this connection", std::nullopt) > 0);
    CHECK(m.repo.notifications(a, false, 10).size() == 2);
}

TEST_CASE("bots: one row per agent, state changes persisted", "[store]") {
    Migrated m;
    auto a = m.new_agent("bot@x.io");
    auto bot = m.repo.ensure_bot(a);
    CHECK(bot.state == "stopped");
    CHECK(bot.mode == "paper");
    CHECK(m.repo.ensure_bot(a).id == bot.id);
    CHECK(m.repo.set_bot_state(a, "running", std::nullopt));
    CHECK(m.repo.set_bot_state(a, "error", std::string("3 restarts in 5 minutes")));
    CHECK(kind_of_failure([&] { m.repo.set_bot_state(a, "exploded", std::nullopt); }) ==
          ErrorKind::constraint);
    auto bots = m.repo.bots();
    REQUIRE(bots.size() == 1);
    CHECK(bots[0].state == "error");
    CHECK(bots[0].last_error == std::optional<std::string>("3 restarts in 5 minutes"));
}

TEST_CASE("errors are classified: missing table is a schema error", "[store]") {
    test::ScratchStore s;
    CHECK(kind_of_failure([&] { s.conn().prepare("SELECT * FROM no_such_table")->step(); }) ==
          ErrorKind::schema);
}
