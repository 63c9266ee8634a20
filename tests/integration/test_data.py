#!/usr/bin/env python3
"""Data safety end to end: `db backup` of a running daemon restored into a fresh deployment that then serves the
same logins, API key, notifications and positions; damaged backups refused with nothing written; refusals while a
daemon runs; and on the mysql run, `db copy` of a populated SQLite deployment into MariaDB followed by the daemon
on MariaDB serving the same data. Usage: test_data.py TRADINGD TRADINGCTL
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from harness import BACKEND, TRADINGCTL, Deployment

ADMIN = ("admin@example.com", "admin-password-123")
AGENT = ("agent.ünï@example.com", "agent-password-123")
API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
BIG = "123456789012345678.123456789012345678"
SECRETS = ("JWT_SECRET_KEY", "TRADINGD_SESSION_KEY", "TRADINGD_DATA_KEY")


def sqlite_path(d):
    return os.path.join(d.dir, "data", "tradingd.db")


def populate(d, run_sql):
    """An admin (tradingctl), an agent with a linked API key (REST), notifications and positions (SQL)."""
    assert d.ctl("db", "migrate").returncode == 0
    d.add_admin(*ADMIN)
    d.start()
    status, _, body = d.http("POST", "/api/auth/register",
                             {"email": AGENT[0], "password": AGENT[1], "display_name": "Agent 🚀"})
    assert status == 201, body
    token = login(d, *AGENT)
    status, _, me = d.http("GET", "/api/agent/me", token=token)
    assert status == 200, me
    agent = me["agent"]["id"]
    status, _, body = d.http("PUT", "/api/agent/api-key", {"api_key": API_KEY, "api_secret": API_SECRET}, token=token)
    assert status == 200, body
    values = []
    for i in range(1, 41):
        message = "NULL" if i % 3 == 0 else "'line %d — Grüße 👋'" % i
        values.append("(%d, 'trade_open', 'Opened 🚀 #%d', %s, %d)" % (agent, i, message, i % 2))
    run_sql("INSERT INTO notifications (agent_id, type, title, message, is_read) VALUES " + ", ".join(values))
    run_sql("INSERT INTO positions (agent_id, symbol, side, quantity, entry_price) VALUES "
            "(%d, 'BTCUSDT', 'LONG', '0.0100', '%s'), (%d, 'ETHUSDT', 'SHORT', '2.5', '3000.50')" % (agent, BIG, agent))


def login(d, email, password):
    status, _, body = d.http("POST", "/api/auth/login", {"email": email, "password": password})
    assert status == 200, (status, body)
    return body["access_token"]


def view(d):
    """What the agent and the admin see through the REST API."""
    token = login(d, *AGENT)
    seen = {}
    for name, path in (("notifications", "/api/agent/notifications?limit=500"), ("positions", "/api/agent/positions"),
                       ("api_key", "/api/agent/api-key"), ("me", "/api/agent/me")):
        status, _, body = d.http("GET", path, token=token)
        assert status == 200, (path, status, body)
        seen[name] = body
    status, _, users = d.http("GET", "/api/admin/users", token=login(d, *ADMIN))
    assert status == 200, users
    seen["users"] = sorted((u["email"], u["role"], u["created_at"]) for u in users["users"])
    return seen


def share_secrets(source, target):
    """A restore needs the env file's keys too (TRADINGD_DATA_KEY opens the stored API keys)."""
    for name in SECRETS:
        target.set_env_value(name, source.env_value(name))


def ctl_json(d, *args):
    r = d.ctl(*args, json_out=True)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


class BackupAndRestore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.backups = tempfile.mkdtemp(prefix="tradingd_backups_")
        cls.source = Deployment()
        cls.source.extra_secrets = [ADMIN[1], AGENT[1], API_SECRET]
        # The mariadb client's default character set cannot carry emoji: the session must ask for utf8mb4.
        populate(cls.source, lambda stmt: cls.source.sql(("SET NAMES utf8mb4; " if BACKEND == "mysql" else "") + stmt))
        cls.before = view(cls.source)
        # The daemon keeps running: the backup must cope (SQLite online backup API / MySQL snapshot).
        cls.backup = ctl_json(cls.source, "db", "backup", "--out", cls.backups)
        cls.after = view(cls.source)

    @classmethod
    def tearDownClass(cls):
        cls.source.cleanup()
        subprocess.run(["rm", "-rf", cls.backups], check=False)

    def fresh(self):
        d = Deployment()
        d.extra_secrets = [ADMIN[1], AGENT[1], API_SECRET]
        self.addCleanup(d.cleanup)
        share_secrets(self.source, d)
        return d

    def test_backup_of_a_running_daemon_is_one_verified_file(self):
        self.assertTrue(os.path.basename(self.backup["file"]).startswith("tradingd-"))
        self.assertTrue(self.backup["file"].endswith(".tdbak"))
        self.assertEqual(oct(os.stat(self.backup["file"]).st_mode & 0o777), "0o600")
        with open(self.backup["file"], "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.backup["sha256"])
        rows = {t["name"]: t["rows"] for t in self.backup["tables"]}
        self.assertEqual(rows["notifications"], 40)
        self.assertEqual(rows["api_keys"], 1)
        self.assertEqual(self.backup["backend"], BACKEND)

    def test_restore_into_a_fresh_deployment_serves_the_same_data(self):
        d = self.fresh()
        report = ctl_json(d, "db", "restore", self.backup["file"])
        self.assertTrue(report["ok"], report)
        self.assertEqual(len(report["tables"]), 17)
        self.assertTrue(all(t["source_rows"] == t["target_rows"] for t in report["tables"]))
        # The restored ciphertext opens with the data key: re-encrypting it decrypts every stored API key.
        rotated = ctl_json(d, "secrets", "rotate-data-key")
        self.assertEqual(rotated["reencrypted"], 1)
        d.start()
        restored = view(d)
        for key in ("notifications", "positions", "api_key", "me"):
            self.assertEqual(restored[key], self.before[key], key)
        self.assertEqual(restored["users"], self.before["users"])
        self.assertIn(BIG, [p["entry_price"] for p in restored["positions"]["positions"]])
        self.assertIn(None, [n["message"] for n in restored["notifications"]["notifications"]])

    def test_a_damaged_or_truncated_backup_is_refused_and_nothing_is_written(self):
        with open(self.backup["file"], "rb") as f:
            good = f.read()
        for name, bad in (("flipped", good[:len(good) // 2] + bytes([good[len(good) // 2] ^ 1]) + good[len(good) // 2 + 1:]),
                          ("truncated", good[:len(good) - 7])):
            with self.subTest(name):
                path = os.path.join(self.backups, "damaged-%s.tdbak" % name)
                with open(path, "wb") as f:
                    f.write(bad)
                d = self.fresh()
                r = d.ctl("db", "restore", path)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn("refusing the backup", r.stderr)
                self.assertIn("nothing was written", r.stderr)
                if BACKEND == "mysql":
                    self.assertEqual(d.sql_query("SHOW TABLES"), [])
                else:
                    self.assertFalse(os.path.exists(sqlite_path(d)))

    def test_restore_refuses_a_running_daemon_and_a_non_empty_database(self):
        r = self.source.ctl("db", "restore", self.backup["file"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("is running", r.stderr)
        d = self.fresh()
        self.assertEqual(d.ctl("db", "restore", self.backup["file"]).returncode, 0)
        r = d.ctl("db", "restore", self.backup["file"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("--replace", r.stderr)
        self.assertTrue(ctl_json(d, "db", "restore", "--replace", self.backup["file"])["ok"])

    @unittest.skipUnless(BACKEND == "mysql", "SQLite restores into a private file renamed in at the end")
    def test_a_restore_killed_halfway_is_never_served_and_a_rerun_completes_it(self):
        # A backup big enough that its restore takes a while: 60,000 events.
        big = self.fresh()
        self.assertEqual(big.ctl("db", "migrate").returncode, 0)
        big.sql("SET SESSION max_recursive_iterations = 100000; INSERT INTO events (agent_id, kind, payload) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM n WHERE i < 60000) SELECT NULL, 'log', CONCAT('{\"i\":', i, '}') FROM n")
        out = tempfile.mkdtemp(prefix="tradingd_big_backup_")
        self.addCleanup(subprocess.run, ["rm", "-rf", out], check=False)
        backup = ctl_json(big, "db", "backup", "--out", out)
        d = self.fresh()
        cmd = [TRADINGCTL, "--config", d.config, "--env-file", d.env_file, "db", "restore", backup["file"]]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # SIGKILL once rows are going in (the progress lines), so no handler can clean up.
        for line in proc.stderr:
            if "events:" in line:
                proc.kill()
                break
        proc.wait()
        proc.stderr.close()
        self.assertEqual(proc.returncode, -9, "the restore ended before it could be killed")
        rows = int(d.sql_query("SELECT COUNT(*) FROM events")[0][0])
        self.assertLess(rows, 60000)
        status = ctl_json(d, "db", "status")
        self.assertIn("restore of " + backup["file"], status["unfinished_load"])
        # tradingd refuses the partial data, with the way out.
        with self.assertRaises(AssertionError) as refused:
            d.start()
        self.assertIn("unfinished restore of", str(refused.exception))
        self.assertIn("again", str(refused.exception))
        # The same restore again, without --replace, empties the partial rows and completes.
        report = ctl_json(d, "db", "restore", backup["file"])
        self.assertTrue(report["ok"], report)
        self.assertIsNone(ctl_json(d, "db", "status")["unfinished_load"])
        self.assertEqual(d.sql_query("SELECT COUNT(*) FROM events"), [["60000"]])
        d.start()

    def test_keep_leaves_the_newest_backups(self):
        out = tempfile.mkdtemp(prefix="tradingd_keep_")
        self.addCleanup(subprocess.run, ["rm", "-rf", out])
        first = ctl_json(self.source, "db", "backup", "--out", out)
        time.sleep(1.1)  # names carry the second
        second = ctl_json(self.source, "db", "backup", "--out", out, "--keep", "1")
        self.assertEqual(second["removed"], [os.path.basename(first["file"])])
        self.assertEqual(sorted(os.listdir(out)), sorted([os.path.basename(second["file"]),
                                                          os.path.basename(second["file"]) + ".sha256"]))


@unittest.skipUnless(BACKEND == "mysql", "db copy targets MySQL/MariaDB")
class CopySqliteToMysql(unittest.TestCase):
    def test_copy_then_the_daemon_on_mysql_serves_the_same_data(self):
        sqlite = Deployment()
        self.addCleanup(sqlite.cleanup)
        sqlite.extra_secrets = [ADMIN[1], AGENT[1], API_SECRET]
        for name in ("MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DB"):
            sqlite.set_env_value(name, None)  # no MYSQL_HOST: this deployment runs on SQLite
        populate(sqlite, lambda stmt: subprocess.run(["sqlite3", sqlite_path(sqlite), stmt], check=True))
        before = view(sqlite)
        self.assertEqual(ctl_json(sqlite, "status")["store"]["backend"], "sqlite")
        sqlite.stop()  # the roadmap's order: stop, then copy
        with open(sqlite_path(sqlite), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()

        mysql = Deployment()
        self.addCleanup(mysql.cleanup)
        mysql.extra_secrets = [ADMIN[1], AGENT[1], API_SECRET]
        share_secrets(sqlite, mysql)
        report = ctl_json(mysql, "db", "copy", "--from", "sqlite:" + sqlite_path(sqlite), "--to", "mysql")
        self.assertTrue(report["ok"], report)
        self.assertEqual({t["table"] for t in report["tables"] if t["source_rows"] > 0},
                         {"users", "agents", "api_keys", "notifications", "positions", "refresh_tokens", "audit_log"})
        for t in report["tables"]:
            self.assertEqual((t["source_rows"], t["source_checksum"]), (t["target_rows"], t["target_checksum"]))
        with open(sqlite_path(sqlite), "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest, "the SQLite file changed")
        self.assertEqual(ctl_json(mysql, "secrets", "rotate-data-key")["reencrypted"], 1)

        mysql.start()
        self.assertEqual(ctl_json(mysql, "status")["store"]["backend"], "mysql")
        after = view(mysql)
        for key in ("notifications", "positions", "api_key", "me"):
            self.assertEqual(after[key], before[key], key)
        self.assertEqual(after["users"], before["users"])
        # New rows continue the ids instead of colliding with copied ones.
        status, _, body = mysql.http("POST", "/api/auth/register",
                                     {"email": "later@example.com", "password": AGENT[1], "display_name": "later"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["id"], max(u["id"] for u in
                                                  mysql.http("GET", "/api/admin/users",
                                                             token=login(mysql, *ADMIN))[2]["users"]))

        r = mysql.ctl("db", "copy", "--from", "sqlite:" + sqlite_path(sqlite), "--to", "mysql", "--replace")
        self.assertEqual(r.returncode, 1)
        self.assertIn("is running", r.stderr)
        mysql.stop()
        r = mysql.ctl("db", "copy", "--from", "sqlite:" + sqlite_path(sqlite), "--to", "mysql")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not empty", r.stderr)
        self.assertTrue(ctl_json(mysql, "db", "copy", "--from", "sqlite:" + sqlite_path(sqlite), "--to", "mysql",
                                 "--replace", "--batch", "7")["ok"])


class CreateDatabase(unittest.TestCase):
    def test_print_sql_grants_only_what_tradingd_needs_and_shows_no_password(self):
        d = Deployment()
        self.addCleanup(d.cleanup)
        out = ctl_json(d, "db", "create", "--admin-user", "root", "--print-sql")
        sql = out["sql"]
        self.assertEqual(sql[0], "CREATE DATABASE IF NOT EXISTS `trading_saas` CHARACTER SET utf8mb4 "
                                 "COLLATE utf8mb4_unicode_ci")
        self.assertEqual(sql[1], "CREATE USER 'saas_user'@'localhost' IDENTIFIED BY '<generated password>'")
        self.assertEqual(sql[2], "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP "
                                 "ON `trading\\_saas`.* TO 'saas_user'@'localhost'")
        r = d.ctl("db", "create", "--admin-user", "root", "--app-user", "x'; DROP DATABASE y; --", "--print-sql")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    print("integration tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[sys.argv[0], "-v"])
